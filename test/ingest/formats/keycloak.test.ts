import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { keycloak } from '../../../src/ingest/formats/keycloak.js';
import { fixture, haveRealSamples, ingestCounts, realSample, row, stagedRows, tally, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

describe('keycloak.stage', () => {
  const log = fixture('keycloak/handmade_server.log');

  it('maps LOGIN and LOGIN_ERROR lines and skips every other line, numbering lines from 1', async () => {
    const rows = await stagedRows(connection, keycloak, log, { date: '2026-03-02' });
    expect(tally(rows)).toEqual({
      rows: 7, success: 1, failure: 2, unmapped: 0,
      skipped: { 'not a Keycloak event line': 3, 'not a login event: CODE_TO_TOKEN': 1 },
    });
    expect(row(rows, 2)).toMatchObject({
      ts: '2026-03-02 09:15:10.482', user_raw: 'ana', tenant: 'acme', app: 'portal', idp: null,
      outcome: 'success', error_code: null, ip_raw: '198.51.100.7', event_id: null,
    });
    expect(row(rows, 3)).toMatchObject({ outcome: 'failure', error_code: 'user_not_found', user_raw: 'bo' });
    expect(row(rows, 6).skip_reason).toBe('not a Keycloak event line');
  });

  it('reads Quarkus lines: their own date, quoted values, realmName as tenant, the identity provider', async () => {
    const rows = await stagedRows(connection, keycloak, log, { date: '1999-01-01' });
    expect(row(rows, 7)).toMatchObject({
      ts: '2026-03-02 09:17:30.118', tenant: 'partners', app: 'partner-app', idp: 'corp-saml', user_raw: 'carl',
      outcome: 'failure', error_code: 'invalid_user_credentials', ip_raw: '198.51.100.9',
    });
    expect(row(rows, 7).attributes).toMatchObject({ realm_id: 'c2d5d1c4-0000-4e55-9d8b-000000000002' });
  });

  it('leaves ts NULL for dateless lines without options.date, so ingestFile quarantines them', async () => {
    const rows = await stagedRows(connection, keycloak, log);
    expect(row(rows, 2).ts).toBeNull();
    expect(row(rows, 2).attributes).toMatchObject({ time_of_day: '09:15:10,482' });
    expect(await ingestCounts(keycloak, log)).toEqual({
      rowsRead: 7, loaded: 1, quarantined: 2, duplicates: 0, skipped: 4, reasons: { 'missing timestamp': 2 },
    });
    expect(await ingestCounts(keycloak, log, { date: '2026-03-02' })).toEqual({
      rowsRead: 7, loaded: 3, quarantined: 0, duplicates: 0, skipped: 4, reasons: {},
    });
  });
});

describe.runIf(haveRealSamples)('keycloak.stage on the shared real samples', () => {
  it('maps the 15 LOGIN_ERROR lines of the Elastic server.log and skips its 17 boot lines', async () => {
    const file = realSample('keycloak/elastic_keycloak_test-log.log');
    const rows = await stagedRows(connection, keycloak, file, { date: '2021-10-01' });
    expect(tally(rows)).toEqual({ rows: 32, success: 0, failure: 15, unmapped: 0, skipped: { 'not a Keycloak event line': 17 } });
    const errors: Record<string, number> = {};
    for (const r of rows) if (r.error_code !== null) errors[r.error_code] = (errors[r.error_code] ?? 0) + 1;
    expect(errors).toEqual({ invalid_redirect_uri: 10, user_not_found: 4, invalid_user_credentials: 1 });
    expect(row(rows, 18)).toMatchObject({ ts: '2021-10-01 21:01:45.403', tenant: 'test', app: 'test', user_raw: null });
    expect(await ingestCounts(keycloak, file, { date: '2021-10-01' })).toMatchObject({ rowsRead: 32, loaded: 15, skipped: 17 });
  });
});
