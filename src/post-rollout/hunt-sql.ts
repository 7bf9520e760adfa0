import { instant } from '../baseline/aggregate.js';
import { cohortKeySql } from '../baseline/cohort-key.js';
import { groupingMask } from '../baseline/cohort-sets.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Dimension, Period } from '../types.js';

/**
 * SQL builders of the rare-regression hunt. Each rolls the `agg_*` tables up to every hunted
 * dimension set in one GROUPING SETS pass; only per-combination counts reach JavaScript.
 * `metric` is `''` for all failures, else the error code.
 */

/** Every pair and triple of the four dimensions, in `DIMENSIONS` order. */
export function pairsAndTriples(): Dimension[][] {
  const sets: Dimension[][] = [];
  const n = DIMENSIONS.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const dims = DIMENSIONS.filter((_, i) => mask & (1 << (n - 1 - i)));
    if (dims.length === 2 || dims.length === 3) sets.push(dims);
  }
  return sets.sort((a, b) => a.length - b.length || groupingMask(b) - groupingMask(a));
}

/** The parent a combination is shrunk towards: its set without the last dimension. */
export const parentSet = (dims: readonly Dimension[]): Dimension[] => dims.slice(0, -1);

/** GROUPING SETS over `extra` columns plus each dimension set, the grouping mask and the cohort key. */
function rollup(sets: readonly (readonly Dimension[])[], extra: readonly string[]): { groupBy: Sql; key: Sql } {
  const groups = sets.map((s) => raw(`(${[...extra, ...s].join(', ') || '()'})`));
  const keys = sets.map((s) => sql`WHEN ${raw(String(groupingMask(s)))} THEN ${cohortKeySql(s)}`);
  return {
    groupBy: sql`GROUP BY GROUPING SETS (${join(groups, ', ')})`,
    key: sql`CASE GROUPING(tenant, idp, app, region) ${join(keys, '\n')} END`,
  };
}

