import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError, firstLine } from '../errors.js';
import { all, run, transaction } from '../store/query.js';
import { sql, type Sql } from '../store/sql.js';
import { checkedRows, loadableRows, type CheckSettings } from './checked-rows.js';
import type { LoginFormat, StageOptions } from './format.js';
import {
  checkedCounts, dropTempTables, findKnown, findLeftOut, findRepeats, insertEvents, insertQuarantine, insertSkipped, narrowChecked,
} from './ingest-sql.js';

/** One file to load, its format and the SHA-256 of its bytes. */
export interface IngestInput {
  file: string;
  format: LoginFormat;
  sha256: string;
}

/** Options of one ingest: stage options, the values that fill gaps, the pseudonymisation key. */
export interface IngestSettings extends StageOptions, Omit<CheckSettings, 'format' | 'quarantineRecord'> {}

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

/** DuckDB error messages start with their kind: `Invalid Input Error: …`, `Conversion Error: …`. */
const DUCKDB_ERROR = /^[A-Z][A-Za-z ]* Error: /;

/**
 * Loads one file into the store in one transaction: stages and checks every record in DuckDB (into a temp table,
 * before the transaction), quarantines the bad ones, counts the skipped ones, drops event ids already loaded (in
 * this file or before), inserts the rest and records the run. If anything fails, or the process dies, the store
 * is as it was.
 *
 * @throws {UserError} naming the file when DuckDB cannot read it to the end (malformed JSON, a bad CSV line).
 */
export async function ingestFile(connection: DuckDBConnection, input: IngestInput, settings: IngestSettings): Promise<IngestResult> {
  const format = input.format.name;
  const [previous] = await all<{ runId: string; finishedAt: string }>(connection, sql`
    SELECT run_id AS "runId", strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS "finishedAt"
    FROM ingest_runs WHERE sha256 = ${input.sha256} AND format = ${format} ORDER BY finished_at LIMIT 1`);
  if (previous) {
    return { runId: previous.runId, file: input.file, format, sha256: input.sha256,
      rowsRead: 0, loaded: 0, quarantined: 0, duplicates: 0, skipped: 0, alreadyIngestedBy: previous };
  }
  const startedAt = new Date().toISOString();
  try {
    const reread = await checkRows(connection, input, settings);
    return await transaction(connection, () => load(connection, input, startedAt, reread));
  } catch (error) {
    if (!(error instanceof Error) || !DUCKDB_ERROR.test(error.message)) throw error;
    throw new UserError(`${input.file}: cannot ingest as ${format}: ${firstLine(error)}`, 1, { cause: error });
  } finally {
    for (const drop of dropTempTables()) await run(connection, drop);
  }
}

/**
 * Stages and checks every record of the file into the temp table `ingest_checked`. It runs before the store's
 * transaction (a temp table is no part of the store): rows staged without a source_row are numbered by their
 * rowid there, which counts from 0 in a committed table but from a transaction-local base in an open one.
 *
 * Where the format finds the file cheap to read again (LoginFormat.rereadable), ingest_checked keeps only what
 * finds duplicates, quarantined and skipped rows, and the loadable-rows SELECT is returned for the insert to read
 * the file again: writing and re-reading every checked row costs more than a second scan of a Parquet file.
 */
async function checkRows(connection: DuckDBConnection, input: IngestInput, settings: IngestSettings): Promise<Sql | undefined> {
  const stage = input.format.stage(input.file, settings.date === undefined ? {} : { date: settings.date });
  const quarantineRecord = input.format.quarantineRecord?.(sql`record`, input.file);
  const checkSettings = { ...settings, format: input.format.name, quarantineRecord };
  const checked = checkedRows(stage, checkSettings);
  const reread = input.format.rereadable?.(input.file) === true;
  const kept = reread ? narrowChecked(checked) : checked;
  await inInsertionOrder(connection, () => run(connection, sql`CREATE OR REPLACE TEMP TABLE ingest_checked AS ${kept}`));
  return reread ? loadableRows(stage, checkSettings) : undefined;
}

/**
 * Runs `body` with DuckDB keeping insertion order, as it does by default: rows staged without a source_row are
 * numbered by their position in ingest_checked (see ingest-sql.ts), so that order must be the file's.
 */
async function inInsertionOrder(connection: DuckDBConnection, body: () => Promise<void>): Promise<void> {
  const [setting] = await all<{ preserve: boolean }>(connection, sql`SELECT current_setting('preserve_insertion_order') AS preserve`);
  if (setting?.preserve !== false) return body();
  await run(connection, sql`SET preserve_insertion_order = true`);
  try {
    await body();
  } finally {
    await run(connection, sql`SET preserve_insertion_order = false`);
  }
}

/** Loads the checked rows of `input` (in `ingest_checked`, or read again by `reread`: loadableRows) into the store and records the run. */
async function load(connection: DuckDBConnection, input: IngestInput, startedAt: string, reread: Sql | undefined): Promise<IngestResult> {
  const runId = randomUUID();
  const format = input.format.name;
  await run(connection, insertQuarantine(runId, input.file));
  await run(connection, insertSkipped(runId));
  await run(connection, findRepeats());
  await run(connection, findKnown());
  if (reread !== undefined) await run(connection, findLeftOut());
  const [inserted] = await all<{ Count: bigint }>(connection, insertEvents(runId, format, reread));
  const [counts] = await all<{ rowsRead: number; quarantined: number; skipped: number; loadable: number }>(connection, checkedCounts());
  const loaded = Number(inserted?.Count ?? 0);
  const result: IngestResult = {
    runId, file: input.file, format, sha256: input.sha256,
    rowsRead: counts?.rowsRead ?? 0,
    loaded,
    quarantined: counts?.quarantined ?? 0,
    duplicates: (counts?.loadable ?? 0) - loaded,
    skipped: counts?.skipped ?? 0,
  };
  await run(connection, sql`
    INSERT INTO ingest_runs VALUES (${runId}, ${input.file}, ${input.sha256}, ${format}, ${startedAt}::TIMESTAMPTZ,
      ${new Date().toISOString()}::TIMESTAMPTZ, ${result.rowsRead}, ${result.loaded}, ${result.quarantined},
      ${result.duplicates}, ${result.skipped})`);
  return result;
}
