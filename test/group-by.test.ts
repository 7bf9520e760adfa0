import { describe, expect, it } from 'vitest';
import { groupBy } from '../src/group-by.js';

describe('groupBy', () => {
  it('keeps keys in first-appearance order and items in input order, mapped by value', () => {
    const rows = [{ k: 'b', v: 1 }, { k: 'a', v: 2 }, { k: 'b', v: 3 }];
    expect([...groupBy(rows, (r) => r.k)]).toEqual([['b', [rows[0], rows[2]]], ['a', [rows[1]]]]);
    expect([...groupBy(rows, (r) => r.k, (r) => r.v)]).toEqual([['b', [1, 3]], ['a', [2]]]);
    expect(groupBy([], (r: number) => r).size).toBe(0);
  });
});
