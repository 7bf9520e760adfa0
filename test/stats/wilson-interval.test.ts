import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/stats/wilson-interval.js';
import { cases } from './part-a-fixture.js';

type Args = { x: number; n: number; confidence: number };
type Limits = { lower: number; upper: number };

describe('wilsonInterval', () => {
  it.each(cases<Args, Limits>('wilsonInterval'))('matches R $source', ({ args, expected }) => {
    const { lower, upper } = wilsonInterval(args.x, args.n, args.confidence);
    expect(lower).toBeCloseTo(expected.lower, 13);
    expect(upper).toBeCloseTo(expected.upper, 13);
  });
  it.each(cases<Args, Limits>('wilsonStatsmodels'))('matches statsmodels $source', ({ args, expected }) => {
    const { lower, upper } = wilsonInterval(args.x, args.n, args.confidence);
    expect(lower).toBeCloseTo(expected.lower, 13);
    expect(upper).toBeCloseTo(expected.upper, 13);
  });
  it('is symmetric under x → n − x and contains x/n', () => {
    const a = wilsonInterval(3, 17);
    const b = wilsonInterval(14, 17);
    expect(a.lower).toBeCloseTo(1 - b.upper, 15);
    expect(a.upper).toBeCloseTo(1 - b.lower, 15);
    expect(a.lower).toBeLessThan(3 / 17);
    expect(a.upper).toBeGreaterThan(3 / 17);
  });
  it('starts at exactly 0 for x = 0 and ends at exactly 1 for x = n', () => {
    expect(wilsonInterval(0, 5).lower).toBe(0);
    expect(wilsonInterval(5, 5).upper).toBe(1);
  });
  it('throws a RangeError for n = 0 or a confidence outside (0, 1)', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 5, 1)).toThrow(RangeError);
  });
});
