import type { PlanMetric } from '../plan/plan.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Period } from '../types.js';
import { LOG_SCALE, instant } from './aggregate.js';
import { cohortKeySql } from './cohort-key.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import type { CohortSet } from './cohort-sets.js';

/**
 * SQL builders for the temp tables of a baseline build. Every builder reads the `agg_*` tables
 * (never `login_events`) and rolls the legacy provider's hours up to all cohort sets in one
 * GROUPING SETS pass.
 */

/**
 * `CASE GROUPING(d1, d2, …) WHEN mask THEN value … END` over the dimensions the sets use (GROUPING
 * only takes grouping columns); a constant when there is one set and no dimension.
 */
function byGrouping(sets: readonly CohortSet[], dimsOf: (s: CohortSet) => readonly string[], value: (s: CohortSet) => Sql): Sql {
  const used = DIMENSIONS.filter((d) => sets.some((s) => dimsOf(s).includes(d)));
  const first = sets[0];
  if (used.length === 0 && first) return value(first);
  const mask = (s: CohortSet) => used.reduce((m, d, i) => (dimsOf(s).includes(d) ? m : m | (1 << (used.length - 1 - i))), 0);
  const cases = sets.map((s) => sql`WHEN ${raw(String(mask(s)))} THEN ${value(s)}`);
  return sql`CASE GROUPING(${raw(used.join(', '))}) ${join(cases, '\n')} END`;
}

/** `GROUP BY GROUPING SETS ((extra…, dims…), …)`, the set id and the cohort key per grouping. */
function groupingSets(sets: readonly CohortSet[], extra: readonly string[]): { groupBy: Sql; setId: Sql; cohortKey: Sql } {
  const groups = sets.map((s) => raw(`(${[...extra, ...s.dimensions].join(', ')})`));
  return {
    groupBy: sql`GROUP BY GROUPING SETS (${join(groups, ', ')})`,
    setId: byGrouping(sets, (s) => s.dimensions, (s) => raw(String(s.id))),
    cohortKey: byGrouping(sets, (s) => s.dimensions, (s) => cohortKeySql(s.dimensions)),
  };
}

/** Error codes of the plan's `error_rate:<code>` metrics, in plan order. */
export const errorCodes = (metrics: readonly PlanMetric[]): string[] =>
  metrics.flatMap((m) => (m.errorCode === undefined ? [] : [m.errorCode]));

/** What the fit needs per cohort-hour. */
const HOURLY_COLUMNS = ['attempts', 'failures', 'mfa_known', 'mfa_challenged', 'latency_n', 'latency_sum_log', 'latency_sumsq_log'] as const;
/** What the snapshot needs per cohort over the whole period (`cohortTotals`): not carried hour by hour. */
const PERIOD_COLUMNS = ['attempts', 'failures', 'users', 'user_sxx', 'user_snn', 'user_sxn', 'latency_n', 'latency_sum_log', 'shadow_pairs', 'shadow_mismatches'] as const;

/**
 * An order-independent sum: counts and Σx², Σn², Σxn are integers (exact in DOUBLE below 2⁵³),
 * and the log latency sums go back to the integer fixed point `aggregate.ts` stored them in, so
 * threads adding cells in any order give the same bits.
 */
const exactSum = (column: string): string =>
  column.startsWith('latency_sum') ? `sum(round(${column} * ${LOG_SCALE})) / ${LOG_SCALE}` : `sum(${column}::DOUBLE)`;

