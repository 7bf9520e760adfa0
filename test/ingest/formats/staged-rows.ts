import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import type { LoginFormat, StageOptions } from '../../../src/ingest/format.js';
import { ingestFile, type IngestResult } from '../../../src/ingest/ingest-file.js';
import { fileSha256 } from '../../../src/ingest/file-sha256.js';
import { openStore } from '../../../src/store/open.js';
import { allJson } from '../../../src/store/query.js';
import { sql } from '../../../src/store/sql.js';

/** Opens a one-thread in-memory DuckDB before the file's tests, hands its connection to `use`, and closes it after. */
export function useMemoryDuckDB(use: (connection: DuckDBConnection) => void): void {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    connection = await instance.connect();
    use(connection);
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
}

/** A fixture under test/fixtures/vendors/. */
export const fixture = (path: string): string => fileURLToPath(new URL(`../../fixtures/vendors/${path}`, import.meta.url));

/** The shared real samples (../shared/data/real from the repository root); absent on a fresh clone. */
export const realSample = (path: string): string => fileURLToPath(new URL(`../../../../shared/data/real/${path}`, import.meta.url));
/** Whether the shared real samples are there to sweep. */
export const haveRealSamples = existsSync(realSample('manifest.csv'));

/** One staged row, as stage() returns it (attributes parsed). */
export interface StagedRow {
  source_row: number;
  record: string;
  event_id: string | null;
  ts: string | null;
  user_raw: string | null;
  tenant: string | null;
  idp: string | null;
  app: string | null;
  region: string | null;
  provider: string | null;
  outcome: string | null;
  error_code: string | null;
  latency_ms: string | null;
  mfa_challenged: string | null;
  ip_raw: string | null;
  skip_reason: string | null;
  attributes: Record<string, unknown>;
}

/** Runs `format.stage(file)` in the given DuckDB connection and returns its rows, numbered as ingest numbers them. */
export async function stagedRows(
  connection: DuckDBConnection, format: LoginFormat, file: string, options: StageOptions = {},
): Promise<StagedRow[]> {
  const rows = await allJson<Omit<StagedRow, 'source_row' | 'attributes'> & { source_row: string; attributes: string | null }>(
    connection, sql`SELECT * REPLACE (coalesce(source_row, row_number() OVER ()) AS source_row) FROM (${format.stage(file, options)}) ORDER BY source_row`);
  return rows.map((row) => ({
    ...row,
    source_row: Number(row.source_row),
    attributes: row.attributes === null ? {} : (JSON.parse(row.attributes) as Record<string, unknown>),
  }));
}

/** Counts of staged rows: login attempts by outcome, and skipped rows by reason. */
export interface Tally {
  rows: number;
  success: number;
  failure: number;
  /** Login attempts whose outcome is neither (the pipeline quarantines them). */
  unmapped: number;
  skipped: Record<string, number>;
}

/** The tally of staged rows. */
export function tally(rows: readonly StagedRow[]): Tally {
  const result: Tally = { rows: rows.length, success: 0, failure: 0, unmapped: 0, skipped: {} };
  for (const row of rows) {
    if (row.skip_reason !== null) result.skipped[row.skip_reason] = (result.skipped[row.skip_reason] ?? 0) + 1;
    else if (row.outcome === 'success') result.success++;
    else if (row.outcome === 'failure') result.failure++;
    else result.unmapped++;
  }
  return result;
}

/** The row with `source_row` n. */
export function row(rows: readonly StagedRow[], n: number): StagedRow {
  const found = rows.find((r) => r.source_row === n);
  if (!found) throw new RangeError(`no staged row ${n}`);
  return found;
}

/** Ingests `file` into a fresh in-memory store through the real pipeline and returns the run's counts. */
export async function ingestCounts(format: LoginFormat, file: string, options: StageOptions = {}): Promise<
  Pick<IngestResult, 'rowsRead' | 'loaded' | 'quarantined' | 'duplicates' | 'skipped'> & { reasons: Record<string, number> }
> {
  const store = await openStore(':memory:', { threads: 1 });
  try {
    const result = await ingestFile(store.connection, { file, format, sha256: await fileSha256(file) },
      { ...options, pseudonymKey: 'test-key-0123456789abcdef' });
    const quarantine = await allJson<{ reason: string; n: number }>(store.connection,
      sql`SELECT reason, count(*)::INTEGER AS n FROM quarantine GROUP BY reason ORDER BY reason`);
    const { rowsRead, loaded, quarantined, duplicates, skipped } = result;
    return { rowsRead, loaded, quarantined, duplicates, skipped, reasons: Object.fromEntries(quarantine.map((q) => [q.reason, q.n])) };
  } finally {
    store.close();
  }
}
