import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run, transaction } from '../store/query.js';
import { ident, sql } from '../store/sql.js';
import { checkedRows, type CheckSettings } from './checked-rows.js';
import type { LoginFormat, StageOptions } from './format.js';

/** One file to load, its format and the SHA-256 of its bytes. */
export interface IngestInput {
  file: string;
  format: LoginFormat;
  sha256: string;
}

/** Options of one ingest: stage options, the values that fill gaps, the pseudonymisation key. */
export interface IngestSettings extends StageOptions, Omit<CheckSettings, 'format'> {}

/** What one file's run did. rowsRead = loaded + quarantined + duplicates + skipped. */
export interface IngestResult {
  runId: string;
  file: string;
  format: LoginFormat['name'];
  sha256: string;
  rowsRead: number;
  loaded: number;
  quarantined: number;
  duplicates: number;
  skipped: number;
  /** Set, with all counts 0, when a run already loaded this file's bytes in this format: nothing was done. */
  alreadyIngestedBy?: { runId: string; finishedAt: string };
}

/**
 * Loads one file into the store in one transaction: stages and checks every record in DuckDB, quarantines the
 * bad ones, counts the skipped ones, drops event ids already loaded (in this file or before), inserts the rest
 * and records the run. If anything fails, or the process dies, the store is as it was.
 */
export async function ingestFile(connection: DuckDBConnection, input: IngestInput, settings: IngestSettings): Promise<IngestResult> {
  const format = input.format.name;
  const [previous] = await all<{ runId: string; finishedAt: string }>(connection, sql`
    SELECT run_id AS "runId", strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS "finishedAt"
    FROM ingest_runs WHERE sha256 = ${input.sha256} AND format = ${format} ORDER BY finished_at LIMIT 1`);
  const base = { file: input.file, format, sha256: input.sha256 };
  if (previous) {
    return { runId: previous.runId, ...base, rowsRead: 0, loaded: 0, quarantined: 0, duplicates: 0, skipped: 0,
      alreadyIngestedBy: previous };
  }
  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  const stage = input.format.stage(input.file, settings.date === undefined ? {} : { date: settings.date });
  const checked = checkedRows(stage, { ...settings, format });
  return transaction(connection, async () => {
    await run(connection, sql`CREATE OR REPLACE TEMP TABLE ingest_checked AS ${checked}`);
    await run(connection, sql`
      INSERT INTO quarantine (run_id, file, source_row, reason, record)
      SELECT ${runId}, ${input.file}, source_row, problem, record FROM ingest_checked
      WHERE problem IS NOT NULL ORDER BY source_row`);
    await run(connection, sql`
      INSERT INTO skipped (run_id, reason, count)
      SELECT ${runId}, skip_reason, count(*) FROM ingest_checked WHERE skip_reason IS NOT NULL GROUP BY skip_reason`);
    // Duplicates are found with small tables, not a window over every row: rows whose event_id came earlier in
    // the file, and event_ids of this file already in the store (the store is probed, the file's ids are hashed).
    await run(connection, sql`
      CREATE OR REPLACE TEMP TABLE ingest_repeats AS
      SELECT source_row FROM (
        SELECT source_row, row_number() OVER (PARTITION BY event_id ORDER BY source_row) AS nth
        FROM ingest_checked
        WHERE skip_reason IS NULL AND problem IS NULL AND event_id IN (
          SELECT event_id FROM ingest_checked WHERE skip_reason IS NULL AND problem IS NULL
          GROUP BY event_id HAVING count(*) > 1))
      WHERE nth > 1`);
    await run(connection, sql`
      CREATE OR REPLACE TEMP TABLE ingest_known AS
      SELECT event_id FROM login_events
      WHERE event_id IN (SELECT event_id FROM ingest_checked WHERE skip_reason IS NULL AND problem IS NULL)`);
    const [inserted] = await all<{ Count: bigint }>(connection, sql`
      INSERT INTO login_events
      SELECT event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code, latency_ms,
             mfa_challenged, shadow_outcome, shadow_diff, ip_prefix, attributes, ${format}, ${runId}
      FROM ingest_checked c
      ANTI JOIN ingest_known k ON k.event_id = c.event_id
      ANTI JOIN ingest_repeats r ON r.source_row = c.source_row
      WHERE skip_reason IS NULL AND problem IS NULL`);
    const [counts] = await all<{ rowsRead: bigint; quarantined: bigint; skipped: bigint; valid: bigint }>(connection, sql`
      SELECT count(*) AS "rowsRead",
             count(*) FILTER (WHERE problem IS NOT NULL) AS quarantined,
             count(*) FILTER (WHERE skip_reason IS NOT NULL) AS skipped,
             count(*) FILTER (WHERE skip_reason IS NULL AND problem IS NULL) AS valid
      FROM ingest_checked`);
    const loaded = Number(inserted?.Count ?? 0);
    const result: IngestResult = {
      runId, ...base,
      rowsRead: Number(counts?.rowsRead ?? 0),
      loaded,
      quarantined: Number(counts?.quarantined ?? 0),
      duplicates: Number(counts?.valid ?? 0) - loaded,
      skipped: Number(counts?.skipped ?? 0),
    };
    await run(connection, sql`
      INSERT INTO ingest_runs VALUES (${runId}, ${input.file}, ${input.sha256}, ${format}, ${startedAt}::TIMESTAMPTZ,
        ${new Date().toISOString()}::TIMESTAMPTZ, ${result.rowsRead}, ${result.loaded}, ${result.quarantined}, ${result.duplicates}, ${result.skipped})`);
    for (const table of ['ingest_checked', 'ingest_repeats', 'ingest_known']) await run(connection, sql`DROP TABLE ${ident(table)}`);
    return result;
  });
}