/** Where the legacy provider's rows of the period are. */
const legacyIn = (legacy: string, period: Period): Sql =>
  sql`provider = ${legacy} AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;

/** An IdP-hour is a latency incident when its mean log latency exceeds the IdP's median by more than max(this, 4 robust sd). */
export const INCIDENT_LOG_EXCESS = 0.3;

/**
 * `bl_incident_hours` (idp, hour): the legacy provider's latency incidents of the period. Per IdP,
 * m_h = mean log latency of hour h and e_h = m_h − the IdP's median m at that UTC hour of day (so a
 * daily load pattern is not an incident); an hour is an incident when
 *     e_h > max(0.3, 4 · 1.4826 · median|e|)   and   e_h · √n_h / s > 4
 * (s the IdP's median within-hour sd of log latency: a thin hour's mean is too noisy to tell). Incidents are
 * IdP-wide (every tenant on the IdP slows at once); they are left out of every cohort's latency
 * histogram and latency series, so neither the pooled quantile nor the level carries them.
 */
export function incidentHoursTable(legacy: string, period: Period): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_incident_hours AS
    WITH ih AS (
      SELECT idp, hour, sum(latency_n)::DOUBLE AS n, ${raw(exactSum('latency_sum_log'))} AS s, ${raw(exactSum('latency_sumsq_log'))} AS ss
      FROM agg_hourly WHERE ${legacyIn(legacy, period)} AND latency_n > 0
      GROUP BY idp, hour
    ), m AS (
      SELECT idp, hour, n, s / n AS m, CASE WHEN n >= 2 THEN sqrt(greatest((ss - s * s / n) / (n - 1), 0)) END AS sd FROM ih
    ), med AS (
      SELECT idp, hour(hour) AS hod, median(m) AS med FROM m GROUP BY idp, hod
    ), dev AS (
      SELECT m.idp, m.hour, m.n, m.sd, m.m - med.med AS dev FROM m JOIN med ON med.idp = m.idp AND med.hod = hour(m.hour)
    ), cut AS (
      SELECT idp, greatest(median(sd), 1e-2) AS sd, greatest(${INCIDENT_LOG_EXCESS}, 4 * 1.4826 * median(abs(dev))) AS cut
      FROM dev GROUP BY idp
    )
    SELECT idp, hour FROM dev JOIN cut USING (idp)
    WHERE dev.dev > cut.cut AND dev.dev * sqrt(dev.n) / cut.sd > 4`;
}

/**
 * `bl_hourly`: per cohort set × cohort × hour, the legacy provider's sums, the failures of each
 * plan error code (`e0`, `e1`, …), days since the epoch `t` and hour-of-week `how`
 * ((ISO dow − 1)·24 + UTC hour; 1970-01-01 was a Thursday). The latency sums leave out the
 * IdP-hours of `bl_incident_hours` (built first by `incidentHoursTable`).
 */
export function hourlyTable(sets: readonly CohortSet[], codes: readonly string[], legacy: string, period: Period): Sql {
  const { groupBy, setId, cohortKey } = groupingSets(sets, ['hour']);
  const errorZeros = codes.map((_, i) => raw(`0 AS e${i}`));
  const errorColumns = codes.map((code, i) => sql`CASE WHEN error_code = ${code} THEN failures ELSE 0 END AS ${ident(`e${i}`)}`);
  const errorSums = codes.map((_, i) => raw(`sum(e${i})::DOUBLE AS e${i}`));
  const dims = raw('hour, tenant, idp, app, region');
  const errors = codes.length
    ? sql`UNION ALL BY NAME
          SELECT ${dims}, ${join(errorColumns, ', ')} FROM agg_hourly_errors
          WHERE ${legacyIn(legacy, period)} AND error_code IN (${join(codes.map((c) => sql`${c}`), ', ')})`
    : sql``;
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_hourly AS
    WITH cells AS (
      SELECT ${dims}, ${legacyCells(HOURLY_COLUMNS)}${codes.length ? sql`, ${join(errorZeros, ', ')}` : sql``}
      FROM agg_hourly LEFT JOIN bl_incident_hours i USING (idp, hour) WHERE ${legacyIn(legacy, period)}
      ${errors}
    )
    SELECT ${setId} AS set_id, ${cohortKey} AS cohort_key, hour,
           epoch(hour) / 86400 AS t,
           ((floor(epoch(hour) / 86400)::BIGINT + 3) % 7) * 24 + (floor(epoch(hour) / 3600)::BIGINT % 24) AS how,
           ${raw(HOURLY_COLUMNS.map((c) => `coalesce(${exactSum(c)}, 0)::DOUBLE AS ${c}`).join(', '))}
           ${codes.length ? sql`, ${join(errorSums, ', ')}` : sql``}
    FROM cells
    ${groupBy}`;
}

/** The cell columns of agg_hourly, the latency ones 0 in the IdP-hours of `bl_incident_hours` (joined as `i`). */
const legacyCells = (columns: readonly string[]): Sql =>
  raw(columns.map((c) => (c.startsWith('latency_') ? `CASE WHEN i.idp IS NULL THEN ${c} ELSE 0 END AS ${c}` : c)).join(', '));

/**
 * `bl_totals`: per cohort set × cohort, the legacy provider's sums over the whole period that the snapshot needs
 * beyond the fit (`cohortTotals`), rolled up from the cells in one GROUPING SETS pass without the hour: the per-user
 * sums and shadow counts are never needed hour by hour, and carrying them through `bl_hourly`'s millions of
 * cohort-hours cost more than this pass. The same sums as over `bl_hourly` (integers, and log latency in the
 * fixed point of aggregate.ts), so the same bits; latency leaves out `bl_incident_hours` as `bl_hourly` does.
 */
export function totalsTable(sets: readonly CohortSet[], legacy: string, period: Period): Sql {
  const { groupBy, setId, cohortKey } = groupingSets(sets, []);
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_totals AS
    WITH cells AS (
      SELECT tenant, idp, app, region, ${legacyCells(PERIOD_COLUMNS)}
      FROM agg_hourly LEFT JOIN bl_incident_hours i USING (idp, hour) WHERE ${legacyIn(legacy, period)}
    )
    SELECT ${setId} AS set_id, ${cohortKey} AS cohort_key,
           ${raw(PERIOD_COLUMNS.map((c) => `coalesce(${exactSum(c)}, 0)::DOUBLE AS ${c}`).join(', '))}
    FROM cells
    ${groupBy}`;
}

