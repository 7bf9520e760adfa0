import { describe, expect, it } from 'vitest';
import { newcombeInterval } from '../../src/stats/newcombe-interval.js';
import { cases } from './part-a-fixture.js';

type Args = { xT: number; nT: number; xC: number; nC: number; confidence: number };

describe('newcombeInterval', () => {
  it.each(cases<Args, { lower: number; upper: number }>('newcombeInterval'))('matches statsmodels $source', ({ args, expected }) => {
    const { lower, upper } = newcombeInterval(args.xT, args.nT, args.xC, args.nC, args.confidence);
    expect(lower).toBeCloseTo(expected.lower, 13);
    expect(upper).toBeCloseTo(expected.upper, 13);
  });
  it('mirrors when the arms are swapped and stays inside [−1, 1]', () => {
    const a = newcombeInterval(9, 10, 1, 10);
    const b = newcombeInterval(1, 10, 9, 10);
    expect(a.lower).toBeCloseTo(-b.upper, 15);
    expect(a.upper).toBeCloseTo(-b.lower, 15);
    expect(a.upper).toBeLessThanOrEqual(1);
    expect(newcombeInterval(0, 3, 3, 3).lower).toBeGreaterThanOrEqual(-1);
  });
  it('contains the observed difference', () => {
    const { lower, upper } = newcombeInterval(12, 400, 5, 420);
    expect(lower).toBeLessThan(12 / 400 - 5 / 420);
    expect(upper).toBeGreaterThan(12 / 400 - 5 / 420);
  });
  it('throws a RangeError for an empty arm', () => {
    expect(() => newcombeInterval(0, 0, 1, 4)).toThrow(RangeError);
  });
});
