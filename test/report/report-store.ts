import type { DuckDBConnection } from '@duckdb/node-api';
import { run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import type { Decision, Evaluation } from '../../src/types.js';

/** The evaluations table as the brief for `stagewise evaluate` defines it (created here until the store schema has it). */
export async function ensureEvaluationsTable(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE TABLE IF NOT EXISTS evaluations (
    evaluation_id VARCHAR PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, stage VARCHAR NOT NULL, plan_hash VARCHAR NOT NULL,
    baseline_id VARCHAR NOT NULL, window_start TIMESTAMPTZ NOT NULL, window_end TIMESTAMPTZ NOT NULL, regressions BIGINT NOT NULL,
    document JSON NOT NULL)`);
}

/** Stores an evaluation document as `stagewise evaluate` would. */
export async function insertEvaluation(connection: DuckDBConnection, e: Evaluation): Promise<void> {
  const regressions = e.results.filter((r) => r.verdict === 'regression').length;
  await run(connection, sql`
    INSERT INTO evaluations (evaluation_id, created_at, stage, plan_hash, baseline_id, window_start, window_end, regressions, document)
    VALUES (${e.evaluation_id}, ${e.created_at}::TIMESTAMPTZ, ${e.stage}, ${e.plan_hash}, ${e.baseline_id}, ${e.window.start}::TIMESTAMPTZ,
            ${e.window.end}::TIMESTAMPTZ, ${regressions}, ${JSON.stringify(e)}::JSON)`);
}

/** Stores a decision as `stagewise decide` would. */
export async function insertDecisionRow(connection: DuckDBConnection, d: Decision): Promise<void> {
  await run(connection, sql`
    INSERT INTO decisions (decision_id, created_at, operator, action, reason, evaluation_id, stage, results)
    VALUES (${d.decision_id}, ${d.created_at}::TIMESTAMPTZ, ${d.operator}, ${d.action}, ${d.reason}, ${d.evaluation_id}, ${d.stage},
            ${JSON.stringify(d.results)}::JSON)`);
}

/**
 * Hourly aggregates for tenant t012 from 2026-10-18 to 2026-10-23 18:00: the legacy provider
 * (auth0) at 600 attempts and 17 failures an hour; the candidate (keycloak) from stage-1 with
 * 150 attempts, 4 failures an hour, rising to 9 in stage-2. Latency: 100 logins per hour and
 * provider, all in bin 120 (1.05^120 ≈ 348.9 ms).
 */
export async function seedAggregates(connection: DuckDBConnection): Promise<void> {
  const zeros = 'mfa_known, mfa_challenged, latency_n, latency_sum_log, latency_sumsq_log, shadow_pairs, shadow_mismatches, shadow_errors, shadow_live_fail_legacy_ok, shadow_live_ok_legacy_fail, users, user_sxx, user_snn, user_sxn';
  const zeroValues = '0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0';
  await connection.run(`
    INSERT INTO agg_hourly (hour, tenant, idp, app, region, provider, attempts, failures, ${zeros})
    SELECT h, 't012', 'okta', 'portal', 'eu-west', 'auth0', 600, 17, ${zeroValues}
    FROM generate_series(TIMESTAMPTZ '2026-10-18 00:00:00+00', TIMESTAMPTZ '2026-10-23 17:00:00+00', INTERVAL 1 HOUR) t(h)
    UNION ALL
    SELECT h, 't012', 'okta', 'portal', 'eu-west', 'keycloak', 150, CASE WHEN h >= TIMESTAMPTZ '2026-10-21 00:00:00+00' THEN 9 ELSE 4 END, ${zeroValues}
    FROM generate_series(TIMESTAMPTZ '2026-10-19 00:00:00+00', TIMESTAMPTZ '2026-10-23 17:00:00+00', INTERVAL 1 HOUR) t(h)
    UNION ALL
    SELECT h, 't003', 'okta', 'portal', 'eu-west', 'auth0', 999, 1, ${zeroValues}
    FROM generate_series(TIMESTAMPTZ '2026-10-18 00:00:00+00', TIMESTAMPTZ '2026-10-23 17:00:00+00', INTERVAL 1 HOUR) t(h)`);
  await connection.run(`
    INSERT INTO agg_hourly_latency (hour, tenant, idp, app, region, provider, bin, count)
    SELECT h, 't012', 'okta', 'portal', 'eu-west', p, 120, 100
    FROM generate_series(TIMESTAMPTZ '2026-10-19 00:00:00+00', TIMESTAMPTZ '2026-10-19 03:00:00+00', INTERVAL 1 HOUR) t(h), (VALUES ('auth0'), ('keycloak')) v(p)`);
}

/** A baseline snapshot whose only cohort model is t012's success rate: flat at 97.18%, no trend, no hour-of-week shape, 600 attempts an hour. */
export async function seedBaseline(connection: DuckDBConnection, snapshotId: string): Promise<void> {
  await run(connection, sql`
    INSERT INTO baseline_snapshots VALUES (${snapshotId}, '2026-10-19T01:12:00Z'::TIMESTAMPTZ, 'Auth0 to Keycloak, EU tenants first',
      'hash', '2026-09-21T00:00:00Z'::TIMESTAMPTZ, '2026-10-19T00:00:00Z'::TIMESTAMPTZ, '0.1.0', 4812330, 184, '{}'::JSON)`);
  await run(connection, sql`
    INSERT INTO baseline_cohorts (snapshot_id, dimensions, cohort_key, metric, windows, n, x, level, trend_per_day, t_bar, var_level,
      var_trend, cov_level_trend, tau2, phi, shape_key, shape_source, shrunk, shrink_weight, mean, design_effect, tenants, tenants_effective)
    VALUES (${snapshotId}, 'tenant', 'tenant=t012', 'success_rate', 672, 403200, 391830, ${Math.log(0.9718 / 0.0282)}, 0,
      '2026-10-05T00:00:00Z'::TIMESTAMPTZ, 0.0001, 0, 0, 0.01, 1.2, 'tenant=t012', 'own', false, 1, 0.9718, 1, 1, 1)`);
  // 600 legacy attempts in every hour of the week: what `stagePlan` scales to each stage's share.
  await run(connection, sql`INSERT INTO baseline_volumes SELECT ${snapshotId}, 'tenant', 'tenant=t012', list(600.0)::DOUBLE[] FROM range(168)`);
}
