import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The store's tables. Each statement is idempotent (`IF NOT EXISTS`), so opening a store
 * brings it up to date and re-running is safe. Other folders add their tables here, not in
 * their own modules, so the whole schema reads in one place.
 */
export const SCHEMA: readonly string[] = [
  // No PRIMARY KEY on event_id: `stagewise ingest` is the only writer (the store lock) and drops duplicate ids
  // itself; an index of every id would cost memory and load time that grow with the store.
  `CREATE TABLE IF NOT EXISTS login_events (
     event_id        VARCHAR NOT NULL,
     ts              TIMESTAMPTZ NOT NULL,
     user_id         VARCHAR,            -- keyed hash of the source user; the raw value is never stored
     tenant          VARCHAR,
     idp             VARCHAR,
     app             VARCHAR,
     region          VARCHAR,
     provider        VARCHAR,
     outcome         VARCHAR NOT NULL,   -- 'success' | 'failure'
     error_code      VARCHAR,
     latency_ms      DOUBLE,
     mfa_challenged  BOOLEAN,
     shadow_outcome  VARCHAR,            -- 'match' | 'mismatch' | 'shadow_error' | NULL
     shadow_diff     VARCHAR,
     ip_prefix       VARCHAR,            -- source IP truncated to /24 (IPv4) or /48 (IPv6)
     attributes      JSON,               -- extra columns of the source, kept for later cohort dimensions
     source_format   VARCHAR NOT NULL,
     ingest_run_id   VARCHAR NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS ingest_runs (
     run_id        VARCHAR PRIMARY KEY,
     file          VARCHAR NOT NULL,
     sha256        VARCHAR NOT NULL,
     format        VARCHAR NOT NULL,
     started_at    TIMESTAMPTZ NOT NULL,
     finished_at   TIMESTAMPTZ NOT NULL,
     rows_read     BIGINT NOT NULL,
     loaded        BIGINT NOT NULL,
     quarantined   BIGINT NOT NULL,
     duplicates    BIGINT NOT NULL,
     skipped       BIGINT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS quarantine (
     run_id      VARCHAR NOT NULL,
     file        VARCHAR NOT NULL,
     source_row  BIGINT NOT NULL,
     reason      VARCHAR NOT NULL,
     record      VARCHAR             -- the raw record as read, for the operator to fix and re-ingest
   )`,
  `CREATE TABLE IF NOT EXISTS skipped (
     run_id   VARCHAR NOT NULL,
     reason   VARCHAR NOT NULL,
     count    BIGINT NOT NULL
   )`,
  // Hourly aggregates (src/baseline/aggregate.ts builds them; everything downstream reads these, never login_events).
  // Finest grain hour × tenant × idp × app × region × provider; NULL dimension values are stored as '(none)'.
  `CREATE TABLE IF NOT EXISTS agg_hourly (
     hour TIMESTAMPTZ NOT NULL, tenant VARCHAR NOT NULL, idp VARCHAR NOT NULL, app VARCHAR NOT NULL,
     region VARCHAR NOT NULL, provider VARCHAR NOT NULL,
     attempts BIGINT NOT NULL, failures BIGINT NOT NULL, mfa_known BIGINT NOT NULL, mfa_challenged BIGINT NOT NULL,
     latency_n BIGINT NOT NULL, latency_sum_log DOUBLE NOT NULL, latency_sumsq_log DOUBLE NOT NULL,
     shadow_pairs BIGINT NOT NULL, shadow_mismatches BIGINT NOT NULL, shadow_errors BIGINT NOT NULL,
     shadow_live_fail_legacy_ok BIGINT NOT NULL, shadow_live_ok_legacy_fail BIGINT NOT NULL,
     users BIGINT NOT NULL, user_sxx DOUBLE NOT NULL, user_snn DOUBLE NOT NULL, user_sxn DOUBLE NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS agg_hourly_errors (
     hour TIMESTAMPTZ NOT NULL, tenant VARCHAR NOT NULL, idp VARCHAR NOT NULL, app VARCHAR NOT NULL,
     region VARCHAR NOT NULL, provider VARCHAR NOT NULL, error_code VARCHAR NOT NULL, failures BIGINT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS agg_hourly_latency (
     hour TIMESTAMPTZ NOT NULL, tenant VARCHAR NOT NULL, idp VARCHAR NOT NULL, app VARCHAR NOT NULL,
     region VARCHAR NOT NULL, provider VARCHAR NOT NULL, bin SMALLINT NOT NULL, count BIGINT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS agg_state (
     from_hour    TIMESTAMPTZ,        -- NULL: from the first event
     to_hour      TIMESTAMPTZ,        -- NULL: to the last event
     fingerprint  VARCHAR NOT NULL,   -- login_events row count and ingest runs when built
     built_at     TIMESTAMPTZ NOT NULL
   )`,
  // Baseline snapshots (src/baseline/): immutable, one row set per snapshot_id, written in one transaction.
  `CREATE TABLE IF NOT EXISTS baseline_snapshots (
     snapshot_id VARCHAR PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, plan_name VARCHAR NOT NULL,
     plan_hash VARCHAR NOT NULL, data_from TIMESTAMPTZ NOT NULL, data_to TIMESTAMPTZ NOT NULL,
     toolkit_version VARCHAR NOT NULL, events BIGINT NOT NULL, cohorts BIGINT NOT NULL, plan JSON NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS baseline_cohorts (
     snapshot_id VARCHAR NOT NULL, dimensions VARCHAR NOT NULL, cohort_key VARCHAR NOT NULL, metric VARCHAR NOT NULL,
     windows BIGINT NOT NULL, n DOUBLE NOT NULL, x DOUBLE NOT NULL, level DOUBLE NOT NULL, trend_per_day DOUBLE NOT NULL,
     t_bar TIMESTAMPTZ NOT NULL, var_level DOUBLE NOT NULL, var_trend DOUBLE NOT NULL, cov_level_trend DOUBLE NOT NULL,
     tau2 DOUBLE NOT NULL, phi DOUBLE NOT NULL, shape_key VARCHAR NOT NULL, shape_source VARCHAR NOT NULL,
     shrunk BOOLEAN NOT NULL, shrink_weight DOUBLE NOT NULL, mean DOUBLE NOT NULL,
     design_effect DOUBLE NOT NULL, tenants BIGINT NOT NULL, tenants_effective DOUBLE NOT NULL,
     trend_raw DOUBLE, var_trend_raw DOUBLE, var_trend_model DOUBLE, trend_weight DOUBLE, shape_mean_baseline DOUBLE,
     placebo_factor DOUBLE
   )`,
  // Columns added by baseline model 2 (docs/baseline.md): stores made before it gain them, NULL for their old snapshots.
  ...['trend_raw', 'var_trend_raw', 'var_trend_model', 'trend_weight', 'shape_mean_baseline', 'placebo_factor'].map(
    (c) => `ALTER TABLE baseline_cohorts ADD COLUMN IF NOT EXISTS ${c} DOUBLE`,
  ),
  `CREATE TABLE IF NOT EXISTS baseline_shapes (
     snapshot_id VARCHAR NOT NULL, shape_key VARCHAR NOT NULL, metric VARCHAR NOT NULL, offsets DOUBLE[] NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS baseline_volumes (
     snapshot_id VARCHAR NOT NULL, dimensions VARCHAR NOT NULL, cohort_key VARCHAR NOT NULL,
     attempts_per_hour DOUBLE[] NOT NULL   -- mean legacy attempts per hour, by hour-of-week (168)
   )`,
  `CREATE TABLE IF NOT EXISTS baseline_histograms (
     snapshot_id VARCHAR NOT NULL, dimensions VARCHAR NOT NULL, cohort_key VARCHAR NOT NULL,
     bin SMALLINT NOT NULL, count BIGINT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS decisions (
     decision_id   VARCHAR PRIMARY KEY,   -- content hash: recording the same decision twice adds nothing
     created_at    TIMESTAMPTZ NOT NULL,
     operator      VARCHAR NOT NULL,
     action        VARCHAR NOT NULL,      -- accept | escalate | scope-down | rollback | expand | hold
     reason        VARCHAR NOT NULL,
     evaluation_id VARCHAR NOT NULL,
     stage         VARCHAR NOT NULL,
     results       JSON NOT NULL          -- [{cohort, metric}]: the results the decision refers to
   )`, // append-only: no code path updates or deletes a decision
  // Stage evaluations (src/cli/commands/evaluate.ts): one row per run; `document` is the stagewise.evaluation/v1 JSON.
  `CREATE TABLE IF NOT EXISTS evaluations (
     evaluation_id VARCHAR PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, stage VARCHAR NOT NULL,
     plan_hash VARCHAR NOT NULL, baseline_id VARCHAR NOT NULL,
     window_start TIMESTAMPTZ NOT NULL, window_end TIMESTAMPTZ NOT NULL,
     regressions INTEGER NOT NULL, document JSON NOT NULL
   )`,
  // Post-rollout runs (src/post-rollout/): run_id = hash of plan hash, baseline id and --at (window_end), so a re-run adds nothing;
  // `document` is the stagewise.post-rollout/v1 section. Findings: one row per regression or new value per run.
  `CREATE TABLE IF NOT EXISTS post_rollout_runs (
     run_id VARCHAR PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, plan_hash VARCHAR NOT NULL, baseline_id VARCHAR NOT NULL,
     window_start TIMESTAMPTZ NOT NULL, window_end TIMESTAMPTZ NOT NULL, design VARCHAR NOT NULL, inputs JSON NOT NULL,
     examined BIGINT NOT NULL, eligible BIGINT NOT NULL, ineligible BIGINT NOT NULL,
     findings INTEGER NOT NULL, new_findings INTEGER NOT NULL, document JSON NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS post_rollout_findings (
     run_id VARCHAR NOT NULL, finding_key VARCHAR NOT NULL, kind VARCHAR NOT NULL, cohort_key VARCHAR NOT NULL,
     metric VARCHAR NOT NULL, regression BOOLEAN NOT NULL, is_new BOOLEAN NOT NULL,
     n DOUBLE, x DOUBLE, expected DOUBLE, effect DOUBLE, p_value DOUBLE, p_adjusted DOUBLE,
     PRIMARY KEY (run_id, finding_key)
   )`,
];

/** Creates any table the store lacks. */
export async function migrate(connection: DuckDBConnection): Promise<void> {
  for (const statement of SCHEMA) await connection.run(statement);
}
