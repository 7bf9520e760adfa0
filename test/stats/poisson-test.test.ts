import poisson from '@stdlib/stats-base-dists-poisson';
import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/stats/alternative.js';
import { poissonTest } from '../../src/stats/poisson-test.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Args = { x: number; expected: number; alternative: Alternative };

describe('poissonTest', () => {
  it.each(cases<Args, { pValue: number; midP: number }>('poissonTest'))('matches R $source', ({ args, expected }) => {
    const { pValue, midP } = poissonTest(args.x, args.expected, args.alternative);
    expect(pValue).toBeCloseTo(expected.pValue, 12);
    expect(midP).toBeCloseTo(expected.midP, 12);
    expectRelative(pValue, expected.pValue, 1e-9);
  });
  it('counts the tied neighbour of the mode (P(2) = P(3) at λ = 3) within the 1 + 1e-7 tolerance', () => {
    expect(poisson.pmf(2, 3)).toBeCloseTo(poisson.pmf(3, 3), 15);
    expect(poissonTest(2, 3).pValue).toBe(1);
    expect(poissonTest(3, 3).pValue).toBe(1);
  });
  it('gives the brute-force minlike sum, with the far tail found by doubling', () => {
    const pmf = Array.from({ length: 200 }, (_, y) => poisson.pmf(y, 12.5));
    for (const x of [0, 4, 12, 20, 40]) {
      const bound = (pmf[x] ?? 0) * (1 + 1e-7);
      const brute = pmf.filter((p) => p <= bound).reduce((s, p) => s + p, 0);
      expect(poissonTest(x, 12.5).pValue).toBeCloseTo(Math.min(1, brute), 14);
    }
  });
  it('throws a RangeError for expected ≤ 0 or a negative count', () => {
    expect(() => poissonTest(1, 0)).toThrow(RangeError);
    expect(() => poissonTest(-1, 2)).toThrow(RangeError);
  });
});
