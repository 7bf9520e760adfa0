import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/stats/clopper-pearson.js';
import { wilsonInterval } from '../../src/stats/wilson-interval.js';
import { cases } from './part-a-fixture.js';

type Args = { x: number; n: number; confidence: number };

describe('clopperPearson', () => {
  it.each(cases<Args, { lower: number; upper: number }>('clopperPearson'))('matches R $source', ({ args, expected }) => {
    const { lower, upper } = clopperPearson(args.x, args.n, args.confidence);
    expect(lower).toBeCloseTo(expected.lower, 13);
    expect(upper).toBeCloseTo(expected.upper, 13);
  });
  it('is wider than the Wilson interval, as an exact interval must be', () => {
    const exact = clopperPearson(3, 20);
    const score = wilsonInterval(3, 20);
    expect(exact.lower).toBeLessThan(score.lower);
    expect(exact.upper).toBeGreaterThan(score.upper);
  });
  it('gives [0, 1 − α/2] for x = 0 out of n = 1', () => {
    expect(clopperPearson(0, 1, 0.9)).toEqual({ lower: 0, upper: expect.closeTo(0.95, 14) as number });
  });
  it('throws a RangeError for x > n or a confidence of 0', () => {
    expect(() => clopperPearson(3, 2)).toThrow(RangeError);
    expect(() => clopperPearson(1, 2, 0)).toThrow(RangeError);
  });
});
