import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { all } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { cohortKey, cohortKeySql, parseCohortKey } from '../../src/baseline/cohort-key.js';

describe('cohortKey', () => {
  it('lists the dimensions in the order given, not the cohort object order', () => {
    expect(cohortKey({ idp: 'okta', tenant: 't012' }, ['tenant', 'idp'])).toBe('tenant=t012|idp=okta');
    expect(cohortKey({ idp: 'okta', tenant: 't012' }, ['idp', 'tenant'])).toBe('idp=okta|tenant=t012');
  });
  it('is empty for everyone', () => {
    expect(cohortKey({}, [])).toBe('');
  });
  it('escapes separators so the key parses back', () => {
    const cohort = { tenant: 'a|b=c%d', idp: 'x' };
    const key = cohortKey(cohort, ['tenant', 'idp']);
    expect(key).toBe('tenant=a%7Cb%3Dc%25d|idp=x');
    expect(parseCohortKey(key)).toEqual({ dimensions: ['tenant', 'idp'], cohort });
  });
  it('throws a RangeError when the cohort lacks a dimension', () => {
    expect(() => cohortKey({ tenant: 't1' }, ['tenant', 'idp'])).toThrow(RangeError);
  });
});

describe('cohortKeySql', () => {
  it('computes the same text in DuckDB as cohortKey in JS', async () => {
    const store = await openStore(':memory:');
    try {
      const [row] = await all<{ key: string }>(
        store.connection,
        sql`SELECT ${cohortKeySql(['tenant', 'idp'])} AS key FROM (SELECT 'a|b=c%d' AS tenant, 'x' AS idp)`,
      );
      expect(row?.key).toBe(cohortKey({ tenant: 'a|b=c%d', idp: 'x' }, ['tenant', 'idp']));
    } finally {
      store.close();
    }
  });
});
