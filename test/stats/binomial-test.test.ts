import binomial from '@stdlib/stats-base-dists-binomial';
import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/stats/alternative.js';
import { binomialTest } from '../../src/stats/binomial-test.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Args = { x: number; n: number; p0: number; alternative: Alternative };

describe('binomialTest', () => {
  it.each(cases<Args, { pValue: number; midP: number }>('binomialTest'))('matches R $source', ({ args, expected }) => {
    const { pValue, midP } = binomialTest(args.x, args.n, args.p0, args.alternative);
    expect(pValue).toBeCloseTo(expected.pValue, 12);
    expect(midP).toBeCloseTo(expected.midP, 12);
    expectRelative(pValue, expected.pValue, 1e-9);
  });
  it('gives p = 1 at the mean and a two-sided p equal to the brute-force minlike sum', () => {
    expect(binomialTest(10, 100, 0.1).pValue).toBe(1);
    const pmf = Array.from({ length: 101 }, (_, y) => binomial.pmf(y, 100, 0.1));
    for (const x of [0, 3, 9, 11, 14, 25, 100]) {
      const bound = (pmf[x] ?? 0) * (1 + 1e-7);
      const brute = pmf.filter((p) => p <= bound).reduce((s, p) => s + p, 0);
      expect(binomialTest(x, 100, 0.1).pValue).toBeCloseTo(Math.min(1, brute), 14);
    }
  });
  it('has one-sided p-values that overlap by exactly P(X = x)', () => {
    const { pValue: less } = binomialTest(4, 30, 0.2, 'less');
    const { pValue: greater } = binomialTest(4, 30, 0.2, 'greater');
    // R: dbinom(4, 30, 0.2)
    expect(less + greater - 1).toBeCloseTo(0.13252244834615562, 12);
  });
  it('reports a one-sided p-value of 1 on the far side and 0.5·P(X=x) + tail as mid-p', () => {
    expect(binomialTest(0, 20, 0.3, 'greater')).toEqual({ pValue: 1, midP: 1 - 0.5 * 0.7 ** 20 });
  });
  it('throws a RangeError for n = 0, x > n, a fractional x or p0 outside (0, 1)', () => {
    expect(() => binomialTest(0, 0, 0.5)).toThrow(RangeError);
    expect(() => binomialTest(5, 4, 0.5)).toThrow(RangeError);
    expect(() => binomialTest(1.5, 4, 0.5)).toThrow(RangeError);
    expect(() => binomialTest(1, 4, 0)).toThrow(RangeError);
    expect(() => binomialTest(1, 4, 1)).toThrow(RangeError);
  });
});
