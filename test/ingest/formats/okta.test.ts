import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { okta } from '../../../src/ingest/formats/okta.js';
import { fixture, haveRealSamples, ingestCounts, realSample, row, stagedRows, tally, type StagedRow, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

describe('okta.stage', () => {
  const panther = fixture('okta/panther_okta_systemlog_tests.jsonl');
  let rows: StagedRow[];
  beforeAll(async () => {
    rows = await stagedRows(connection, okta, panther);
  });

  it('stages the 93 Panther events: 24 successes, 21 failures, 1 without a result, 47 skipped', () => {
    const counts = tally(rows);
    expect({ ...counts, skipped: undefined }).toEqual({ rows: 93, success: 24, failure: 21, unmapped: 1, skipped: undefined });
    expect(Object.values(counts.skipped).reduce((a, b) => a + b, 0)).toBe(47);
    expect(counts.skipped).toMatchObject({
      'no eventType': 2,
      'not a login event: policy.evaluate_sign_on': 5,
      'not a login event: system.org.rate_limit.warning': 4,
      'not a login event: user.account.privilege.grant': 3,
      'not a login event: logout': 1,
      'not a login event: user.session.impersonation.grant': 1,
    });
    expect(rows.map((r) => r.source_row)).toEqual(Array.from({ length: 93 }, (_, i) => i + 1));
  });

  it('reads the lower-cased top-level keys of Panther fixtures as Okta spells them', () => {
    expect(row(rows, 6)).toMatchObject({
      event_id: 'AbC-123-XyZ', ts: '2022-06-22 18:18:29.015', user_raw: 'homer.simpson@duff.com', region: 'United States',
      outcome: 'failure', error_code: 'INVALID_CREDENTIALS', ip_raw: '1.3.2.4', tenant: null, skip_reason: null,
    });
    expect(row(rows, 6).attributes).toMatchObject({ event_type: 'user.session.start', session_id: '100-abc-9999' });
  });

  it('marks user.authentication.auth_via_mfa as MFA-challenged', () => {
    expect(row(rows, 16)).toMatchObject({ outcome: 'success', mfa_challenged: 'true' });
    expect(row(rows, 21).mfa_challenged).toBeNull();
  });

  it('takes the app from the first AppInstance target, else the browser', () => {
    expect(row(rows, 21).app).toBe('Okta Dashboard');
    expect(row(rows, 44)).toMatchObject({ app: 'AWS IAM Identity Center', outcome: 'success' });
    expect(row(rows, 6).app).toBe('CHROME');
  });

  it('keeps outcome.reason as error_code on failures only', () => {
    expect(rows.filter((r) => r.outcome === 'success' && r.error_code !== null)).toEqual([]);
  });

  it('reads the /api/v1/logs JSON array', async () => {
    const array = await stagedRows(connection, okta, fixture('okta/grafana_okta-logs-collector_testdata_response.json'));
    expect(array).toHaveLength(1);
    expect(array[0]).toMatchObject({
      source_row: 1, user_raw: 'test@example.com', ts: '2009-11-10T23:00:00Z',
      skip_reason: 'not a login event: app.generic.unauth_app_access_attempt',
    });
  });

  it('skips a CHALLENGE as an intermediate step, reads idp and the first AppInstance, passes SKIPPED through', async () => {
    const edge = await stagedRows(connection, okta, fixture('okta/handmade_edge-cases.jsonl'));
    expect(tally(edge)).toEqual({ rows: 4, success: 1, failure: 1, unmapped: 1, skipped: { 'intermediate step: outcome CHALLENGE': 1 } });
    // A skipped row stages no idp, app or attributes (stagedSelect): nothing downstream reads them.
    expect(row(edge, 1)).toMatchObject({ mfa_challenged: 'true', idp: null, app: null });
    expect(row(edge, 2)).toMatchObject({ outcome: 'success', mfa_challenged: 'true', app: 'FIREFOX', region: 'Norway',
      idp: 'OKTA_CREDENTIAL_PROVIDER' });
    expect(row(edge, 2).attributes).toMatchObject({ factor: 'OKTA_VERIFY_PUSH', credential_type: 'OTP' });
    expect(row(edge, 3)).toMatchObject({ outcome: 'failure', error_code: 'Access denied by policy', idp: 'FEDERATION', app: 'Partner Hub' });
    expect(row(edge, 4)).toMatchObject({ outcome: 'SKIPPED', app: null });
  });

  it('loads the Panther events through ingestFile: uuids the tests reuse count as duplicates', async () => {
    // 46 login attempts: 5 without `published`, 3 'redacted', 1 without a result are quarantined;
    // the other 37 carry only 17 distinct uuids.
    expect(await ingestCounts(okta, panther)).toEqual({
      rowsRead: 93, loaded: 17, quarantined: 9, duplicates: 20, skipped: 47,
      reasons: { 'missing outcome': 1, 'missing timestamp': 5, 'unparseable timestamp: redacted': 3 },
    });
  });
});

describe.runIf(haveRealSamples)('okta.stage on the shared real samples', () => {
  it('maps the Elastic /api/v1/logs array: one session.start, two skipped', async () => {
    const rows = await stagedRows(connection, okta, realSample('okta/elastic_okta-system.json.log'));
    expect(tally(rows)).toEqual({
      rows: 3, success: 1, failure: 0, unmapped: 0,
      skipped: { 'not a login event: user.session.end': 1, 'not a login event: policy.evaluate_sign_on': 1 },
    });
    expect(row(rows, 2)).toMatchObject({ ts: '2020-02-14T20:18:57.718Z', outcome: 'success', skip_reason: null });
  });
});
