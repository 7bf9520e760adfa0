import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGED_COLUMNS } from '../../src/ingest/format.js';
import { canonical, canonicalReader } from '../../src/ingest/formats/canonical.js';
import { detectFormat } from '../../src/ingest/formats/index.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { readSample } from '../../src/ingest/read-sample.js';
import { openStore, type Store } from '../../src/store/open.js';
import { allJson, run } from '../../src/store/query.js';
import { raw, sql } from '../../src/store/sql.js';
import { canonicalFixture, tempDir } from './helpers.js';

let store: Store;
let dir: string;
beforeAll(async () => {
  store = await openStore(':memory:');
  dir = await tempDir();
});
afterAll(() => store.close());

interface Staged { source_row: number; event_id: string | null; ts: string; user_raw: string; ip_raw: string | null; attributes: string | null }

async function staged(file: string): Promise<Staged[]> {
  return allJson<Staged>(store.connection, sql`
    SELECT coalesce(source_row, row_number() OVER ())::INTEGER AS source_row, event_id, ts, user_raw, ip_raw,
           attributes::VARCHAR AS attributes
    FROM (${canonical.stage(file, {})}) ORDER BY source_row`);
}

describe('canonical.detect', () => {
  it('accepts a CSV header or JSON keys with ts, user_id and outcome, and any .parquet', async () => {
    expect(canonical.detect(await readSample(canonicalFixture('logins.csv')))).toBe(true);
    expect(canonical.detect(await readSample(canonicalFixture('logins.jsonl')))).toBe(true);
    expect(canonical.detect({ file: 'x.parquet', text: 'PAR1', records: [] })).toBe(true);
    expect(canonical.detect({ file: 'x.csv', text: 'time,user,result\n', records: [] })).toBe(false);
    expect(canonical.detect({ file: 'x.jsonl', text: '', records: [{ published: 'x', actor: {} }] })).toBe(false);
  });

  it('is what auto-detection picks for canonical files', async () => {
    expect(detectFormat(await readSample(canonicalFixture('logins.csv')))?.name).toBe('canonical');
  });
});

describe('canonical.stage', () => {
  it('returns exactly the STAGED_COLUMNS', async () => {
    const columns = await allJson<{ column_name: string; column_type: string }>(store.connection,
      sql`DESCRIBE ${canonical.stage(canonicalFixture('logins.csv'), {})}`);
    expect(columns.map(c => c.column_name)).toEqual([...STAGED_COLUMNS]);
    expect(columns.find(c => c.column_name === 'source_row')?.column_type).toBe('BIGINT');
    expect(columns.find(c => c.column_name === 'attributes')?.column_type).toBe('JSON');
  });

  it('reads CSV, gzipped CSV, JSON Lines, a JSON array and Parquet to the same staged values', async () => {
    const csv = canonicalFixture('logins.csv');
    const gz = join(dir, 'logins.csv.gz');
    await writeFile(gz, gzipSync(await readFile(csv)));
    const parquet = join(dir, 'logins.parquet');
    // COPY cannot bind its target; the path is one this test made.
    await run(store.connection, sql`COPY (SELECT * FROM read_csv(${csv}, all_varchar = true)) TO ${raw(`'${parquet}'`)} (FORMAT parquet)`);
    const fromCsv = await staged(csv);
    expect(fromCsv.map(r => r.source_row)).toEqual([1, 2, 3, 4]);
    expect(fromCsv[0]).toEqual({ source_row: 1, event_id: 'e1', ts: '2026-10-01T08:00:00Z', user_raw: 'alice@example.com',
      ip_raw: '203.0.113.77', attributes: '{"device":"laptop"}' });
    expect(await staged(gz)).toEqual(fromCsv);
    expect(await staged(parquet)).toEqual(fromCsv);

    const jsonl = await staged(canonicalFixture('logins.jsonl'));
    expect(jsonl[1]).toEqual({ source_row: 2, event_id: 'j1', ts: '2026-10-01T09:00:00+02:00', user_raw: 'erin@example.com',
      ip_raw: null, attributes: '{"geo":{"city":"Pune"}}' });
    const array = join(dir, 'logins.json');
    const lines = (await readFile(canonicalFixture('logins.jsonl'), 'utf8')).trim().split('\n');
    await writeFile(array, `[\n${lines.join(',\n')}\n]`);
    expect(await staged(array)).toEqual(jsonl);
  });

  it('fails to bind when a required column is missing', async () => {
    const file = join(dir, 'no-ts.csv');
    await writeFile(file, 'event_id,user_id,outcome\n1,u,success\n');
    await expect(staged(file)).rejects.toThrow(/ts/);
  });
});

