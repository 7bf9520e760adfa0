import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { entra } from '../../../src/ingest/formats/entra.js';
import { tempDir } from '../helpers.js';
import { fixture, haveRealSamples, ingestCounts, realSample, row, stagedRows, tally, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

const stripRecord = <T extends { record: string }>({ record: _record, ...rest }: T) => rest;

describe('entra.stage', () => {
  it('maps the 86 msticpy SigninLogs rows: 84 successes, 2 failures with code 90072', async () => {
    const rows = await stagedRows(connection, entra, fixture('entra/msticpy_aad_logons_SigninLogs.jsonl'));
    expect(tally(rows)).toEqual({ rows: 86, success: 84, failure: 2, unmapped: 0, skipped: {} });
    expect(row(rows, 1)).toMatchObject({
      event_id: 'f05079ed-f820-4531-ab26-498b53af3800', ts: '2020-05-20T18:19:04Z', user_raw: 'ctfuser3@seccxp.ninja',
      tenant: '4b2462a4-bbee-495a-a0e1-f23ae524cc9c', idp: 'AzureAD', app: 'Azure Portal', region: 'US',
      outcome: 'success', error_code: null, latency_ms: '366', mfa_challenged: 'false', ip_raw: '24.13.212.221',
    });
    expect(row(rows, 1).attributes).toMatchObject({ conditional_access_status: 'notApplied', os: 'Windows 10', browser: 'Edge 81.0.416' });
    expect(row(rows, 10)).toMatchObject({ outcome: 'failure', error_code: '90072', mfa_challenged: 'true', latency_ms: '177' });
  });

  it('stages the CSV export (nested columns JSON-encoded) exactly as the JSON Lines one', async () => {
    const json = await stagedRows(connection, entra, fixture('entra/msticpy_aad_logons_SigninLogs.jsonl'));
    const csv = await stagedRows(connection, entra, fixture('entra/msticpy_aad_logons_SigninLogs.csv'));
    expect(csv.map(stripRecord)).toEqual(json.map(stripRecord));
  });

  it('maps diagnostic-settings records and skips workload-identity sign-ins', async () => {
    const rows = await stagedRows(connection, entra, fixture('entra/panther_azure_signinlogs_tests.jsonl'));
    expect(tally(rows)).toEqual({
      rows: 26, success: 14, failure: 4, unmapped: 0, skipped: { 'not a user sign-in: ServicePrincipalSignInLogs': 8 },
    });
    expect(row(rows, 3)).toMatchObject({
      user_raw: 'boromir@lotr.com', tenant: 'tenant-123', app: 'Microsoft Office', region: 'RU',
      outcome: 'failure', error_code: '50053', mfa_challenged: 'false', ip_raw: '4.4.4.4',
    });
    expect(row(rows, 2)).toMatchObject({ outcome: 'success', error_code: null });
    expect(row(rows, 13)).toMatchObject({ event_id: 'd9ae0e20-c959-42a3-ba74-00f59ac9f6c6', ts: '2023-07-21 05:03:52.160562400', latency_ms: '343' });
  });

  it('maps Graph API signIn pages: the same camelCase fields at the top, signInEventTypes as the category', async () => {
    const rows = await stagedRows(connection, entra, fixture('entra/handmade_graph-signins-page.json'));
    expect(tally(rows)).toEqual({
      rows: 3, success: 1, failure: 1, unmapped: 0, skipped: { 'not a user sign-in: ServicePrincipalSignInLogs': 1 },
    });
    expect(row(rows, 1)).toMatchObject({
      event_id: '6e7c1a2b-0000-4e00-8000-000000000001', ts: '2026-03-02T06:00:00Z', user_raw: 'ana@acme.test',
      tenant: '7a000000-0000-4000-8000-0000000000aa', idp: 'AzureAD', app: 'Azure Portal', region: 'NO',
      outcome: 'success', latency_ms: '412', mfa_challenged: 'true', ip_raw: '198.51.100.7',
    });
    expect(row(rows, 2)).toMatchObject({ outcome: 'failure', error_code: '50126', mfa_challenged: 'false', region: 'SE' });
    expect(row(rows, 2).attributes).toMatchObject({ os: 'MacOs', city: 'Stockholm' });
  });

  it('unwraps Event Hub {"records": [...]} messages; non-interactive sign-ins count, audit records are skipped', async () => {
    const rows = await stagedRows(connection, entra, fixture('entra/handmade_event-hub-records.json'));
    expect(tally(rows)).toEqual({ rows: 3, success: 1, failure: 1, unmapped: 0, skipped: { 'not a sign-in: AuditLogs': 1 } });
    expect(row(rows, 2)).toMatchObject({ error_code: '70044', ts: '2026-03-02T05:01:00.0000000+00:00', app: 'Microsoft Teams' });
    expect(row(rows, 2).attributes).toMatchObject({ category: 'NonInteractiveUserSignInLogs', is_interactive: 'false' });
  });

  it('tells a JSON null from a missing key: a null object column or Graph marker counts as there', async () => {
    const base = { CreatedDateTime: '2026-03-02T06:00:00Z', ResultType: '50126', UserPrincipalName: 'u@acme.test' };
    const file = join(await tempDir(), 'nulls.jsonl');
    await writeFile(file, [
      { ...base, Category: 'SignInLogs', Id: 'a', DeviceDetail: null, properties: { deviceDetail: { operatingSystem: 'Linux' } } },
      { ...base, Category: 'SignInLogs', Id: 'b', properties: { deviceDetail: { operatingSystem: 'Linux' } } },
      { ...base, Id: 'c', createdDateTime: null, userPrincipalName: null },
      { ...base, Id: 'd', createdDateTime: '2026-03-02T06:00:00Z', userPrincipalName: 'u@acme.test', properties: null, appDisplayName: 'Portal' },
    ].map((record) => JSON.stringify(record)).join('\n'));
    const rows = await stagedRows(connection, entra, file);
    expect(row(rows, 1).attributes).not.toHaveProperty('os');
    expect(row(rows, 2).attributes).toMatchObject({ os: 'Linux' });
    expect(row(rows, 3)).toMatchObject({ skip_reason: null, attributes: { category: 'SignInLogs' } });
    expect(row(rows, 4)).toMatchObject({ app: null });
  });

  it('loads msticpy rows through ingestFile: each sign-in Id appears twice in Microsoft\'s sample', async () => {
    expect(await ingestCounts(entra, fixture('entra/msticpy_aad_logons_SigninLogs.csv'))).toEqual({
      rowsRead: 86, loaded: 45, quarantined: 0, duplicates: 41, skipped: 0, reasons: {},
    });
  });
});

describe.runIf(haveRealSamples)('entra.stage on the shared real samples', () => {
  it.each([
    ['entra_signin/msticnb_aad_signin_random_SigninLogs.jsonl', 300, 290, 10],
    ['entra_signin/msticnb_aad_signin_random_SigninLogs.csv', 300, 290, 10],
    ['entra_signin/msticnb_aad_signin_user_SigninLogs.jsonl', 31, 31, 0],
    ['entra_signin/msticnb_aad_signin_user_SigninLogs.csv', 31, 31, 0],
  ])('maps %s: %i rows, %i successes, %i failures', async (path, total, success, failure) => {
    const rows = await stagedRows(connection, entra, realSample(path));
    expect(tally(rows)).toEqual({ rows: total, success, failure, unmapped: 0, skipped: {} });
  });

  it('keeps the msticnb error codes: 50058 ×3, 50074 ×3, 50155 ×2, 50097, 50053', async () => {
    const rows = await stagedRows(connection, entra, realSample('entra_signin/msticnb_aad_signin_random_SigninLogs.jsonl'));
    const codes = rows.flatMap((r) => (r.error_code === null ? [] : [r.error_code])).sort();
    expect(codes).toEqual(['50053', '50058', '50058', '50058', '50074', '50074', '50074', '50097', '50155', '50155']);
  });

  it('maps the Elastic diagnostic-settings lines: two user sign-ins failed with 50140, three workload ones skipped', async () => {
    const rows = await stagedRows(connection, entra, realSample('entra_signin/elastic_azure_test-signinlogs-raw.log'));
    expect(tally(rows)).toEqual({
      rows: 5, success: 0, failure: 2, unmapped: 0,
      skipped: {
        'not a user sign-in: ServicePrincipalSignInLogs': 1, 'not a user sign-in: MicrosoftServicePrincipalSignInLogs': 1,
        'not a user sign-in: ManagedIdentitySignInLogs': 1,
      },
    });
    expect(row(rows, 1)).toMatchObject({ error_code: '50140', ts: '2019-10-18T04:45:48.0729893-05:00', region: 'FR', latency_ms: '239' });
  });
});
