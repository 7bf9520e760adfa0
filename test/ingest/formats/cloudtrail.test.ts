import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { cloudtrail } from '../../../src/ingest/formats/cloudtrail.js';
import { fixture, haveRealSamples, ingestCounts, realSample, row, stagedRows, tally, useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

describe('cloudtrail.stage', () => {
  const panther = fixture('cloudtrail/panther_cloudtrail_signin_tests.jsonl');

  it('maps the 39 ConsoleLogin records (25 Success, 12 Failure, 2 without a result) and skips the other 6', async () => {
    const rows = await stagedRows(connection, cloudtrail, panther);
    expect(tally(rows)).toEqual({
      rows: 45, success: 25, failure: 12, unmapped: 2,
      skipped: {
        'not a login event: GetSigninToken': 2, 'not a login event: PasswordUpdated': 2,
        'not a login event: AssumeRole': 1, 'not a login event: ExternalIdPDirectoryLogin': 1,
      },
    });
    expect(rows.filter((r) => r.mfa_challenged === 'true')).toHaveLength(5);
    expect(row(rows, 5)).toMatchObject({
      event_id: 'd38ce1b3-4575-4cb8-a632-611b8243bfc3', ts: '2022-11-10T16:24:34Z', user_raw: 'anaya', tenant: '111122223333',
      idp: 'IAMUser', app: 'https://console.aws.amazon.com/console/home', region: 'us-east-1',
      outcome: 'failure', error_code: 'Failed authentication', mfa_challenged: 'true', ip_raw: '192.0.2.0',
    });
    expect(row(rows, 6)).toMatchObject({ idp: 'AssumedRole', user_raw: expect.stringContaining('assumed-role/AWSReservedSSO_DevAdmin') });
  });

  it('unwraps the {"Records": [...]} files CloudTrail writes to S3', async () => {
    const rows = await stagedRows(connection, cloudtrail, fixture('cloudtrail/handmade_s3-records.json'));
    expect(tally(rows)).toEqual({ rows: 3, success: 1, failure: 1, unmapped: 0, skipped: { 'not a login event: SwitchRole': 1 } });
    expect(row(rows, 1)).toMatchObject({
      event_id: 'c0000000-0000-4000-8000-000000000001', user_raw: 'ana', mfa_challenged: 'true',
      app: 'https://console.aws.amazon.com/console/home', region: 'eu-north-1', tenant: '210987654321',
    });
    expect(row(rows, 2)).toMatchObject({ user_raw: 'arn:aws:iam::210987654321:root', idp: 'Root', mfa_challenged: 'false' });
  });

  it('loads through ingestFile: 27 tests share eventID "1", and two id-less ones stage to the same values', async () => {
    expect(await ingestCounts(cloudtrail, panther)).toEqual({
      rowsRead: 45, loaded: 7, quarantined: 5, duplicates: 27, skipped: 6,
      reasons: { 'missing outcome': 1, 'missing timestamp': 4 },
    });
  });
});

describe.runIf(haveRealSamples)('cloudtrail.stage on the shared real samples', () => {
  it('maps the three AWS documentation examples: one success, two failures', async () => {
    const rows = await stagedRows(connection, cloudtrail, realSample('aws_cloudtrail/elastic_test-console-login-json.log'));
    expect(tally(rows)).toEqual({ rows: 3, success: 1, failure: 2, unmapped: 0, skipped: {} });
    expect(row(rows, 1)).toMatchObject({ user_raw: 'JohnDoe', tenant: '111122223333', region: 'us-east-2', mfa_challenged: 'false',
      app: 'https://console.aws.amazon.com/s3/' });
    expect(row(rows, 3)).toMatchObject({ idp: 'AssumedRole', tenant: '123456789012', error_code: 'Failed authentication' });
  });
});
