import hypergeometric from '@stdlib/stats-base-dists-hypergeometric';
import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/stats/alternative.js';
import { fisherExact, fisherExactPValues, type TwoByTwo } from '../../src/stats/fisher-exact.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Expected = { pValue: number; midP: number; oddsRatio: number; oddsRatioR: number };

describe('fisherExact', () => {
  it.each(cases<TwoByTwo & { alternative: Alternative }, Expected>('fisherExact'))('matches R $source', ({ args, expected }) => {
    const { pValue, midP, oddsRatio } = fisherExact(args, args.alternative);
    expect(pValue).toBeCloseTo(expected.pValue, 10);
    expectRelative(pValue, expected.pValue, 1e-9);
    expect(midP).toBeCloseTo(expected.midP, 10);
    // The conditional MLE re-solved on fisher.test's construction at tol 1e-15; fisher.test itself to ~1e-4.
    expectRelative(oddsRatio, expected.oddsRatio, 1e-9);
    expectRelative(oddsRatio, expected.oddsRatioR, 1e-3);
  });
  it('gives the brute-force minlike sum over the whole support', () => {
    const [N, K, n] = [60, 25, 30];
    const pmf = Array.from({ length: 26 }, (_, k) => hypergeometric.pmf(k, N, K, n));
    for (const a of [3, 8, 12, 13, 17, 25]) {
      const bound = (pmf[a] ?? 0) * (1 + 1e-7);
      const brute = pmf.filter((p) => p <= bound).reduce((s, p) => s + p, 0);
      const table = { a, b: n - a, c: K - a, d: N - K - (n - a) };
      expect(fisherExact(table).pValue).toBeCloseTo(Math.min(1, brute), 13);
    }
  });
  it('gives odds ratio 0 or Infinity at the edges of the support and inverts it when rows swap', () => {
    expect(fisherExact({ a: 0, b: 10, c: 3, d: 7 }).oddsRatio).toBe(0);
    expect(fisherExact({ a: 3, b: 7, c: 0, d: 10 }).oddsRatio).toBe(Infinity);
    const { oddsRatio } = fisherExact({ a: 12, b: 488, c: 5, d: 495 });
    expect(fisherExact({ a: 5, b: 495, c: 12, d: 488 }).oddsRatio).toBeCloseTo(1 / oddsRatio, 12);
  });
  it('has one-sided p-values that overlap by exactly P(X = a)', () => {
    const table = { a: 12, b: 488, c: 5, d: 495 };
    const overlap = fisherExact(table, 'less').pValue + fisherExact(table, 'greater').pValue - 1;
    // stdlib sums the hypergeometric tail by a recurrence: about 1e-11 relative.
    expect(overlap).toBeCloseTo(hypergeometric.pmf(12, 1000, 17, 500), 11);
  });
  it('returns p = 1 for a table with an empty row', () => {
    expect(fisherExact({ a: 0, b: 0, c: 4, d: 6 }).pValue).toBe(1);
  });
  it('throws a RangeError for a negative or fractional cell', () => {
    expect(() => fisherExact({ a: -1, b: 2, c: 3, d: 4 })).toThrow(RangeError);
    expect(() => fisherExact({ a: 1.5, b: 2, c: 3, d: 4 })).toThrow(RangeError);
  });
});

describe('fisherExactPValues', () => {
  it('gives the same p-value and mid-p as fisherExact, bit for bit', () => {
    for (const table of [{ a: 12, b: 488, c: 5, d: 495 }, { a: 0, b: 10, c: 3, d: 7 }, { a: 18, b: 132, c: 18, d: 582 }]) {
      for (const alternative of ['two-sided', 'less', 'greater'] as const) {
        const { pValue, midP } = fisherExact(table, alternative);
        expect(fisherExactPValues(table, alternative)).toEqual({ pValue, midP });
      }
    }
  });
  it('throws a RangeError for a cell that is not a non-negative integer', () => {
    expect(() => fisherExactPValues({ a: 1.5, b: 2, c: 3, d: 4 })).toThrow(RangeError);
  });
});
