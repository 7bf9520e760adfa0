import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { LoginFormat } from '../../src/ingest/format.js';
import { openStore, type Store } from '../../src/store/open.js';
import { run } from '../../src/store/query.js';
import { raw, sql } from '../../src/store/sql.js';
import { canonicalFixture, ingest, rows, tableCounts, tempDir } from './helpers.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

/** A format whose records are CSV rows with a `skip` column: a test double for vendor mappings. */
const skipping: LoginFormat = {
  name: 'okta',
  description: 'test rows with a skip column',
  detect: () => true,
  stage: (file) => sql`
    SELECT row_number() OVER ()::BIGINT AS source_row, to_json(r)::VARCHAR AS record, event_id, ts, user_id AS user_raw,
           NULL::VARCHAR AS tenant, NULL::VARCHAR AS idp, NULL::VARCHAR AS app, NULL::VARCHAR AS region,
           NULL::VARCHAR AS provider, outcome, NULL::VARCHAR AS error_code, NULL::VARCHAR AS latency_ms,
           NULL::VARCHAR AS mfa_challenged, NULL::VARCHAR AS shadow_outcome, NULL::VARCHAR AS shadow_diff,
           NULL::VARCHAR AS ip_raw, nullif(skip, '') AS skip_reason, NULL::JSON AS attributes
    FROM read_csv(${file}, all_varchar = true) r`,
};