describe('canonical quarantine', () => {
  it('keeps a quarantined row as the JSON of its source columns, from CSV and Parquet alike', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, 'event_id,ts,user_id,outcome,latency_ms,device\nb1,yesterday,u1,success,12,phone\nb2,2026-10-01T08:00:00Z,u2,success,7,\n');
    const parquet = join(dir, 'bad.parquet');
    // COPY cannot bind its target; the path is one this test made.
    await run(store.connection, sql`COPY (SELECT * FROM read_csv(${csv}, all_varchar = true)) TO ${raw(`'${parquet}'`)} (FORMAT parquet)`);
    for (const file of [csv, parquet]) {
      const target = await openStore(':memory:');
      try {
        await ingestFile(target.connection, { file, format: canonical, sha256: file }, { pseudonymKey: 'test-key-0123456789abcdef' });
        expect(await allJson(target.connection, sql`SELECT source_row::INTEGER AS source_row, reason, record FROM quarantine`)).toEqual([{
          source_row: 1, reason: 'unparseable timestamp: yesterday',
          record: '{"event_id":"b1","ts":"yesterday","user_id":"u1","outcome":"success","latency_ms":"12","device":"phone"}',
        }]);
      } finally {
        target.close();
      }
    }
  });
});

describe('canonical typed Parquet', () => {
  it('loads and quarantines DOUBLE latencies and BOOLEAN MFA values as it does their text', async () => {
    const csv = join(dir, 'typed.csv');
    await writeFile(csv, 'event_id,ts,user_id,outcome,latency_ms,mfa_challenged\n' +
      'a,2026-10-01T08:00:00Z,u1,success,0.1,true\nb,2026-10-01T08:00:01Z,u2,success,nan,false\n' +
      'c,2026-10-01T08:00:02Z,u3,failure,-1.5,\n,2026-10-01T08:00:03Z,u4,success,1e-7,false\n');
    const parquet = join(dir, 'typed.parquet');
    // COPY cannot bind its target; the path is one this test made.
    await run(store.connection, sql`COPY (SELECT * REPLACE (latency_ms::DOUBLE AS latency_ms, mfa_challenged::BOOLEAN AS mfa_challenged)
      FROM read_csv(${csv}, all_varchar = true)) TO ${raw(`'${parquet}'`)} (FORMAT parquet)`);
    const loads = [];
    for (const file of [csv, parquet]) {
      const target = await openStore(':memory:');
      try {
        await ingestFile(target.connection, { file, format: canonical, sha256: file }, { pseudonymKey: 'test-key-0123456789abcdef' });
        loads.push({
          events: await allJson(target.connection, sql`SELECT * EXCLUDE (ingest_run_id) FROM login_events ORDER BY ts`),
          reasons: await allJson(target.connection, sql`SELECT source_row::INTEGER AS source_row, reason FROM quarantine ORDER BY source_row`),
        });
      } finally {
        target.close();
      }
    }
    expect(loads[0]?.reasons).toEqual([
      { source_row: 2, reason: 'latency_ms is not a number: nan' }, { source_row: 3, reason: 'latency_ms is negative: -1.5' },
    ]);
    expect(loads[0]?.events).toHaveLength(2);
    expect(loads[1]).toEqual(loads[0]);
  });
});

describe('canonical source rows', () => {
  it('numbers rows in file order when DuckDB reads a large CSV on several threads', async () => {
    const csv = join(dir, 'many.csv');
    // Every 49,999th row has a bad timestamp; its event_id says which row it is.
    await run(store.connection, sql`COPY (
      SELECT 'r' || i AS event_id, CASE WHEN i % 49999 = 0 THEN 'bad' ELSE '2026-10-01T08:00:00Z' END AS ts,
             'u' || (i % 7) AS user_id, 'success' AS outcome
      FROM range(1, 400001) r(i)) TO ${raw(`'${csv}'`)} (FORMAT csv, HEADER)`);
    // Also where the connection has insertion order turned off: ingest turns it on for its pass, and back off.
    for (const preserveOrder of [true, false]) {
      const target = await openStore(':memory:', { threads: 4 });
      try {
        await run(target.connection, sql`SET preserve_insertion_order = ${preserveOrder}`);
        await ingestFile(target.connection, { file: csv, format: canonical, sha256: csv }, { pseudonymKey: 'test-key-0123456789abcdef' });
        const rows = await allJson<{ source_row: number; event_id: string }>(target.connection,
          sql`SELECT source_row::INTEGER AS source_row, record ->> 'event_id' AS event_id FROM quarantine ORDER BY source_row`);
        expect(rows).toHaveLength(8);
        for (const row of rows) expect(row.event_id).toBe(`r${row.source_row}`);
        expect(await allJson(target.connection, sql`SELECT current_setting('preserve_insertion_order') AS preserve`))
          .toEqual([{ preserve: preserveOrder }]);
      } finally {
        target.close();
      }
    }
  });
});

describe('canonicalReader', () => {
  it('chooses the reader by extension, looking through .gz', () => {
    expect(['a.parquet', 'a.jsonl.gz', 'a.ndjson', 'a.json', 'a.csv.gz', 'a.txt'].map(canonicalReader))
      .toEqual(['parquet', 'json', 'json', 'json', 'csv', 'csv']);
  });
});
