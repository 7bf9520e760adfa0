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

/** GROUPING SETS over `extra` columns plus each dimension set, the grouping mask and the cohort key. */
function rollup(sets: readonly (readonly Dimension[])[], extra: readonly string[]): { groupBy: Sql; key: Sql } {
  // GROUPING(tenant, idp, app, region) needs every dimension in some grouping set: pad with the finest one and drop its rows.
  const padded = DIMENSIONS.some((d) => !sets.some((s) => s.includes(d)));
  const groups = [...sets, ...(padded ? [DIMENSIONS] : [])].map((s) => raw(`(${[...extra, ...s].join(', ') || '()'})`));
  const keys = sets.map((s) => sql`WHEN ${raw(String(groupingMask(s)))} THEN ${cohortKeySql(s)}`);
  return {
    groupBy: sql`GROUP BY GROUPING SETS (${join(groups, ', ')})${padded ? sql` HAVING GROUPING(tenant, idp, app, region) <> 0` : sql``}`,
    key: sql`CASE GROUPING(tenant, idp, app, region) ${join(keys, '\n')} END`,
  };
}

const where = (provider: string, period: Period): Sql =>
  sql`provider = ${provider} AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;

/** Day index of an hour counted from `origin` (UTC days; 0 = the first 24 hours). */
const dayOf = (origin: Date): Sql => sql`floor((epoch(hour) - epoch(${instant(origin)})) / 86400)::BIGINT`;

/** Days per block of the baseline's spread over time: a week, so weekday mix cancels and slow drift shows. */
export const BLOCK_DAYS = 7;

/** One row of `baselineCounts`: a combination × metric over the baseline period, against its parent. */
export interface BaselineCountRow {
  /** `GROUPING(tenant, idp, app, region)` of the combination's set. */
  g: number;
  cohort_key: string;
  /** The parent compared with (one row per parent: the set without one of its dimensions). */
  parent_key: string;
  /** `''` for all failures, else the error code. */
  metric: string;
  /** Weeks (blocks of `BLOCK_DAYS`) with attempts in the combination and events in its parent. */
  weeks: number;
  /** The combination's attempts and events, and its parent's (the parent includes the combination). */
  n: number;
  x: number;
  parent_n: number;
  parent_x: number;
  /**
   * Pearson X² of the combination's weekly share of the parent's events, `Σ_w (x_w − X_w θ_w)²/(X_w θ_w(1 − θ_w))`
   * with `θ_w = n_w p/(n_w p + (N_w − n_w) p_rest)` from the overall rates, and `Σ_w X_w²` (for the ICC).
   */
  x2: number;
  sum_parent_x2: number;
}

/** Every parent of a set: the set without one of its dimensions. */
export const parentSets = (dims: readonly Dimension[]): Dimension[][] => dims.map((_, i) => dims.filter((__, j) => j !== i));

/** The parent keys of each combination row, as a list: `CASE GROUPING(…) WHEN mask THEN [key of each parent set]`. */
function parentKeys(sets: readonly (readonly Dimension[])[]): Sql {
  const keys = sets.map((s) => sql`WHEN ${raw(String(groupingMask(s)))} THEN [${join(parentSets([...s]).map((p) => cohortKeySql(p)), ', ')}]`);
  return sql`CASE GROUPING(tenant, idp, app, region) ${join(keys, '\n')} END`;
}

/**
 * Weekly (or daily) attempts and events per combination × metric with the same of its parent,
 * from the `agg_*` rows selected by `filter`: the shared part of the baseline and window queries.
 */
function withParent(sets: readonly (readonly Dimension[])[], filter: Sql, bucket: Sql): Sql {
  const parents = uniqueSets(sets.flatMap((s) => parentSets([...s])));
  const a = rollup(sets, ['day']);
  const pa = rollup(parents, ['day']);
  const pe = rollup(parents, ['day', 'error_code']);
  const e = rollup(sets, ['day', 'error_code']);
  return sql`
    a AS (
      SELECT g, cohort_key, unnest(parent_keys) AS parent_key, day, n, x, users, user_sxx, user_snn, user_sxn FROM (
        SELECT GROUPING(tenant, idp, app, region) AS g, ${a.key} AS cohort_key, ${parentKeys(sets)} AS parent_keys, day,
               sum(attempts)::DOUBLE AS n, sum(failures)::DOUBLE AS x, sum(users)::DOUBLE AS users,
               sum(user_sxx) AS user_sxx, sum(user_snn) AS user_snn, sum(user_sxn) AS user_sxn
        FROM (SELECT ${bucket} AS day, * FROM agg_hourly WHERE ${filter}) ${a.groupBy})
    ), e AS (
      SELECT ${e.key} AS cohort_key, day, error_code AS metric, sum(failures)::DOUBLE AS x
      FROM (SELECT ${bucket} AS day, * FROM agg_hourly_errors WHERE ${filter}) ${e.groupBy}
    ), p AS (
      SELECT ${pa.key} AS parent_key, day, '' AS metric, sum(attempts)::DOUBLE AS pn, sum(failures)::DOUBLE AS px
      FROM (SELECT ${bucket} AS day, * FROM agg_hourly WHERE ${filter}) ${pa.groupBy}
      UNION ALL
      SELECT ${pe.key}, day, error_code, NULL, sum(failures)::DOUBLE
      FROM (SELECT ${bucket} AS day, * FROM agg_hourly_errors WHERE ${filter}) ${pe.groupBy}
    ), pn AS (
      SELECT parent_key, day, pn FROM p WHERE metric = ''
    ), cells AS (
      SELECT a.g, a.cohort_key, a.parent_key, p.metric, a.day, a.n, CASE WHEN p.metric = '' THEN a.x ELSE coalesce(e.x, 0) END AS x,
             pn.pn, p.px, a.users, a.user_sxx, a.user_snn, a.user_sxn
      FROM a JOIN p ON p.parent_key = a.parent_key AND p.day = a.day
      JOIN pn ON pn.parent_key = a.parent_key AND pn.day = a.day
      LEFT JOIN e ON e.cohort_key = a.cohort_key AND e.day = a.day AND e.metric = p.metric
      WHERE a.n > 0
    )`;
}

/**
 * Per combination × metric over the baseline period (legacy provider): its attempts and events,
 * its parent's, and the week-to-week spread of its share of the parent's events (Pearson X²).
 */
export function baselineCounts(sets: readonly (readonly Dimension[])[], legacy: string, period: Period): Sql {
  const week = sql`floor(${dayOf(period.from)} / ${raw(String(BLOCK_DAYS))})::BIGINT`;
  return sql`
    WITH ${withParent(sets, where(legacy, period), week)},
    rates AS (
      SELECT *, sum(x) OVER w / sum(n) OVER w AS rate, (sum(px) OVER w - sum(x) OVER w) / nullif(sum(pn) OVER w - sum(n) OVER w, 0) AS rest_rate
      FROM cells WINDOW w AS (PARTITION BY g, cohort_key, parent_key, metric)
    ), shares AS (
      SELECT *, n * rate / nullif(n * rate + (pn - n) * rest_rate, 0) AS theta FROM rates
    )
    SELECT g::INTEGER AS g, cohort_key, parent_key, metric, count(*) FILTER (WHERE px > 0)::DOUBLE AS weeks,
           sum(n) AS n, sum(x) AS x, sum(pn) AS parent_n, sum(px) AS parent_x,
           coalesce(sum((x - px * theta) * (x - px * theta) / (px * theta * (1 - theta))) FILTER (WHERE px > 0 AND theta > 0 AND theta < 1), 0) AS x2,
           sum(px * px) AS sum_parent_x2
    FROM shares
    GROUP BY g, cohort_key, parent_key, metric
    ORDER BY g, cohort_key, parent_key, metric`;
}

/** One row of `postLooks`: cumulative counts of a combination × metric and its parent at the end of a day. */
export interface PostLookRow {
  g: number;
  cohort_key: string;
  parent_key: string;
  metric: string;
  /** Day since the window start (0-based); the last day may be partial (it ends at `--at`). */
  day: number;
  n: number;
  x: number;
  parent_n: number;
  parent_x: number;
  /** The combination's per-user sums over the same days (failures as x): users, Σx_u², Σn_u², Σx_u n_u (summed over hours). */
  users: number;
  user_sxx: number;
  user_snn: number;
  user_sxn: number;
}

/**
 * Cumulative attempts and events per combination × metric × day since the window start, with
 * its parent's and the combination's per-user sums (for its design effect), on every day the
 * parent had events of the metric (the e-process's looks).
 */
export function postLooks(sets: readonly (readonly Dimension[])[], candidate: string, period: Period): Sql {
  return sql`
    WITH ${withParent(sets, where(candidate, period), dayOf(period.from))}
    SELECT g::INTEGER AS g, cohort_key, parent_key, metric, day::INTEGER AS day,
           sum(n) OVER w AS n, sum(x) OVER w AS x, sum(pn) OVER w AS parent_n, sum(px) OVER w AS parent_x,
           sum(users) OVER w AS users, sum(user_sxx) OVER w AS user_sxx, sum(user_snn) OVER w AS user_snn, sum(user_sxn) OVER w AS user_sxn
    FROM cells
    WINDOW w AS (PARTITION BY g, cohort_key, parent_key, metric ORDER BY day)
    ORDER BY g, cohort_key, parent_key, metric, day`;
}

function uniqueSets(sets: readonly (readonly Dimension[])[]): Dimension[][] {
  const seen = new Map<number, Dimension[]>();
  for (const s of sets) if (!seen.has(groupingMask(s))) seen.set(groupingMask(s), [...s]);
  return [...seen.values()];
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
