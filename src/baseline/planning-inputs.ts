import type { DuckDBConnection } from '@duckdb/node-api';
import type { CohortTraffic } from '../plan/stage-plan.js';
import { all } from '../store/query.js';
import { sql, type Sql } from '../store/sql.js';

/**
 * Per stored cohort of a snapshot: hour-of-week volumes, design effect, tenant spread, and the
 * standard deviation of log(ms) of one latency observation from the baseline histogram (bin k
 * taken at its log-midpoint (k + ½)·ln 1.05).
 */
export function planningRows(snapshotId: string): Sql {
  return sql`
    WITH info AS (
      SELECT dimensions, cohort_key, any_value(design_effect) AS design_effect, any_value(tenants)::DOUBLE AS tenants,
             any_value(tenants_effective) AS tenants_effective
      FROM baseline_cohorts WHERE snapshot_id = ${snapshotId} GROUP BY dimensions, cohort_key
    ), moments AS (
      -- Integer sums of m = 2·bin + 1 (exact, so the same bits whatever order DuckDB's threads add in).
      SELECT dimensions, cohort_key, sum(count::BIGINT)::HUGEINT AS n,
             sum(count::HUGEINT * (2 * bin + 1)) AS s1, sum(count::HUGEINT * (2 * bin + 1) * (2 * bin + 1)) AS s2
      FROM baseline_histograms WHERE snapshot_id = ${snapshotId} GROUP BY dimensions, cohort_key
    ), spread AS (
      -- log-midpoint of bin k = (k + ½) ln 1.05 = m · ln(1.05)/2; sd = ln(1.05)/2 · √(n·s2 − s1²)/n
      SELECT dimensions, cohort_key, ln(1.05) / 2 * sqrt(greatest((n * s2 - s1 * s1)::DOUBLE, 0)) / n::DOUBLE AS log_sd
      FROM moments WHERE n > 0
    )
    SELECT v.dimensions, v.cohort_key, v.attempts_per_hour, i.design_effect, i.tenants, i.tenants_effective, coalesce(s.log_sd, 0) AS log_sd
    FROM baseline_volumes v
    JOIN info i USING (dimensions, cohort_key)
    LEFT JOIN spread s USING (dimensions, cohort_key)
    WHERE v.snapshot_id = ${snapshotId}
    ORDER BY v.dimensions, v.cohort_key`;
}

/** Loads `planningRows` as the traffic map `stagePlan` takes (`dimensions|cohort_key` → traffic). */
export async function loadTraffic(connection: DuckDBConnection, snapshotId: string): Promise<Map<string, CohortTraffic>> {
  const rows = await all<{
    dimensions: string;
    cohort_key: string;
    attempts_per_hour: number[];
    design_effect: number;
    tenants: number;
    tenants_effective: number;
    log_sd: number;
  }>(connection, planningRows(snapshotId));
  return new Map(
    rows.map((r) => [
      `${r.dimensions}|${r.cohort_key}`,
      {
        attemptsPerHour: Float64Array.from(r.attempts_per_hour),
        designEffect: r.design_effect,
        tenants: r.tenants,
        tenantsEffective: r.tenants_effective,
        logSd: r.log_sd,
      },
    ]),
  );
}
