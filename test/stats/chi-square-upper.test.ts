import chisquare from '@stdlib/stats-base-dists-chisquare';
import { describe, expect, it } from 'vitest';
import { chiSquareUpper } from '../../src/stats/chi-square-upper.js';
import { cases, expectRelative } from './part-a-fixture.js';

describe('chiSquareUpper', () => {
  it.each(cases<{ statistic: number; df: number }, { p: number }>('chiSquareUpper'))('matches R $source', ({ args, expected }) => {
    expectRelative(chiSquareUpper(args.statistic, args.df), expected.p, 1e-12);
  });
  it('agrees with 1 − cdf where that is accurate, and stays positive where 1 − cdf is 0', () => {
    expect(chiSquareUpper(3, 2)).toBeCloseTo(1 - chisquare.cdf(3, 2), 15);
    expect(1 - chisquare.cdf(500, 3)).toBe(0);
    expect(chiSquareUpper(500, 3)).toBeGreaterThan(0);
  });
  it('is 1 at a statistic of 0', () => {
    expect(chiSquareUpper(0, 5)).toBe(1);
  });
});
