import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { jsonRecordFields, jsonRecords, maximumObjectSize, withJsonFields } from '../../../src/ingest/formats/vendor-json.js';
import { allJson, run } from '../../../src/store/query.js';
import { raw, sql, type Sql } from '../../../src/store/sql.js';
import { tempDir } from '../helpers.js';
import { useMemoryDuckDB } from './staged-rows.js';

let connection: DuckDBConnection;
useMemoryDuckDB((c) => (connection = c));

// Records numbered 1-6 in file order: a plain one, a batch with a {json} envelope, an empty batch, a `value`
// member that is a string looking like an array (so the object is a record), and a page of two.
const LINES = [
  { n: '1', name: 'plain' },
  { records: [{ n: '2', name: 'batched' }, { json: { n: '3', name: 'enveloped' } }] },
  { records: [] },
  { value: '[not an array]', n: '4', name: 'lookalike' },
  { value: [{ n: '5' }, { n: '6', name: 'paged' }] },
];

async function jsonLines(): Promise<string> {
  const file = join(await tempDir(), 'records.jsonl');
  await writeFile(file, LINES.map((line) => JSON.stringify(line)).join('\n'));
  return file;
}

/** The rows of `select`, stored as ingest stores them, with source_row as ingest numbers them (rowid + 1 when NULL). */
async function stored(select: Sql): Promise<Record<string, unknown>[]> {
  await run(connection, sql`CREATE OR REPLACE TEMP TABLE stored AS ${select}`);
  return allJson(connection, sql`SELECT * EXCLUDE (source_row, record), coalesce(source_row, rowid + 1)::INTEGER AS source_row,
    record ->> '$.n' AS record_n FROM stored ORDER BY rowid`);
}

describe('jsonRecords', () => {
  it('replaces each wrapper by its records, in file order', async () => {
    const rows = await stored(jsonRecords(await jsonLines(), ['records', 'value']));
    expect(rows.map((row) => [row.source_row, row.record_n])).toEqual([[1, '1'], [2, '2'], [3, '3'], [4, '4'], [5, '5'], [6, '6']]);
  });
});

describe('jsonRecordFields', () => {
  it('reads the text fields of plain and unwrapped records alike, in file order', async () => {
    const rows = await stored(jsonRecordFields(await jsonLines(), ['records', 'value'], { text: { n: '$.n', name: '$.name' } }));
    expect(rows).toEqual([
      { n: '1', name: 'plain', source_row: 1, record_n: '1' },
      { n: '2', name: 'batched', source_row: 2, record_n: '2' },
      { n: '3', name: 'enveloped', source_row: 3, record_n: '3' },
      { n: '4', name: 'lookalike', source_row: 4, record_n: '4' },
      { n: '5', name: null, source_row: 5, record_n: '5' },
      { n: '6', name: 'paged', source_row: 6, record_n: '6' },
    ]);
  });

  it('finds the wrappers in the parse of the type fields when there are no text fields', async () => {
    const rows = await stored(jsonRecordFields(await jsonLines(), ['records', 'value'], { type: { name_type: '$.name', value_type: '$.value' } }));
    expect(rows.map((row) => [row.source_row, row.record_n, row.name_type, row.value_type])).toEqual([
      [1, '1', 'VARCHAR', null], [2, '2', 'VARCHAR', null], [3, '3', 'VARCHAR', null], [4, '4', 'VARCHAR', 'VARCHAR'], [5, '5', null, null],
      [6, '6', 'VARCHAR', null],
    ]);
  });

  it('adds json and type fields as withJsonFields does', async () => {
    const rows = await stored(jsonRecordFields(await jsonLines(), ['records'], { json: { value: '$.value' }, type: { value_type: '$.value' } }));
    expect(rows.map((row) => [row.record_n, row.value_type])).toEqual([
      ['1', null], ['2', null], ['3', null], ['4', 'VARCHAR'], [null, 'ARRAY'],
    ]);
    expect(rows[3]?.value).toBe('"[not an array]"');
  });
});

