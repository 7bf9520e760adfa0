import type { CohortSet } from '../baseline/cohort-sets.js';
import { cohortKeySql } from '../baseline/cohort-key.js';
import { instant } from '../baseline/aggregate.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Dimension, Period } from '../types.js';
import { CELL_SERIES_FIELDS } from './cohort-rollup.js';
import { outsideExcluded, type ExcludedHour } from './upstream-incidents.js';

/**
 * SQL builders of `stagewise evaluate`. Everything but the sample-ratio check reads the additive
 * `agg_*` tables; the SRM check counts distinct routed units, which only `login_events` knows.
 */

const providerIn = (providers: readonly string[]): Sql => sql`provider IN (${join(providers.map((p) => sql`${p}`), ', ')})`;
const inWindow = (period: Period): Sql => sql`hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;
/** Rows of an `agg_*` table outside the excluded (IdP, hour) cells (upstream incidents of a 100% stage). */
const aggOutside = (exclude: readonly ExcludedHour[]): Sql => outsideExcluded(exclude, sql`idp`, sql`epoch(hour)`);
const dimColumns = (dims: readonly Dimension[]): Sql => (dims.length ? sql`${join(dims.map((d) => ident(d)), ', ')}, ` : sql``);

/** The end of the data (one hour past the last aggregated hour), and the candidate's attempts in the period. */
export function windowExtent(period: Period, candidate: string): Sql {
  return sql`
    SELECT epoch(max(hour)) + 3600 AS last_data_end,
           coalesce(sum(attempts) FILTER (WHERE provider = ${candidate} AND ${inWindow(period)}), 0)::DOUBLE AS candidate_attempts
    FROM agg_hourly`;
}

/**
 * Per cell of the union of the plan's dimensions × provider: the rate sums of `agg_hourly` hour by
 * hour, as one flat list of `CELL_SERIES_FIELDS` per hour (`t` = epoch seconds of the hour). One
 * row per cell, not per cell-hour: a JS object per row is what made reading the window slow.
 */
export function windowCells(dims: readonly Dimension[], period: Period, providers: readonly string[], exclude: readonly ExcludedHour[] = []): Sql {
  const fields = raw(CELL_SERIES_FIELDS.join(', '));
  return sql`
    WITH hourly AS (
      SELECT ${dimColumns(dims)}provider, epoch(hour)::DOUBLE AS t,
             sum(attempts)::DOUBLE AS attempts, sum(failures)::DOUBLE AS failures,
             sum(mfa_known)::DOUBLE AS mfa_known, sum(mfa_challenged)::DOUBLE AS mfa_challenged,
             sum(users)::DOUBLE AS users, sum(user_sxx) AS user_sxx, sum(user_snn) AS user_snn, sum(user_sxn) AS user_sxn
      FROM agg_hourly
      WHERE ${inWindow(period)} AND ${providerIn(providers)} AND ${aggOutside(exclude)}
      GROUP BY ALL
    )
    SELECT ${dimColumns(dims)}provider, flatten(list([${fields}])) AS series
    FROM hourly
    GROUP BY ${dimColumns(dims)}provider
    ORDER BY ${dimColumns(dims)}provider`;
}

/** Per union cell × provider × plan error code: failures with that code, as a flat list of `t, failures` per hour. */
export function windowErrors(dims: readonly Dimension[], period: Period, providers: readonly string[], codes: readonly string[], exclude: readonly ExcludedHour[] = []): Sql {
  const codeList = codes.length ? join(codes.map((c) => sql`${c}`), ', ') : sql`NULL`;
  return sql`
    WITH hourly AS (
      SELECT ${dimColumns(dims)}provider, error_code, epoch(hour)::DOUBLE AS t, sum(failures)::DOUBLE AS failures
      FROM agg_hourly_errors
      WHERE ${inWindow(period)} AND ${providerIn(providers)} AND error_code IN (${codeList}) AND ${aggOutside(exclude)}
      GROUP BY ALL
    )
    SELECT ${dimColumns(dims)}provider, error_code, flatten(list([t, failures])) AS series
    FROM hourly
    GROUP BY ${dimColumns(dims)}provider, error_code
    ORDER BY ${dimColumns(dims)}provider, error_code`;
}

/**
 * GROUPING SETS over the cohort sets, with each row's set id and cohort key. GROUPING() takes only
 * the dimensions some set groups by (DuckDB rejects a column no set uses), so the masks are
 * computed over those, not taken from `CohortSet.groupingMask`.
 */
function groupingSets(sets: readonly CohortSet[], extra: string): { groupBy: Sql; setId: Sql; cohortKey: Sql } {
  const used = DIMENSIONS.filter((d) => sets.some((s) => s.dimensions.includes(d)));
  const mask = (dims: readonly Dimension[]) => used.reduce((m, d, i) => (dims.includes(d) ? m : m | (1 << (used.length - 1 - i))), 0);
  const grouping = used.length ? raw(`GROUPING(${used.join(', ')})`) : raw('0');
  const groups = sets.map((s) => raw(`(${[extra, ...s.dimensions].join(', ')})`));
  return {
    groupBy: sql`GROUP BY GROUPING SETS (${join(groups, ', ')})`,
    setId: sql`CASE ${grouping} ${join(sets.map((s) => sql`WHEN ${raw(String(mask(s.dimensions)))} THEN ${raw(String(s.id))}`), '\n')} END`,
    cohortKey: sql`CASE ${grouping} ${join(sets.map((s) => sql`WHEN ${raw(String(mask(s.dimensions)))} THEN ${cohortKeySql(s.dimensions)}`), '\n')} END`,
  };
}

/**
 * Per cohort set × cohort × provider: the latency histogram hour by hour, sparse, as one flat list
 * of `t, bin, count` per hour and bin with observations (in no particular order).
 */
export function windowLatency(sets: readonly CohortSet[], period: Period, providers: readonly string[], exclude: readonly ExcludedHour[] = []): Sql {
  const { groupBy, setId, cohortKey } = groupingSets(sets, 'hour, provider, bin');
  return sql`
    WITH hourly AS (
      SELECT ${setId} AS set_id, ${cohortKey} AS cohort_key, provider, epoch(hour)::DOUBLE AS t, bin::DOUBLE AS bin,
             sum(count)::DOUBLE AS count
      FROM agg_hourly_latency
      WHERE ${inWindow(period)} AND ${providerIn(providers)} AND ${aggOutside(exclude)}
      ${groupBy}
    )
    SELECT set_id, cohort_key, provider, flatten(list([t, bin, count])) AS series
    FROM hourly
    GROUP BY set_id, cohort_key, provider
    ORDER BY set_id, cohort_key, provider`;
}

/**
 * Per cohort set × cohort × provider: the distinct routed units (users, or tenants under tenant
 * routing) seen in the period, from `login_events` in one GROUP BY (statistics.md 8.1).
 */
export function routedUnits(sets: readonly CohortSet[], period: Period, providers: readonly string[], unit: 'user' | 'tenant'): Sql {
  const { groupBy, setId, cohortKey } = groupingSets(sets, 'provider');
  const dims = raw(`coalesce(tenant, '(none)') AS tenant, coalesce(idp, '(none)') AS idp, coalesce(app, '(none)') AS app, coalesce(region, '(none)') AS region`);
  return sql`
    WITH e AS (
      SELECT ${dims}, provider, ${ident(unit === 'user' ? 'user_id' : 'tenant')} AS unit
      FROM login_events
      WHERE ts >= ${instant(period.from)} AND ts < ${instant(period.to)} AND ${providerIn(providers)}
    )
    SELECT ${setId} AS set_id, ${cohortKey} AS cohort_key, provider, count(DISTINCT unit)::DOUBLE AS units
    FROM e
    ${groupBy}
    ORDER BY set_id, cohort_key, provider`;
}

/** The baseline latency histogram of every cohort of a snapshot, sparse. */
export function baselineHistograms(snapshotId: string): Sql {
  return sql`
    SELECT dimensions, cohort_key, bin::INTEGER AS bin, count::DOUBLE AS count
    FROM baseline_histograms WHERE snapshot_id = ${snapshotId}
    ORDER BY dimensions, cohort_key, bin`;
}

/**
 * Per cell of the union of the plan's dimensions × bin: the legacy provider's latency histogram
 * over the baseline period from `agg_hourly_latency`, without the IdP-hours of `bl_incident_hours`
 * (built first by the baseline's `incidentHoursTable`). Latency DiD compares each arm with the
 * baseline of the cells carrying its traffic in the window.
 */
export function baselineCellLatency(dims: readonly Dimension[], period: Period, legacy: string): Sql {
  return sql`
    SELECT ${dimColumns(dims)}bin::INTEGER AS bin, sum(count)::DOUBLE AS count
    FROM agg_hourly_latency l
    WHERE provider = ${legacy} AND ${inWindow(period)}
      AND NOT EXISTS (SELECT 1 FROM bl_incident_hours i WHERE i.idp IS NOT DISTINCT FROM l.idp AND i.hour = l.hour)
    GROUP BY ALL
    ORDER BY ALL`;
}

/** The row of one evaluation. */
export interface EvaluationRow {
  evaluationId: string;
  createdAt: Date;
  stage: string;
  planHash: string;
  baselineId: string;
  window: Period;
  regressions: number;
  document: string;
}

/** Inserts one evaluation; the document is the Evaluation JSON. */
export function insertEvaluation(row: EvaluationRow): Sql {
  return sql`
    INSERT INTO evaluations (evaluation_id, created_at, stage, plan_hash, baseline_id, window_start, window_end, regressions, document)
    VALUES (${row.evaluationId}, ${instant(row.createdAt)}, ${row.stage}, ${row.planHash}, ${row.baselineId},
            ${instant(row.window.from)}, ${instant(row.window.to)}, ${row.regressions}, ${row.document}::JSON)`;
}

/**
 * Per cohort set × cohort × provider: per-user sums over the whole window (a user's attempts in
 * every hour together), for the design-effect correction of user clustering across hours:
 * K users, attempts n, failures f, MFA known k and challenged c, with Σf², Σn², Σfn, Σc², Σk², Σck.
 * The users are grouped per cohort directly (GROUPING SETS over provider, user and each set's
 * dimensions), so a user on two apps is one unit of their tenant's cohort, not two.
 */
export function windowUserSums(sets: readonly CohortSet[], period: Period, providers: readonly string[], exclude: readonly ExcludedHour[] = []): Sql {
  const { groupBy, setId, cohortKey } = groupingSets(sets, 'provider, user_id');
  const dims = raw(`coalesce(tenant, '(none)') AS tenant, coalesce(idp, '(none)') AS idp, coalesce(app, '(none)') AS app, coalesce(region, '(none)') AS region`);
  return sql`
    WITH e AS (
      SELECT ${dims}, provider, user_id, outcome, mfa_challenged
      FROM login_events
      WHERE ts >= ${instant(period.from)} AND ts < ${instant(period.to)} AND ${providerIn(providers)} AND user_id IS NOT NULL
        AND ${outsideExcluded(exclude, sql`coalesce(idp, '(none)')`, sql`floor(epoch(ts) / 3600) * 3600`)}
    ), u AS (
      SELECT ${setId} AS set_id, ${cohortKey} AS cohort_key, provider,
             count(*)::DOUBLE AS n, count(*) FILTER (WHERE outcome = 'failure')::DOUBLE AS f,
             count(mfa_challenged)::DOUBLE AS k, count(*) FILTER (WHERE mfa_challenged)::DOUBLE AS c
      FROM e
      ${groupBy}
    )
    SELECT set_id, cohort_key, provider, count(*)::DOUBLE AS users,
           sum(n) AS n, sum(f) AS f, sum(f * f) AS ff, sum(n * n) AS nn, sum(f * n) AS fn,
           sum(k) AS k, sum(c) AS c, sum(c * c) AS cc, sum(k * k) AS kk, sum(c * k) AS ck
    FROM u
    GROUP BY set_id, cohort_key, provider
    ORDER BY set_id, cohort_key, provider`;
}
