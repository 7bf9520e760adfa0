import { instant } from '../baseline/aggregate.js';
import { cohortKeySql } from '../baseline/cohort-key.js';
import { groupingMask } from '../baseline/cohort-sets.js';
import { outsideExcluded, type ExcludedHour } from '../evaluate/upstream-incidents.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import type { PlanMetric } from '../plan/plan.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Dimension, Period } from '../types.js';

/** One row of `plannedHourly`: a planned cohort's hour of one rate metric on one provider. */
export interface PlannedHourRow {
  /** `GROUPING(tenant, idp, app, region)` of the cohort's dimension set. */
  g: number;
  cohort_key: string;
  provider: string;
  metric: string;
  /** Start of the hour, seconds since the epoch. */
  hour: number;
  /** Trials and events in the baseline's convention: successes of attempts (success_rate), failures with the code, MFA challenges of known. */
  n: number;
  x: number;
}

/** The rate metrics a post-rollout run judges against a projection (latency and shadow are not judged there). */
export const projectedMetrics = (metrics: readonly PlanMetric[]): PlanMetric[] =>
  metrics.filter((m) => m.family === 'rate' && (m.name === 'success_rate' || m.name === 'mfa_rate' || m.errorCode !== undefined));

function metricColumns(metric: PlanMetric): { n: string; x: Sql } {
  if (metric.errorCode !== undefined) return { n: 'attempts', x: sql`${ident(`e_${metric.errorCode}`)}` };
  if (metric.name === 'mfa_rate') return { n: 'mfa_known', x: sql`mfa_challenged` };
  return { n: 'attempts', x: sql`attempts - failures` };
}

/**
 * Hourly n and x of every planned cohort × rate metric × provider over a period, rolled up to
 * the plan's dimension sets (and everyone) in one GROUPING SETS pass over `agg_hourly` and
 * `agg_hourly_errors`. Hours without trials are left out, and so are the (IdP, hour) cells of
 * `exclude` (upstream incidents).
 */
export function plannedHourly(
  sets: readonly (readonly Dimension[])[],
  metrics: readonly PlanMetric[],
  providers: readonly string[],
  period: Period,
  exclude: readonly ExcludedHour[] = [],
): Sql {
  const codes = metrics.flatMap((m) => (m.errorCode === undefined ? [] : [m.errorCode]));
  // GROUPING(tenant, idp, app, region) needs every dimension in some grouping set: pad with the finest one and drop its rows.
  const padded = DIMENSIONS.some((d) => !sets.some((s) => s.includes(d)));
  const groups = [...sets, ...(padded ? [DIMENSIONS] : [])].map((s) => raw(`(${['hour', 'provider', ...s].join(', ')})`));
  const keys = sets.map((s) => sql`WHEN ${raw(String(groupingMask(s)))} THEN ${cohortKeySql(s)}`);
  const inWindow = sql`provider IN (${join(providers.map((p) => sql`${p}`), ', ')}) AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;
  const codeColumns = codes.map((code) => sql`sum(CASE WHEN error_code = ${code} THEN failures ELSE 0 END)::DOUBLE AS ${ident(`e_${code}`)}`);
  const codeSums = codes.map((code) => sql`sum(${ident(`e_${code}`)}) AS ${ident(`e_${code}`)}`);
  const errors = codes.length
    ? sql`LEFT JOIN (SELECT hour, provider, tenant, idp, app, region, ${join(codeColumns, ', ')}
                     FROM agg_hourly_errors WHERE ${inWindow} GROUP BY ALL) USING (hour, provider, tenant, idp, app, region)`
    : sql``;
  const unpivot = metrics.map((metric) => {
    const { n, x } = metricColumns(metric);
    return sql`SELECT g, cohort_key, provider, ${metric.name} AS metric, hour, ${ident(n)} AS n, coalesce(${x}, 0) AS x
               FROM rolled WHERE ${ident(n)} > 0`;
  });
  return sql`
    WITH cells AS (
      SELECT a.*${codes.length ? sql`, ${join(codes.map((c) => sql`coalesce(${ident(`e_${c}`)}, 0) AS ${ident(`e_${c}`)}`), ', ')}` : sql``}
      FROM (SELECT * FROM agg_hourly WHERE ${inWindow} AND ${outsideExcluded(exclude, sql`idp`, sql`epoch(hour)`)}) a ${errors}
    ), rolled AS (
      SELECT GROUPING(tenant, idp, app, region)::INTEGER AS g,
             CASE GROUPING(tenant, idp, app, region) ${join(keys, '\n')} END AS cohort_key,
             provider, epoch(hour)::DOUBLE AS hour,
             sum(attempts)::DOUBLE AS attempts, sum(failures)::DOUBLE AS failures,
             sum(mfa_known)::DOUBLE AS mfa_known, sum(mfa_challenged)::DOUBLE AS mfa_challenged
             ${codes.length ? sql`, ${join(codeSums, ', ')}` : sql``}
      FROM cells
      GROUP BY GROUPING SETS (${join(groups, ', ')})${padded ? sql` HAVING GROUPING(tenant, idp, app, region) <> 0` : sql``}
    )
    ${join(unpivot, ' UNION ALL ')}
    ORDER BY g, cohort_key, metric, provider, hour`;
}

/** Attempts per provider over a period (to tell whether a legacy holdback is present). */
export function providerAttempts(period: Period): Sql {
  return sql`
    SELECT provider, sum(attempts)::DOUBLE AS attempts FROM agg_hourly
    WHERE hour >= ${instant(period.from)} AND hour < ${instant(period.to)}
    GROUP BY provider ORDER BY provider`;
}