describe('ingestFile', () => {
  it('loads canonical rows with typed values, filled ids, networks and extra columns kept', async () => {
    const result = await ingest(store.connection, canonicalFixture('logins.csv'));
    expect(result).toMatchObject({ rowsRead: 4, loaded: 4, quarantined: 0, duplicates: 0, skipped: 0, format: 'canonical' });
    const events = await rows(store.connection, sql`
      SELECT event_id, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts, tenant, provider, outcome, error_code, latency_ms,
             mfa_challenged, shadow_outcome, ip_prefix, attributes::VARCHAR AS attributes, source_format
      FROM login_events ORDER BY ts`);
    expect(events).toEqual([
      { event_id: 'e1', ts: '2026-10-01T08:00:00Z', tenant: 't001', provider: 'legacy', outcome: 'success', error_code: null,
        latency_ms: 120.5, mfa_challenged: false, shadow_outcome: 'match', ip_prefix: '203.0.113.0/24',
        attributes: '{"device":"laptop"}', source_format: 'canonical' },
      { event_id: 'e2', ts: '2026-10-01T08:00:01Z', tenant: 't001', provider: 'candidate', outcome: 'failure',
        error_code: 'invalid_grant', latency_ms: 340, mfa_challenged: true, shadow_outcome: 'mismatch',
        ip_prefix: '2001:db8:1::/48', attributes: '{"device":"phone"}', source_format: 'canonical' },
      { event_id: 'e3', ts: '2026-10-01T08:00:02Z', tenant: 't002', provider: 'candidate', outcome: 'success', error_code: null,
        latency_ms: 98, mfa_challenged: null, shadow_outcome: null, ip_prefix: null, attributes: '{"device":null}',
        source_format: 'canonical' },
      { event_id: expect.stringMatching(/^h:[0-9a-f]{32}$/), ts: '2026-10-01T08:00:03Z', tenant: null, provider: 'legacy',
        outcome: 'success', error_code: null, latency_ms: 77.25, mfa_challenged: false, shadow_outcome: null,
        ip_prefix: '10.1.2.0/24', attributes: '{"device":null}', source_format: 'canonical' },
    ]);
  });

  it('quarantines each kind of bad row with its reason and record, and counts in-file duplicates', async () => {
    const file = canonicalFixture('bad.csv');
    const result = await ingest(store.connection, file);
    expect(result).toMatchObject({ rowsRead: 10, loaded: 1, quarantined: 8, duplicates: 1, skipped: 0 });
    const quarantined = await rows<{ source_row: number; reason: string }>(store.connection, sql`
      SELECT source_row::INTEGER AS source_row, reason FROM quarantine ORDER BY source_row`);
    expect(quarantined).toEqual([
      { source_row: 2, reason: 'missing timestamp' },
      { source_row: 3, reason: 'unparseable timestamp: yesterday' },
      { source_row: 4, reason: 'unknown outcome: SUCCESS' },
      { source_row: 5, reason: 'latency_ms is not a number: fast' },
      { source_row: 6, reason: 'mfa_challenged is not a boolean: maybe' },
      { source_row: 7, reason: 'unknown shadow_outcome: agree' },
      { source_row: 9, reason: 'missing outcome' },
      { source_row: 10, reason: 'latency_ms is negative: -5' },
    ]);
    const [first] = await rows<{ file: string; record: string; run_id: string }>(store.connection, sql`
      SELECT file, record, run_id FROM quarantine WHERE source_row = 3`);
    expect(first?.file).toBe(file);
    expect(first?.run_id).toBe(result.runId);
    expect(JSON.parse(first?.record ?? '{}')).toMatchObject({ event_id: 'b3', ts: 'yesterday' });
  });

  it('keeps read = loaded + quarantined + duplicates + skipped, and records the run with those counts', async () => {
    const csv = csvFile('event_id,ts,user_id,outcome,skip\n' +
      'a,2026-10-01T00:00:00Z,u1,success,\n' +
      'b,2026-10-01T00:00:01Z,u1,success,not a login event: user.session.end\n' +
      'c,2026-10-01T00:00:02Z,u2,failure,not a login event: user.session.end\n' +
      'd,2026-10-01T00:00:03Z,u2,denied,\n' +
      'e,2026-10-01T00:00:04Z,u3,success,not a login event: policy.evaluate_sign_on\n' +
      'a,2026-10-01T00:00:00Z,u1,success,\n');
    const result = await ingest(store.connection, await csv, skipping);
    expect(result).toMatchObject({ rowsRead: 6, loaded: 1, quarantined: 1, duplicates: 1, skipped: 3 });
    expect(result.loaded + result.quarantined + result.duplicates + result.skipped).toBe(result.rowsRead);
    const skipped = await rows(store.connection, sql`SELECT reason, count::INTEGER AS count FROM skipped ORDER BY reason`);
    expect(skipped).toEqual([
      { reason: 'not a login event: policy.evaluate_sign_on', count: 1 },
      { reason: 'not a login event: user.session.end', count: 2 },
    ]);
    const runs = await rows(store.connection, sql`
      SELECT format, rows_read::INTEGER AS r, loaded::INTEGER AS l, quarantined::INTEGER AS q, duplicates::INTEGER AS d,
             skipped::INTEGER AS s, sha256 = ${result.sha256} AS same_sha, finished_at >= started_at AS ordered
      FROM ingest_runs`);
    expect(runs).toEqual([{ format: 'okta', r: 6, l: 1, q: 1, d: 1, s: 3, same_sha: true, ordered: true }]);
    const [provider] = await rows(store.connection, sql`SELECT DISTINCT provider FROM login_events`);
    expect(provider).toEqual({ provider: 'okta' });
  });

  it('loads nothing twice: the same file is recognised by its bytes, the same events by their ids', async () => {
    const first = await ingest(store.connection, canonicalFixture('logins.csv'));
    const again = await ingest(store.connection, canonicalFixture('logins.csv'));
    expect(again.alreadyIngestedBy).toEqual({ runId: first.runId, finishedAt: expect.stringMatching(/Z$/) });
    expect(again.loaded).toBe(0);
    const overlapping = await ingest(store.connection, canonicalFixture('logins.jsonl'));
    expect(overlapping).toMatchObject({ rowsRead: 2, loaded: 1, duplicates: 1 });
    expect(await tableCounts(store.connection)).toMatchObject({ login_events: 5, ingest_runs: 2 });
  });

  it('gives a row without event_id the same id wherever it is read from', async () => {
    const one = await csvFile('ts,user_id,outcome\n2026-10-01T00:00:00Z,u1,success\n');
    const two = await csvFile('ts,user_id,outcome,event_id\n2026-10-01T00:00:00Z,u1,success,\n');
    expect((await ingest(store.connection, one)).loaded).toBe(1);
    expect(await ingest(store.connection, two)).toMatchObject({ loaded: 0, duplicates: 1 });
    const typed = join(await tempDir(), 'typed.parquet');
    // COPY cannot bind its target; the path is one this test made.
    await run(store.connection, sql`COPY (SELECT TIMESTAMPTZ '2026-10-01 00:00:00+00' AS ts, 'u1' AS user_id, 'success' AS outcome)
      TO ${raw(`'${typed}'`)} (FORMAT parquet)`);
    expect(await ingest(store.connection, typed)).toMatchObject({ loaded: 0, duplicates: 1 });
  });

  it('stores a keyed hash of each user, never the raw id', async () => {
    await ingest(store.connection, canonicalFixture('logins.csv'));
    const users = await rows<{ user_id: string; n: number }>(store.connection, sql`
      SELECT user_id, count(*)::INTEGER AS n FROM login_events GROUP BY user_id ORDER BY n DESC, user_id`);
    expect(users.map(u => u.n)).toEqual([2, 1, 1]);
    for (const { user_id } of users) expect(user_id).toMatch(/^[0-9a-f]{32}$/);
    const [leak] = await rows<{ n: number }>(store.connection, sql`
      SELECT count(*)::INTEGER AS n FROM login_events WHERE list_contains(
        [user_id, event_id, tenant, attributes::VARCHAR, ip_prefix], 'alice@example.com')
        OR contains(attributes::VARCHAR, 'example.com')`);
    expect(leak?.n).toBe(0);

    const other = await openStore(':memory:');
    try {
      await ingest(other.connection, canonicalFixture('logins.csv'), undefined, { pseudonymKey: 'another-key-0123456789' });
      const otherUsers = await rows<{ user_id: string }>(other.connection, sql`SELECT DISTINCT user_id FROM login_events`);
      expect(otherUsers.some(u => users.some(v => v.user_id === u.user_id))).toBe(false);
    } finally {
      other.close();
    }
  });

  it('fills tenant and provider from the options only where the row has none', async () => {
    await ingest(store.connection, canonicalFixture('logins.csv'), undefined, { tenant: 't999', provider: 'legacy-x' });
    const filled = await rows(store.connection, sql`SELECT event_id, tenant, provider FROM login_events ORDER BY ts`);
    expect(filled.map(r => r['tenant'])).toEqual(['t001', 't001', 't002', 't999']);
    expect(filled.map(r => r['provider'])).toEqual(['legacy', 'candidate', 'candidate', 'legacy']);
  });

  it('leaves the store as it was when a statement fails mid-run', async () => {
    await ingest(store.connection, canonicalFixture('logins.csv'));
    const before = await tableCounts(store.connection);
    // Binds, then fails while executing: the error comes after the transaction began.
    const failing: LoginFormat = { ...skipping, stage: (file) => sql`
      SELECT * REPLACE (CASE WHEN source_row = 2 THEN error('disk on fire') ELSE ts END AS ts) FROM (${skipping.stage(file, {})})` };
    const file = await csvFile('event_id,ts,user_id,outcome,skip\nx1,2026-10-01T00:00:00Z,u1,success,\nx2,2026-10-01T00:00:00Z,u1,success,\n');
    await expect(ingest(store.connection, file, failing)).rejects.toThrow(/disk on fire/);
    expect(await tableCounts(store.connection)).toEqual(before);
    expect(await ingest(store.connection, file, skipping)).toMatchObject({ loaded: 2 });
  });
});

