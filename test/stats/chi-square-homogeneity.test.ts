import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity } from '../../src/stats/chi-square-homogeneity.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Expected = { statistic: number; df: number; pValue: number };

describe('chiSquareHomogeneity', () => {
  it.each(cases<{ table: number[][] }, Expected>('chiSquareHomogeneity'))('matches R $source for $args.table', ({ args, expected }) => {
    const { statistic, df, pValue } = chiSquareHomogeneity(args.table);
    expect(statistic).toBeCloseTo(expected.statistic, 10);
    expect(df).toBe(expected.df);
    expectRelative(pValue, expected.pValue, 1e-10);
  });
  it('equals z² of the two-proportion test for a 2 × 2 table', () => {
    // statistics.md 2.1 worked example: z = 1.0058024964868921
    const { statistic, df } = chiSquareHomogeneity([[480, 20], [9500, 500]]);
    expect(statistic).toBeCloseTo(1.0058024964868921 ** 2, 12);
    expect(df).toBe(1);
  });
  it('is invariant to swapping rows or columns', () => {
    const a = chiSquareHomogeneity([[30, 12, 5], [25, 20, 9]]).statistic;
    expect(chiSquareHomogeneity([[25, 20, 9], [30, 12, 5]]).statistic).toBeCloseTo(a, 13);
    expect(chiSquareHomogeneity([[5, 12, 30], [9, 20, 25]]).statistic).toBeCloseTo(a, 13);
  });
  it('returns statistic 0, df 0, p = 1 when only one error code occurs', () => {
    expect(chiSquareHomogeneity([[5, 0], [9, 0]])).toEqual({ statistic: 0, df: 0, pValue: 1 });
  });
  it('throws a RangeError for a single row, ragged rows or a negative count', () => {
    expect(() => chiSquareHomogeneity([[1, 2]])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([[1, 2], [3]])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([[1, -2], [3, 4]])).toThrow(RangeError);
  });
});
