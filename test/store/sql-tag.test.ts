import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { all } from '../../src/store/query.js';
import { ident, join, raw, sql } from '../../src/store/sql.js';

describe('sql', () => {
  it('binds values as placeholders and splices nested fragments with their values in order', () => {
    const where = sql`tenant = ${'t012'} AND attempts > ${10}`;
    const query = sql`SELECT * FROM ${ident('agg')} WHERE ${where} LIMIT ${5}`;
    expect(query.text).toBe('SELECT * FROM "agg" WHERE tenant = ? AND attempts > ? LIMIT ?');
    expect(query.values).toEqual(['t012', 10, 5]);
  });

  it('quotes identifiers and doubles embedded quotes', () => {
    expect(sql`SELECT ${ident('a"b')}`.text).toBe('SELECT "a""b"');
  });

  it('keeps a hostile value out of the SQL text', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const hostile = "x'; DROP TABLE t; --";
    const rows = await all<{ v: string }>(connection, sql`SELECT ${hostile} AS v`);
    expect(rows).toEqual([{ v: hostile }]);
    connection.closeSync();
    instance.closeSync();
  });
});

describe('join', () => {
  it('concatenates fragments with a separator and keeps their values', () => {
    const joined = join([sql`a = ${1}`, sql`b = ${2}`, raw('c IS NULL')], ' AND ');
    expect(joined.text).toBe('a = ? AND b = ? AND c IS NULL');
    expect(joined.values).toEqual([1, 2]);
  });
});
