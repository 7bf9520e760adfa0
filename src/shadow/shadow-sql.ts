import { MISSING_VALUE, cohortKeySql } from '../baseline/cohort-key.js';
import { instant } from '../baseline/aggregate.js';
import { ident, join, sql, type Sql } from '../store/sql.js';
import type { Dimension, Period } from '../types.js';

const groupKeys = (dims: readonly Dimension[]): Sql => (dims.length ? sql`${join(dims.map((d) => ident(d)), ', ')}, ` : sql``);

/**
 * Per cohort × UTC hour of `period`: the candidate provider's shadow counts from `agg_hourly`,
 * aliased to `ShadowCohortStats` (hours without pairs are left out), ordered by cohort key and hour.
 * One line at the call site: `evaluateShadow(await all(connection, shadowCohortStats(dims, period, candidate)), metric, { alpha })`.
 */
export function shadowCohortStats(dims: readonly Dimension[], period: Period, candidateProvider: string): Sql {
  return sql`
    SELECT ${cohortKeySql(dims)} AS cohort_key,
           strftime(agg_hourly.hour AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS hour,
           sum(shadow_pairs)::INTEGER AS pairs,
           sum(shadow_mismatches)::INTEGER AS mismatches,
           sum(shadow_errors)::INTEGER AS shadow_errors,
           sum(shadow_live_fail_legacy_ok)::INTEGER AS live_fail_legacy_ok,
           sum(shadow_live_ok_legacy_fail)::INTEGER AS live_ok_legacy_fail
    FROM agg_hourly
    WHERE agg_hourly.hour >= ${instant(period.from)} AND agg_hourly.hour < ${instant(period.to)}
      AND provider = ${candidateProvider}
    GROUP BY ${groupKeys(dims)}agg_hourly.hour
    HAVING sum(shadow_pairs) > 0
    ORDER BY cohort_key, hour`;
}

/** A provider's attempts and shadow pairs in a period (`shadowCoverage`). */
export interface ShadowCoverage {
  provider: string;
  attempts: number;
  pairs: number;
}

/** Per provider over `period`: attempts and shadow pairs from `agg_hourly`, to say where shadow tokens are (or are not). */
export function shadowCoverage(period: Period): Sql {
  return sql`
    SELECT provider, sum(attempts)::BIGINT::DOUBLE AS attempts, sum(shadow_pairs)::BIGINT::DOUBLE AS pairs
    FROM agg_hourly
    WHERE hour >= ${instant(period.from)} AND hour < ${instant(period.to)}
    GROUP BY provider
    ORDER BY provider`;
}

/** Mismatches of one cohort with one kind of difference (`shadowDiffKinds`). */
export interface ShadowDiffRow {
  cohort_key: string;
  /** What differed (`sub`, `claims`, `aud`, `scope`, `exp`, …); '(unspecified)' when shadow_diff is empty. */
  kind: string;
  mismatches: number;
}

/**
 * Per cohort × kind of difference: the candidate provider's shadow mismatches in `period`, from
 * one GROUP BY over `login_events` (agg_hourly does not keep shadow_diff). A shadow_diff listing
 * several fields (`claims,aud`) counts once under each; NULL dimension values key as '(none)',
 * as in the aggregates. Ordered by cohort key, then most mismatches first.
 */
export function shadowDiffKinds(dims: readonly Dimension[], period: Period, candidateProvider: string): Sql {
  const cells = join(
    dims.map((d) => sql`coalesce(${ident(d)}, ${MISSING_VALUE}) AS ${ident(d)}`),
    ', ',
  );
  const select = dims.length ? sql`${cells}, ` : sql``;
  return sql`
    WITH mismatch AS (
      SELECT ${select}unnest(string_split(coalesce(nullif(trim(shadow_diff), ''), '(unspecified)'), ',')) AS part
      FROM login_events
      WHERE ts >= ${instant(period.from)} AND ts < ${instant(period.to)}
        AND provider = ${candidateProvider} AND shadow_outcome = 'mismatch'
    )
    SELECT ${cohortKeySql(dims)} AS cohort_key, coalesce(nullif(trim(part), ''), '(unspecified)') AS kind,
           count(*)::INTEGER AS mismatches
    FROM mismatch
    GROUP BY ${groupKeys(dims)}kind
    ORDER BY cohort_key, mismatches DESC, kind`;
}
