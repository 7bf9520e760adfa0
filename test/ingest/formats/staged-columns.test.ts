import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { STAGED_COLUMNS, type FormatName } from '../../../src/ingest/format.js';
import { formatNamed } from '../../../src/ingest/formats/index.js';
import { allJson } from '../../../src/store/query.js';
import { sql } from '../../../src/store/sql.js';
import { fixture, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

const TYPE = (name: string) => (name === 'source_row' ? 'BIGINT' : name === 'attributes' ? 'JSON' : 'VARCHAR');

describe('stage() of every vendor format', () => {
  it.each([
    ['okta', 'okta/grafana_okta-logs-collector_testdata_response.json'],
    ['auth0', 'auth0/handmade_log-stream-batch.json'],
    ['entra', 'entra/msticpy_aad_logons_SigninLogs.csv'],
    ['cloudtrail', 'cloudtrail/handmade_s3-records.json'],
    ['google_workspace', 'google-workspace/handmade_reports-activities-page.json'],
    ['keycloak', 'keycloak/handmade_server.log'],
  ] as const)('%s returns exactly the staged columns, in order, with their types', async (name: FormatName, path) => {
    const format = formatNamed(name);
    if (!format) throw new TypeError(`no format ${name}`);
    const columns = await allJson<{ column_name: string; column_type: string }>(
      connection, sql`DESCRIBE ${format.stage(fixture(path), { date: '2026-03-02' })}`);
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(STAGED_COLUMNS.map((c) => [c, TYPE(c)]));
  });

  it('binds the file as a parameter, never in the SQL text', () => {
    for (const name of ['okta', 'auth0', 'entra', 'cloudtrail', 'google_workspace', 'keycloak']) {
      const query = formatNamed(name)?.stage("/tmp/it's here.jsonl", {});
      expect(query?.text).not.toContain("it's here");
      expect(query?.values).toContain("/tmp/it's here.jsonl");
    }
  });
});
