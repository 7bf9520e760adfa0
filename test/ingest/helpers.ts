import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fileSha256 } from '../../src/ingest/file-sha256.js';
import type { LoginFormat } from '../../src/ingest/format.js';
import { canonical } from '../../src/ingest/formats/canonical.js';
import { ingestFile, type IngestResult, type IngestSettings } from '../../src/ingest/ingest-file.js';
import { allJson } from '../../src/store/query.js';
import { sql, type Sql } from '../../src/store/sql.js';

/** A file under test/fixtures/canonical/. */
export const canonicalFixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/canonical/${name}`, import.meta.url));

/** A fresh temporary directory. */
export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'stagewise-ingest-'));

/** A fixed key, so pseudonyms are reproducible within a test. */
export const TEST_KEY = 'test-key-0123456789abcdef';

/** Ingests one file as the CLI does (sha256, then ingestFile). */
export async function ingest(
  connection: DuckDBConnection,
  file: string,
  format: LoginFormat = canonical,
  settings: Partial<IngestSettings> = {},
): Promise<IngestResult> {
  return ingestFile(connection, { file, format, sha256: await fileSha256(file) }, { pseudonymKey: TEST_KEY, ...settings });
}

/** Rows of a query with JSON-friendly values. */
export const rows = <Row = Record<string, unknown>>(connection: DuckDBConnection, query: Sql): Promise<Row[]> =>
  allJson<Row>(connection, query);

/** Row counts of the tables an ingest writes. */
export async function tableCounts(connection: DuckDBConnection): Promise<Record<string, number>> {
  const [counts] = await rows<Record<string, number>>(connection, sql`
    SELECT (SELECT count(*) FROM login_events)::INTEGER AS login_events,
           (SELECT count(*) FROM ingest_runs)::INTEGER AS ingest_runs,
           (SELECT count(*) FROM quarantine)::INTEGER AS quarantine,
           (SELECT count(*) FROM skipped)::INTEGER AS skipped`);
  return counts ?? {};
}
