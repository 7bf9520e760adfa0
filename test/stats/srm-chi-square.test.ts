import { describe, expect, it } from 'vitest';
import { srmChiSquare } from '../../src/stats/srm-chi-square.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Args = { observed: number[]; expectedShares: number[] };
type Expected = { statistic: number; df: number; pValue: number };

describe('srmChiSquare', () => {
  it.each(cases<Args, Expected>('srmChiSquare'))('matches R chisq.test for $args.observed', ({ args, expected }) => {
    const { statistic, df, pValue } = srmChiSquare(args.observed, args.expectedShares);
    expect(statistic).toBeCloseTo(expected.statistic, 10);
    expect(df).toBe(expected.df);
    expectRelative(pValue, expected.pValue, 1e-10);
  });
  it('gives statistic 0 and p = 1 for counts exactly on the split, whatever the scale of the shares', () => {
    expect(srmChiSquare([900, 100], [0.9, 0.1])).toEqual({ statistic: 0, df: 1, pValue: 1 });
    expect(srmChiSquare([300, 700], [30, 70]).statistic).toBeCloseTo(0, 12);
  });
  it('keeps a tiny p-value instead of rounding it to 0', () => {
    const { pValue } = srmChiSquare([50000, 53000], [0.5, 0.5]);
    expect(pValue).toBeGreaterThan(0);
    expect(pValue).toBeLessThan(1e-18);
  });
  it('throws a RangeError for one arm, mismatched lengths, a zero share or no units', () => {
    expect(() => srmChiSquare([10], [1])).toThrow(RangeError);
    expect(() => srmChiSquare([10, 12], [0.5, 0.3, 0.2])).toThrow(RangeError);
    expect(() => srmChiSquare([10, 12], [1, 0])).toThrow(RangeError);
    expect(() => srmChiSquare([0, 0], [0.5, 0.5])).toThrow(RangeError);
  });
});
