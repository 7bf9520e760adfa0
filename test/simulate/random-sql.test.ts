import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { allJson } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { normal, uniform } from '../../src/simulate/random-sql.js';

describe('uniform', () => {
  it('draws independent uniforms in [0, 1) for two tags on the same keys', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    const [row] = await allJson<{ lo: number; hi: number; mean: number; r: number; tail: number }>(
      connection,
      sql`WITH d AS (SELECT ${uniform('t, i', 'a')} AS a, ${uniform('t, i', 'b')} AS b
                     FROM (SELECT 7::BIGINT AS seed, 't001' AS t, i FROM range(200000) r(i)))
          SELECT min(a) AS lo, max(a) AS hi, avg(a) AS mean, corr(a, b) AS r,
                 avg((b < 0.5)::INTEGER) FILTER (WHERE a < 0.01) AS tail
          FROM d`,
    );
    connection.closeSync();
    instance.closeSync();
    expect(row?.lo).toBeGreaterThanOrEqual(0);
    expect(row?.hi).toBeLessThan(1);
    expect(row?.mean).toBeCloseTo(0.5, 2);
    // hash(seed, keys, tag) alone gives r ≈ −0.99 here: the tag only XORs the low bits.
    expect(Math.abs(row?.r ?? 1)).toBeLessThan(0.01);
    expect(row?.tail).toBeGreaterThan(0.4);
    expect(row?.tail).toBeLessThan(0.6);
  });

  it('rejects a tag that is not [a-z0-9_]+', () => {
    expect(() => uniform('t', "x'; DROP")).toThrow(RangeError);
  });
});

describe('normal', () => {
  it('draws standard normals', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    const [row] = await allJson<{ mean: number; sd: number }>(
      connection,
      sql`SELECT avg(z) AS mean, stddev_samp(z) AS sd
          FROM (SELECT ${normal('i', 'z')} AS z FROM (SELECT 3::BIGINT AS seed, i FROM range(200000) r(i)))`,
    );
    connection.closeSync();
    instance.closeSync();
    expect(Math.abs(row?.mean ?? 1)).toBeLessThan(0.01);
    expect(row?.sd).toBeCloseTo(1, 1);
  });
});
