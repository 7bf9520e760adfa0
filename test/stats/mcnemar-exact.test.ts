import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/stats/alternative.js';
import { mcnemarExact } from '../../src/stats/mcnemar-exact.js';
import { cases } from './part-a-fixture.js';

type Args = { b: number; c: number; alternative: Alternative };

describe('mcnemarExact', () => {
  it.each(cases<Args, { pValue: number; statistic: number }>('mcnemarExact'))('matches R $source', ({ args, expected }) => {
    const { pValue, statistic } = mcnemarExact(args.b, args.c, args.alternative);
    expect(pValue).toBeCloseTo(expected.pValue, 13);
    expect(statistic).toBeCloseTo(expected.statistic, 13);
  });
  it('is symmetric in b and c when two-sided, and one-sided "greater" is smaller when b > c', () => {
    expect(mcnemarExact(3, 10).pValue).toBeCloseTo(mcnemarExact(10, 3).pValue, 15);
    expect(mcnemarExact(10, 3, 'greater').pValue).toBeLessThan(mcnemarExact(3, 10, 'greater').pValue);
  });
  it('gives p = 1 and statistic 0 without discordant pairs', () => {
    expect(mcnemarExact(0, 0)).toEqual({ pValue: 1, midP: 0.5, statistic: 0 });
  });
  it('throws a RangeError for a negative count', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(RangeError);
  });
});
