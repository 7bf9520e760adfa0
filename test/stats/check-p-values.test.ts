import { describe, expect, it } from 'vitest';
import { ascendingOrder, checkPValues } from '../../src/stats/check-p-values.js';

describe('checkPValues', () => {
  it('accepts 0, 1 and everything between, and names the caller and index of a bad value', () => {
    expect(() => checkPValues([0, 0.5, 1], 'holm')).not.toThrow();
    expect(() => checkPValues([0.1, Infinity], 'holm')).toThrow(/holm .* at index 1/);
    expect(() => checkPValues([NaN], 'holm')).toThrow(RangeError);
  });
});

describe('ascendingOrder', () => {
  it('sorts indexes by value and keeps ties in input order', () => {
    expect(ascendingOrder([0.3, 0.1, 0.3, 0])).toEqual([3, 1, 0, 2]);
    expect(ascendingOrder([])).toEqual([]);
  });
});
