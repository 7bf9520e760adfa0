import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { googleWorkspace } from '../../../src/ingest/formats/google-workspace.js';
import { fixture, haveRealSamples, ingestCounts, realSample, row, stagedRows, tally, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

describe('googleWorkspace.stage', () => {
  const page = fixture('google-workspace/handmade_reports-activities-page.json');

  it('maps a Reports API page: items, events and parameter lists', async () => {
    const rows = await stagedRows(connection, googleWorkspace, page);
    expect(tally(rows)).toEqual({
      rows: 5, success: 2, failure: 1, unmapped: 0,
      skipped: { 'not a login event: logout': 1, 'not a login event: suspicious_login': 1 },
    });
    expect(row(rows, 1)).toMatchObject({
      event_id: 'C01acme/login/2026-03-02T09:00:00.000Z/-1101/login_success', ts: '2026-03-02T09:00:00.000Z',
      user_raw: 'ana@acme.test', tenant: 'C01acme', idp: 'google_password', app: null, outcome: 'success',
      mfa_challenged: 'true', ip_raw: '203.0.113.5',
    });
    expect(row(rows, 1).attributes).toMatchObject({ challenge_method: 'password+google_authenticator', is_suspicious: 'false' });
    expect(row(rows, 2)).toMatchObject({ outcome: 'failure', error_code: 'login_failure_invalid_password', mfa_challenged: 'false' });
    // A challenge and the success it led to, in one activity: the success is the login attempt.
    expect(row(rows, 3)).toMatchObject({ outcome: 'success', idp: 'saml', mfa_challenged: null });
  });

  it('maps Panther\'s flattened layout: 6 successes, 1 failure; login_success typed account_warning is skipped', async () => {
    const rows = await stagedRows(connection, googleWorkspace, fixture('google-workspace/panther_gsuite_login_tests.jsonl'));
    expect(tally(rows)).toEqual({
      rows: 18, success: 6, failure: 1, unmapped: 0,
      skipped: {
        'no event name': 1, 'not a login event: account_warning.login_success': 2, 'not a login event: account_disabled_spamming': 2,
        'not a login event: account_disabled_password_leak': 1, 'not a login event: email_forwarding_out_of_domain': 1,
        'not a login event: gov_attack_warning': 1, 'not a login event: logout': 1, 'not a login event: suspicious_login': 1,
        'not a login event: suspicious_login ': 1,
      },
    });
    expect(row(rows, 3)).toMatchObject({ outcome: 'success', mfa_challenged: 'false', user_raw: 'homer.simpson@example.com' });
    expect(row(rows, 12)).toMatchObject({ app: 'Some SAML Application', ts: '2022-05-26 15:26:09.421000000', ip_raw: '10.10.10.10' });
    expect(row(rows, 18)).toMatchObject({ outcome: 'failure', user_raw: 'bob@example.com' });
  });

  it('loads a Reports API page through ingestFile', async () => {
    expect(await ingestCounts(googleWorkspace, page)).toEqual({
      rowsRead: 5, loaded: 3, quarantined: 0, duplicates: 0, skipped: 2, reasons: {},
    });
  });
});

describe.runIf(haveRealSamples)('googleWorkspace.stage on the shared real samples', () => {
  it('maps the Elastic login records: 2 successes, 1 failure; challenges, verifications and warnings skipped', async () => {
    const rows = await stagedRows(connection, googleWorkspace, realSample('google_workspace/elastic_gws_test-login.log'));
    const counts = tally(rows);
    expect({ ...counts, skipped: undefined }).toEqual({ rows: 17, success: 2, failure: 1, unmapped: 0, skipped: undefined });
    expect(counts.skipped).toMatchObject({
      'intermediate step: login_challenge': 1, 'intermediate step: login_verification': 2, 'not a login event: logout': 1,
      'not a login event: risky_sensitive_action_allowed': 1, 'not a login event: gov_attack_warning': 1,
    });
    expect(row(rows, 10)).toMatchObject({ outcome: 'failure', error_code: 'login_failure_access_code_disallowed', idp: 'exchange', mfa_challenged: 'true' });
    expect(row(rows, 15)).toMatchObject({ outcome: 'success', idp: 'google_password', mfa_challenged: 'false' });
  });
});