const where = (provider: string, period: Period): Sql =>
  sql`provider = ${provider} AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;

/** Day index of an hour counted from `origin` (UTC days; 0 = the first 24 hours). */
const dayOf = (origin: Date): Sql => sql`floor((epoch(hour) - epoch(${instant(origin)})) / 86400)::BIGINT`;

/** One row of `baselineCounts`. */
export interface BaselineCountRow {
  /** `GROUPING(tenant, idp, app, region)` of the combination's set. */
  g: number;
  cohort_key: string;
  metric: string;
  /** Days with attempts, attempts, events, Σ x_d²/n_d and Σ n_d² over days (for the day-to-day ICC). */
  days: number;
  n: number;
  x: number;
  sxx: number;
  snn: number;
}

/**
 * Per combination × metric over the baseline period (legacy provider): attempts, failures (or
 * failures with the code) and the daily sums the moment ICC needs; error codes only where seen.
 */
export function baselineCounts(sets: readonly (readonly Dimension[])[], legacy: string, period: Period): Sql {
  const a = rollup(sets, ['day']);
  const e = rollup(sets, ['day', 'error_code']);
  const day = dayOf(period.from);
  return sql`
    WITH a AS (
      SELECT GROUPING(tenant, idp, app, region) AS g, ${a.key} AS cohort_key, day,
             sum(attempts)::DOUBLE AS n, sum(failures)::DOUBLE AS x
      FROM (SELECT ${day} AS day, * FROM agg_hourly WHERE ${where(legacy, period)}) ${a.groupBy}
    ), e AS (
      SELECT GROUPING(tenant, idp, app, region) AS g, ${e.key} AS cohort_key, day, error_code AS metric, sum(failures)::DOUBLE AS x
      FROM (SELECT ${day} AS day, * FROM agg_hourly_errors WHERE ${where(legacy, period)}) ${e.groupBy}
    ), combos AS (
      SELECT g, cohort_key, count(*)::DOUBLE AS days, sum(n) AS n, sum(n * n) AS snn FROM a WHERE n > 0 GROUP BY g, cohort_key
    ), events AS (
      SELECT g, cohort_key, '' AS metric, sum(x) AS x, sum(x * x / n) AS sxx FROM a WHERE n > 0 GROUP BY g, cohort_key
      UNION ALL
      SELECT e.g, e.cohort_key, e.metric, sum(e.x), sum(e.x * e.x / a.n)
      FROM e JOIN a USING (g, cohort_key, day) WHERE a.n > 0 GROUP BY e.g, e.cohort_key, e.metric
    )
    SELECT g::INTEGER AS g, cohort_key, metric, days, n, x, sxx, snn
    FROM events JOIN combos USING (g, cohort_key)
    ORDER BY g, cohort_key, metric`;
}

/** One row of `postTotals`: a combination's attempts over the post-rollout window. */
export interface PostTotalRow {
  g: number;
  cohort_key: string;
  n: number;
}

/** Per combination: the candidate provider's attempts over the post-rollout window. */
export function postTotals(sets: readonly (readonly Dimension[])[], candidate: string, period: Period): Sql {
  const a = rollup(sets, []);
  return sql`
    SELECT GROUPING(tenant, idp, app, region)::INTEGER AS g, ${a.key} AS cohort_key, sum(attempts)::DOUBLE AS n
    FROM agg_hourly WHERE ${where(candidate, period)}
    ${a.groupBy}
    HAVING sum(attempts) > 0
    ORDER BY g, cohort_key`;
}

/** One row of `postLooks`: cumulative counts of a combination × metric at the end of a day with new events. */
export interface PostLookRow {
  g: number;
  cohort_key: string;
  metric: string;
  /** Day since the window start (0-based); the last day may be partial (it ends at `--at`). */
  day: number;
  n: number;
  x: number;
}

/**
 * Cumulative attempts and events per combination × metric × day since the window start, kept
 * only for days on which events arrived: at a fixed event count the e-process only falls as
 * attempts grow, so its running maximum is reached on those days and no other look is needed.
 */
export function postLooks(sets: readonly (readonly Dimension[])[], candidate: string, period: Period): Sql {
  const a = rollup(sets, ['day']);
  const e = rollup(sets, ['day', 'error_code']);
  const day = dayOf(period.from);
  return sql`
    WITH a AS (
      SELECT GROUPING(tenant, idp, app, region) AS g, ${a.key} AS cohort_key, day,
             sum(attempts)::DOUBLE AS n, sum(failures)::DOUBLE AS x
      FROM (SELECT ${day} AS day, * FROM agg_hourly WHERE ${where(candidate, period)}) ${a.groupBy}
    ), cum AS (
      SELECT g, cohort_key, day, sum(n) OVER (PARTITION BY g, cohort_key ORDER BY day) AS n, x AS new,
             sum(x) OVER (PARTITION BY g, cohort_key ORDER BY day) AS x
      FROM a
    ), e AS (
      SELECT GROUPING(tenant, idp, app, region) AS g, ${e.key} AS cohort_key, day, error_code AS metric, sum(failures)::DOUBLE AS new
      FROM (SELECT ${day} AS day, * FROM agg_hourly_errors WHERE ${where(candidate, period)}) ${e.groupBy}
    )
    SELECT g::INTEGER AS g, cohort_key, '' AS metric, day::INTEGER AS day, n, x FROM cum WHERE new > 0
    UNION ALL
    SELECT e.g::INTEGER, e.cohort_key, e.metric, e.day::INTEGER, cum.n,
           sum(e.new) OVER (PARTITION BY e.g, e.cohort_key, e.metric ORDER BY e.day) AS x
    FROM e JOIN cum USING (g, cohort_key, day) WHERE e.new > 0
    ORDER BY g, cohort_key, metric, day`;
}

/** One row of `newValues`: a dimension value the baseline period never saw. */
export interface NewValueRow {
  dimension: Dimension;
  value: string;
  n: number;
  x: number;
}

/** Dimension values with candidate traffic in the window and no legacy traffic in the baseline period. */
export function newValues(legacy: string, candidate: string, baseline: Period, window: Period): Sql {
  const parts = DIMENSIONS.map(
    (dim) => sql`
      SELECT ${dim} AS dimension, ${ident(dim)} AS value, sum(attempts)::DOUBLE AS n, sum(failures)::DOUBLE AS x
      FROM agg_hourly WHERE ${where(candidate, window)}
        AND ${ident(dim)} NOT IN (SELECT DISTINCT ${ident(dim)} FROM agg_hourly WHERE ${where(legacy, baseline)})
      GROUP BY ${ident(dim)}`,
  );
  return sql`SELECT * FROM (${join(parts, ' UNION ALL ')}) ORDER BY dimension, value`;
}

/** One row of `errorCodeTotals`: an error code's failures in the baseline period and the window. */
export interface ErrorCodeTotalRow {
  metric: string;
  baseline_x: number;
  post_x: number;
}

/** Failures per error code, baseline period (legacy) and window (candidate), for codes seen in either. */
export function errorCodeTotals(legacy: string, candidate: string, baseline: Period, window: Period): Sql {
  return sql`
    SELECT error_code AS metric,
           coalesce(sum(failures) FILTER (WHERE ${where(legacy, baseline)}), 0)::DOUBLE AS baseline_x,
           coalesce(sum(failures) FILTER (WHERE ${where(candidate, window)}), 0)::DOUBLE AS post_x
    FROM agg_hourly_errors
    GROUP BY error_code
    HAVING baseline_x > 0 OR post_x > 0
    ORDER BY error_code`;
}
