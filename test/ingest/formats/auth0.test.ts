import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { auth0 } from '../../../src/ingest/formats/auth0.js';
import { fixture, haveRealSamples, ingestCounts, realSample, row, stagedRows, tally, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

describe('auth0.stage', () => {
  it('stages the Panther events: one fcoa failure, 49 non-login types skipped', async () => {
    const rows = await stagedRows(connection, auth0, fixture('auth0/panther_auth0_events_tests.jsonl'));
    expect(tally(rows)).toEqual({
      rows: 50, success: 0, failure: 1, unmapped: 0,
      skipped: {
        'not a login event: sapi': 38, 'not a login event: signup_pwd_leak': 4, 'not a login event: gd_enrollment_complete': 3,
        'not a login event: ferrt': 1, 'not a login event: gd_send_pn': 1, 'not a login event: limit_wc': 1,
        'not a login event: pwd_leak': 1,
      },
    });
    expect(row(rows, 11)).toMatchObject({
      event_id: '90020241029185251974499000000000000001223372087732751235', ts: '2024-10-29 18:52:51.953000000',
      tenant: 'auth.clientdomain.com', idp: 'Username-Password-Authentication', app: 'App Frontend',
      outcome: 'failure', error_code: 'Unable to configure verification page.',
    });
    expect(row(rows, 11).attributes).toMatchObject({ type: 'fcoa', oauth_error: 'server_error' });
  });

  it('unwraps a log-stream batch and maps latency, MFA prompts and the error message', async () => {
    const rows = await stagedRows(connection, auth0, fixture('auth0/handmade_log-stream-batch.json'));
    expect(tally(rows)).toEqual({ rows: 5, success: 1, failure: 3, unmapped: 0, skipped: { 'not a login event: sertft': 1 } });
    expect(row(rows, 1)).toMatchObject({
      user_raw: 'ana@acme.test', tenant: 'acme.eu.auth0.com', idp: 'Username-Password-Authentication', app: 'Portal',
      outcome: 'success', latency_ms: '840', mfa_challenged: 'true', ip_raw: '198.51.100.7',
    });
    expect(row(rows, 2)).toMatchObject({ outcome: 'failure', error_code: 'Wrong email or password.', mfa_challenged: null });
    expect(row(rows, 5)).toMatchObject({ outcome: 'failure', error_code: 'the connection is not enabled', user_raw: null });
  });

  it('loads a batch through ingestFile, counting the redelivered log_id as a duplicate', async () => {
    expect(await ingestCounts(auth0, fixture('auth0/handmade_log-stream-batch.json'))).toEqual({
      rowsRead: 5, loaded: 3, quarantined: 0, duplicates: 1, skipped: 1, reasons: {},
    });
  });
});

describe.runIf(haveRealSamples)('auth0.stage on the shared real samples', () => {
  it('maps the 22 successful logins of the Elastic log stream, 2 of them redelivered', async () => {
    const file = realSample('auth0/elastic_auth0_test-login-success.json');
    const rows = await stagedRows(connection, auth0, file);
    expect(tally(rows)).toEqual({ rows: 22, success: 22, failure: 0, unmapped: 0, skipped: {} });
    expect(rows.filter((r) => r.mfa_challenged === 'false')).toHaveLength(20);
    expect(row(rows, 1)).toMatchObject({ latency_ms: '10287', user_raw: 'dev@test.com', tenant: 'dev-yoj8axza.au.auth0.com' });
    expect(row(rows, 3)).toMatchObject({ idp: null, latency_ms: null, mfa_challenged: null });
    expect(await ingestCounts(auth0, file)).toMatchObject({ rowsRead: 22, loaded: 20, duplicates: 2 });
  });

  it('maps the 5 failures (3 f, 1 fu, 1 fp) of the Elastic log stream', async () => {
    const rows = await stagedRows(connection, auth0, realSample('auth0/elastic_auth0_test-login-failure.json'));
    expect(tally(rows)).toEqual({ rows: 5, success: 0, failure: 5, unmapped: 0, skipped: {} });
    expect(rows.map((r) => r.attributes['type'])).toEqual(['f', 'f', 'f', 'fu', 'fp']);
    expect(row(rows, 4)).toMatchObject({ user_raw: 'neo@gmail.com', tenant: null, error_code: 'Wrong email or password.' });
  });
});
