import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { jsonRecordFields, jsonRecords } from '../../../src/ingest/formats/vendor-json.js';
import { allJson, run } from '../../../src/store/query.js';
import { sql, type Sql } from '../../../src/store/sql.js';
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

  it('adds json and type fields as withJsonFields does', async () => {
    const rows = await stored(jsonRecordFields(await jsonLines(), ['records'], { json: { value: '$.value' }, type: { value_type: '$.value' } }));
    expect(rows.map((row) => [row.record_n, row.value_type])).toEqual([
      ['1', null], ['2', null], ['3', null], ['4', 'VARCHAR'], [null, 'ARRAY'],
    ]);
    expect(rows[3]?.value).toBe('"[not an array]"');
  });
});