/** The (n, x) of one metric in `bl_hourly`; for latency, n observations and x = the window mean of log(ms). */
function metricColumns(metric: PlanMetric, codes: readonly string[]): { n: Sql; x: Sql; s2: Sql; where: Sql } | undefined {
  if (metric.family === 'shadow') return undefined;
  if (metric.family === 'latency_quantile') {
    return {
      n: sql`latency_n`,
      x: sql`latency_sum_log / latency_n`,
      // Variance of the window mean of log latency: s²/n, floored so one-valued windows stay finite.
      s2: sql`greatest((latency_sumsq_log - latency_sum_log * latency_sum_log / latency_n) / (latency_n - 1), 1e-4) / latency_n`,
      where: sql`latency_n >= 5`,
    };
  }
  if (metric.errorCode !== undefined) {
    const column = ident(`e${codes.indexOf(metric.errorCode)}`);
    return { n: sql`attempts`, x: sql`${column}`, s2: sql`NULL`, where: sql`attempts > 0` };
  }
  if (metric.name === 'mfa_rate') return { n: sql`mfa_known`, x: sql`mfa_challenged`, s2: sql`NULL`, where: sql`mfa_known > 0` };
  return { n: sql`attempts`, x: sql`attempts - failures`, s2: sql`NULL`, where: sql`attempts > 0` };
}

/**
 * How a modelled metric's window reads from one cohort-hour of `bl_hourly`, for the fit's stream (JS): the twin of
 * `metricColumns`, which says the same in SQL (a test holds them together). Rates: attempts > 0 (success x =
 * attempts − failures; an error code x = its failures `e<column>`), mfa_known > 0 for mfa_rate; latency
 * latency_n ≥ 5, x = Σ log ms / n, s² = max((Σ log² − (Σ log)²/n)/(n − 1), 10⁻⁴)/n.
 */
export type MetricRead = { kind: 'success' } | { kind: 'error'; column: number } | { kind: 'mfa' } | { kind: 'latency' };

/** The `MetricRead` of a modelled metric (undefined for shadow metrics, which have no hourly series). */
export function metricRead(metric: PlanMetric, codes: readonly string[]): MetricRead | undefined {
  if (metric.family === 'shadow') return undefined;
  if (metric.family === 'latency_quantile') return { kind: 'latency' };
  if (metric.errorCode !== undefined) return { kind: 'error', column: codes.indexOf(metric.errorCode) };
  return metric.name === 'mfa_rate' ? { kind: 'mfa' } : { kind: 'success' };
}