describe('ingestFile on files DuckDB cannot read to the end', () => {
  it('throws a UserError naming the file, and leaves the store as it was', async () => {
    const file = join(await tempDir(), 'broken.jsonl');
    await writeFile(file, '{"ts":"2026-10-01T00:00:00Z","user_id":"u","outcome":"success"}\n{"ts": broken\n');
    const failing = ingest(store.connection, file);
    await expect(failing).rejects.toBeInstanceOf(UserError);
    await expect(failing).rejects.toThrow(`${file}: cannot ingest as canonical: Invalid Input Error: Malformed JSON`);
    expect(await tableCounts(store.connection)).toEqual({ login_events: 0, ingest_runs: 0, quarantine: 0, skipped: 0 });
  });
});

describe('ingestFile timestamps', () => {
  it('reads 13-digit epoch milliseconds and quarantines other bare numbers', async () => {
    const file = await csvFile('ts,user_id,outcome\n1790841603000,u,success\n20261001,u,success\n99999999999999999999,u,success\n');
    expect(await ingest(store.connection, file)).toMatchObject({ loaded: 1, quarantined: 2 });
    const [event] = await rows(store.connection, sql`SELECT strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts FROM login_events`);
    expect(event).toEqual({ ts: '2026-10-01T08:00:03Z' });
    const reasons = await rows(store.connection, sql`SELECT reason FROM quarantine ORDER BY source_row`);
    expect(reasons).toEqual([{ reason: 'unparseable timestamp: 20261001' }, { reason: 'unparseable timestamp: 99999999999999999999' }]);
  });
});

async function csvFile(text: string): Promise<string> {
  const file = join(await tempDir(), 'rows.csv');
  await writeFile(file, text);
  return file;
}