describe('withJsonFields', () => {
  const RECORDS = [
    { Category: 'Pascal', category: 'camel', p: { s: 'x"y', n: 12, b: true, o: { k: [1, 2.5] }, a: [1, 'x'], z: null } },
    { category: 'camel only', p: 'not an object' },
    { p: { s: null } },
    [1, 2],
  ];
  const PATHS = {
    pascal: '$.Category', camel: '$.category', s: '$.p.s', n: '$.p.n', b: '$.p.b', o: '$.p.o', a: '$.p.a', z: '$.p.z', none: '$.p.none',
  };
  // The records are literals written above, without single quotes.
  const source = sql`SELECT i, j::JSON AS record FROM (VALUES ${raw(RECORDS.map((r, i) => `(${i}, '${JSON.stringify(r)}')`).join(', '))}) v(i, j)`;
  const rows = (fields: Parameters<typeof withJsonFields>[2]) =>
    allJson<Record<string, unknown>>(connection, sql`SELECT * EXCLUDE (record) FROM (${withJsonFields(source, 'record', fields)}) ORDER BY i`);

  it('reads struct fields as the text fields read them, keys that differ only in case included', async () => {
    expect(await rows({ struct: PATHS })).toEqual(await rows({ text: PATHS }));
    expect((await rows({ struct: PATHS }))[0]).toMatchObject({ pascal: 'Pascal', camel: 'camel', o: '{"k":[1,2.5]}', b: 'true' });
  });

  it('reads number fields as the text fields read them, reals printed as written; a struct field prints them as DuckDB does', async () => {
    // Raw JSON text: JSON.stringify would print the numbers its own way.
    const NUMBERS = ['1e23', '-1e-7', '1e16', '0.000001', '1E5', '-0.0', '50053', '12345678901234567890123', '"1e+23"', '"Success"', 'true', '{"x":1.5e300}', 'null'];
    const numbers = sql`SELECT i, j::JSON AS record FROM (VALUES ${raw(NUMBERS.map((n, i) => `(${i}, '{"p": {"n": ${n}}, "m": ${n}}')`).join(', '))}) v(i, j)`;
    const read = async (fields: Parameters<typeof withJsonFields>[2]) =>
      (await allJson<Record<string, unknown>>(connection, sql`SELECT n, m FROM (${withJsonFields(numbers, 'record', fields)}) ORDER BY i`));
    const paths = { n: '$.p.n', m: '$.m' };
    expect(await read({ number: paths })).toEqual(await read({ text: paths }));
    expect((await read({ number: paths })).map((row) => row.n)).toEqual([
      '1e23', '-1e-7', '10000000000000000.0', '0.000001', '100000.0', '-0.0', '50053', '12345678901234567890123', '1e+23', 'Success',
      'true', '{"x":1.5e300}', null]);
    expect((await read({ struct: paths })).slice(0, 4).map((row) => row.n)).toEqual(['1e+23', '-1e-07', '1e+16', '1e-06']);
    const mixed = await read({ struct: { n: '$.p.n' }, number: { m: '$.m' } });
    expect(mixed.map((row) => row.m)).toEqual((await read({ text: paths })).map((row) => row.m));
    expect(mixed.map((row) => row.n)).toEqual((await read({ struct: paths })).map((row) => row.n));
  });

  it('throws a RangeError for a struct path that another one passes through, or one that is not plain keys', () => {
    expect(() => withJsonFields(sql`SELECT 1`, 'record', { struct: { a: '$.a', b: '$.a.b' } })).toThrow(RangeError);
    expect(() => withJsonFields(sql`SELECT 1`, 'record', { struct: { a: '$.a[0]' } })).toThrow(RangeError);
  });
});

describe('maximumObjectSize', () => {
  const MiB = 2 ** 20;
  const write = async (name: string, text: string) => {
    const file = join(await tempDir(), name);
    await writeFile(file, text);
    return file;
  };

  it('keeps DuckDB’s 16 MiB default for JSON Lines and arrays, whatever the file size', async () => {
    const line = JSON.stringify({ Records: [{ eventName: 'ConsoleLogin', pad: 'x'.repeat(1000) }] });
    expect(maximumObjectSize(await write('lines.jsonl', `${line}\n`.repeat(3000)))).toBe(16 * MiB);
    expect(maximumObjectSize(await write('array.json', `[${`${line},`.repeat(3000)}${line}]`))).toBe(16 * MiB);
  });

  it('allows one value as large as the file when the first value does not end in the first MiB', async () => {
    const records = Array.from({ length: 3000 }, (_, i) => ({ eventID: `e${i}`, pad: 'x'.repeat(1000) }));
    const text = JSON.stringify({ Records: records });
    expect(text.length).toBeGreaterThan(MiB);
    expect(maximumObjectSize(await write('s3.json', text))).toBe(Math.max(16 * MiB, text.length + 1));
  });

  it('asks for 256 MiB for a compressed file and for a path that is not a file', async () => {
    expect(maximumObjectSize(await write('x.json.gz', 'not really gzip'))).toBe(256 * MiB);
    expect(maximumObjectSize('/nonexistent/*.json')).toBe(256 * MiB);
  });
});