/** One modelled metric's windows in `bl_hourly`: a SELECT of set_id, cohort_key, hour, t, how, n, x, s2. */
export interface SeriesPart {
  metric: string;
  family: 'rate' | 'latency';
  select: Sql;
}

/**
 * Per modelled metric, the SELECT of its windows in `bl_hourly` before `fitTo` (and from `from`) with data: n, x
 * (events, or mean log latency), s2 (latency: variance of the window mean).
 */
export function seriesParts(metrics: readonly PlanMetric[], codes: readonly string[], fitTo: Date, from?: Date): SeriesPart[] {
  const since = from ? sql` AND hour >= ${instant(from)}` : sql``;
  return metrics.flatMap((metric) => {
    const columns = metricColumns(metric, codes);
    if (!columns) return [];
    return [{
      metric: metric.name,
      family: metric.family === 'latency_quantile' ? 'latency' : 'rate',
      select: sql`SELECT set_id, cohort_key, hour, t, how, ${columns.n} AS n, ${columns.x} AS x, ${columns.s2}::DOUBLE AS s2
                  FROM bl_hourly WHERE ${columns.where} AND hour < ${instant(fitTo)}${since}`,
    }];
  });
}

/**
 * `bl_holdout`: one row per set × cohort × modelled metric × hour in [from, fitTo) with data: n, x (events, or
 * mean log latency), s2 (latency: variance of the window mean), the model family.
 */
export function holdoutTable(metrics: readonly PlanMetric[], codes: readonly string[], fitTo: Date, from: Date): Sql {
  const parts = seriesParts(metrics, codes, fitTo, from).map(
    (p) => sql`SELECT set_id, ${p.metric} AS metric, ${p.family} AS family, cohort_key, hour, t, how, n, x, s2 FROM (${p.select})`,
  );
  return sql`CREATE OR REPLACE TEMP TABLE bl_holdout AS ${parts.length ? join(parts, ' UNION ALL ') : sql`SELECT NULL::INT AS set_id, NULL::VARCHAR AS metric, NULL::VARCHAR AS family, NULL::VARCHAR AS cohort_key, NULL::TIMESTAMPTZ AS hour, NULL::DOUBLE AS t, NULL::BIGINT AS how, NULL::DOUBLE AS n, NULL::DOUBLE AS x, NULL::DOUBLE AS s2 WHERE FALSE`}`;
}

