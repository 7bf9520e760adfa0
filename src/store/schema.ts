import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The store's tables. Each statement is idempotent (`IF NOT EXISTS`), so opening a store
 * brings it up to date and re-running is safe. Other folders add their tables here, not in
 * their own modules, so the whole schema reads in one place.
 */
export const SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS login_events (
     event_id        VARCHAR PRIMARY KEY,
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
];

/** Creates any table the store lacks. */
export async function migrate(connection: DuckDBConnection): Promise<void> {
  for (const statement of SCHEMA) await connection.run(statement);
}
