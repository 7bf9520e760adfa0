import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/stats/alternative.js';
import { conditionalOddsRatio } from '../../src/stats/conditional-odds-ratio.js';
import type { TwoByTwo } from '../../src/stats/fisher-exact.js';
import { fisherExact } from '../../src/stats/fisher-exact.js';
import { fisherOddsRatioInterval } from '../../src/stats/fisher-odds-ratio-interval.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Args = TwoByTwo & { confidence: number; alternative: Alternative };
type Expected = { lower: number; upper: number; lowerR: number; upperR: number };

describe('fisherOddsRatioInterval', () => {
  it.each(cases<Args, Expected>('fisherOddsRatioInterval'))('matches $source', ({ args, expected }) => {
    const { lower, upper } = fisherOddsRatioInterval(args, args.confidence, args.alternative);
    expectRelative(lower, expected.lower, 1e-9);
    expectRelative(upper, expected.upper, 1e-9);
    // fisher.test's own uniroot answer, to its tolerance
    expectRelative(lower, expected.lowerR, 1e-2);
    expectRelative(upper, expected.upperR, 1e-2);
  });
  it('contains the conditional MLE and excludes 1 exactly when the two-sided Fisher test rejects', () => {
    for (const table of [
      { a: 12, b: 488, c: 5, d: 495 },
      { a: 40, b: 60, c: 20, d: 80 },
      { a: 2, b: 8, c: 8, d: 2 },
    ]) {
      const { lower, upper } = fisherOddsRatioInterval(table);
      const psi = conditionalOddsRatio(table);
      expect(lower).toBeLessThan(psi);
      expect(upper).toBeGreaterThan(psi);
      // The interval inverts the one-sided tests, so compare with 2 × the smaller one-sided p-value.
      const oneSided = Math.min(fisherExact(table, 'less').pValue, fisherExact(table, 'greater').pValue);
      expect(lower > 1 || upper < 1).toBe(2 * oneSided < 0.05);
    }
  });
  it('has limits where the one-sided Fisher tests at ψ = 1 would sit at α/2 when ψ = 1 is a limit', () => {
    const table = { a: 12, b: 488, c: 5, d: 495 };
    const confidence = 1 - 2 * fisherExact(table, 'greater').pValue;
    expect(fisherOddsRatioInterval(table, confidence).lower).toBeCloseTo(1, 8);
  });
  it('inverts and swaps its limits when the rows are swapped', () => {
    const a = fisherOddsRatioInterval({ a: 12, b: 488, c: 5, d: 495 });
    const b = fisherOddsRatioInterval({ a: 5, b: 495, c: 12, d: 488 });
    expect(b.lower).toBeCloseTo(1 / a.upper, 10);
    expect(b.upper).toBeCloseTo(1 / a.lower, 10);
  });
  it('throws a RangeError for a confidence of 1', () => {
    expect(() => fisherOddsRatioInterval({ a: 1, b: 2, c: 3, d: 4 }, 1)).toThrow(RangeError);
  });
});
