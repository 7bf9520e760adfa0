import { describe, expect, it } from 'vitest';
import { garwoodInterval } from '../../src/stats/garwood-interval.js';
import { poissonTest } from '../../src/stats/poisson-test.js';
import { cases } from './part-a-fixture.js';

type Args = { x: number; confidence: number; exposure: number };

describe('garwoodInterval', () => {
  it.each(cases<Args, { lower: number; upper: number }>('garwoodInterval'))('matches R $source', ({ args, expected }) => {
    const { lower, upper } = garwoodInterval(args.x, args.confidence, args.exposure);
    expect(lower).toBeCloseTo(expected.lower, 12);
    expect(upper).toBeCloseTo(expected.upper, 12);
  });
  it('has limits where the one-sided exact Poisson tests reach α/2', () => {
    const { lower, upper } = garwoodInterval(10, 0.9);
    expect(poissonTest(10, lower, 'greater').pValue).toBeCloseTo(0.05, 12);
    expect(poissonTest(10, upper, 'less').pValue).toBeCloseTo(0.05, 12);
  });
  it('gives [0, −log(α/2)] at x = 0', () => {
    expect(garwoodInterval(0)).toEqual({ lower: 0, upper: expect.closeTo(-Math.log(0.025), 13) as number });
  });
  it('throws a RangeError for a zero exposure or a fractional count', () => {
    expect(() => garwoodInterval(1, 0.95, 0)).toThrow(RangeError);
    expect(() => garwoodInterval(1.2)).toThrow(RangeError);
  });
});