/** `bl_hist`: per set × cohort, the legacy provider's latency histogram over the period (sparse bins), without the IdP-hours of `bl_incident_hours`. */
export function histogramTable(sets: readonly CohortSet[], legacy: string, period: Period): Sql {
  const { groupBy, setId, cohortKey } = groupingSets(sets, ['bin']);
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_hist AS
    SELECT ${setId} AS set_id, ${cohortKey} AS cohort_key, bin, sum(count)::BIGINT AS count
    FROM agg_hourly_latency ANTI JOIN bl_incident_hours i USING (idp, hour)
    WHERE ${legacyIn(legacy, period)}
    ${groupBy}`;
}

/**
 * Per set × cohort: the q-quantile of `bl_hist` in ms by linear interpolation inside the bin
 * (the same rule as `histogramQuantile`), the observations and those in bins above the quantile's bin.
 */
export function histogramQuantiles(q: number): Sql {
  return sql`SELECT set_id, cohort_key, total, above, quantile FROM (${binnedQuantile(sql`SELECT set_id, cohort_key, bin, count FROM bl_hist`, ['set_id', 'cohort_key'], q)})`;
}

/**
 * Per group of `keys`: the q-quantile in ms of a latency histogram (`source`, a SELECT, has the keys, `bin` and
 * `count` columns) by linear interpolation inside the bin — the rule of `histogramQuantile` — with the
 * observations (`total`) and those in bins above the quantile's bin (`above`). The one SQL home of that
 * rule; the baseline build and the report's hourly series both read quantiles through it.
 */
export function binnedQuantile(source: Sql, keys: readonly string[], q: number): Sql {
  const by = join(keys.map(ident), ', ');
  return sql`
    WITH c AS (
      SELECT ${by}, bin, count,
             sum(count) OVER (PARTITION BY ${by} ORDER BY bin) AS cum,
             sum(count) OVER (PARTITION BY ${by}) AS total
      FROM (${source})
    ), hit AS (
      SELECT ${by}, any_value(total) AS total,
             arg_min({'bin': bin, 'count': count, 'cum': cum}, bin) FILTER (WHERE cum >= ${q} * total) AS pos
      FROM c GROUP BY ${by}
    )
    SELECT ${by}, total::DOUBLE AS total, (total - pos.cum)::DOUBLE AS above,
           pow(1.05, pos.bin) + greatest(${q} * total - (pos.cum - pos.count), 0) / pos.count * (pow(1.05, pos.bin + 1) - pow(1.05, pos.bin)) AS quantile
    FROM hit`;
}

/**
 * Per set × cohort of the sets without a tenant dimension: distinct tenants and the effective
 * number of tenants `(Σv)²/Σv²` by attempts (tenant routing moves whole tenants). Sets with a
 * tenant dimension have one tenant per cohort and are left out.
 */
export function tenantSpread(sets: readonly CohortSet[], legacy: string, period: Period): Sql {
  const without = sets.filter((s) => !s.dimensions.includes('tenant'));
  if (without.length === 0) return sql`SELECT NULL::INT AS set_id, NULL::VARCHAR AS cohort_key, 0::DOUBLE AS tenants, 0::DOUBLE AS tenants_effective WHERE FALSE`;
  const groups = without.map((s) => raw(`(${['tenant', ...s.dimensions].join(', ')})`));
  const dimsOf = (s: CohortSet) => ['tenant', ...s.dimensions];
  return sql`
    WITH per_tenant AS (
      SELECT ${byGrouping(without, dimsOf, (s) => raw(String(s.id)))} AS set_id,
             ${byGrouping(without, dimsOf, (s) => cohortKeySql(s.dimensions))} AS cohort_key,
             sum(attempts)::DOUBLE AS v
      FROM agg_hourly WHERE ${legacyIn(legacy, period)}
      GROUP BY GROUPING SETS (${join(groups, ', ')})
    )
    SELECT set_id, cohort_key, count(*)::DOUBLE AS tenants, sum(v) * sum(v) / sum(v * v) AS tenants_effective
    FROM per_tenant GROUP BY set_id, cohort_key`;
}

/**
 * Per stored set × cohort: mean legacy attempts per hour for each of the 168 hours of the week
 * (hours without attempts count as 0; each hour-of-week divided by how often it occurs in the period).
 */
export function volumeProfiles(storedSetIds: readonly number[], period: Period): Sql {
  return sql`
    WITH seen AS (
      SELECT ((floor(epoch(h) / 86400)::BIGINT + 3) % 7) * 24 + (floor(epoch(h) / 3600)::BIGINT % 24) AS how, count(*) AS k
      FROM (SELECT unnest(generate_series(${instant(period.from)}, ${instant(period.to)} - INTERVAL 1 HOUR, INTERVAL 1 HOUR)) AS h)
      GROUP BY how
    ), occurrences AS (
      SELECT r.how, coalesce(seen.k, 0) AS k FROM range(168) r(how) LEFT JOIN seen USING (how)
    ), cohorts AS (
      SELECT DISTINCT set_id, cohort_key FROM bl_hourly WHERE set_id IN (${join(storedSetIds.map((id) => raw(String(id))), ', ')})
    ), sums AS (
      SELECT set_id, cohort_key, how, sum(attempts) AS attempts FROM bl_hourly GROUP BY ALL
    )
    SELECT c.set_id, c.cohort_key, list(CASE WHEN o.k > 0 THEN coalesce(s.attempts, 0) / o.k ELSE 0 END ORDER BY o.how) AS attempts_per_hour
    FROM cohorts c CROSS JOIN occurrences o
    LEFT JOIN sums s ON s.set_id = c.set_id AND s.cohort_key = c.cohort_key AND s.how = o.how
    GROUP BY c.set_id, c.cohort_key`;
}
