import { describe, expect, it } from 'vitest';
import { exactPValues, type DiscreteDistribution } from '../../src/stats/exact-p-values.js';

/** A unimodal distribution on 2..7 with mode 3 whose tails can be summed by hand. */
function onTwoToSeven(probabilities: readonly number[]): DiscreteDistribution {
  return {
    lo: 2,
    hi: 7,
    mode: 3,
    pmf: (k) => probabilities[k - 2] ?? 0,
    cdf: (k) => probabilities.slice(0, Math.max(0, k - 1)).reduce((s, p) => s + p, 0),
    upper: (k) => probabilities.slice(Math.max(0, k - 2)).reduce((s, p) => s + p, 0),
  };
}
const dist = onTwoToSeven([0.05, 0.3, 0.25, 0.2, 0.15, 0.05]);

describe('exactPValues', () => {
  it('sums every outcome no more likely than the observed one (two-sided minlike)', () => {
    // P(6) = 0.15: outcomes with P ≤ 0.15 are 2, 6, 7 → 0.05 + 0.15 + 0.05
    expect(exactPValues(dist, 6, 'two-sided').pValue).toBeCloseTo(0.25, 15);
    // P(2) = 0.05: outcomes 2 and 7
    expect(exactPValues(dist, 2, 'two-sided').pValue).toBeCloseTo(0.1, 15);
    expect(exactPValues(dist, 3, 'two-sided').pValue).toBeCloseTo(1, 15);
  });
  it('gives one-sided tails and mid-p values', () => {
    expect(exactPValues(dist, 5, 'less')).toEqual({ pValue: expect.closeTo(0.8, 15) as number, midP: expect.closeTo(0.7, 15) as number });
    expect(exactPValues(dist, 5, 'greater')).toEqual({ pValue: expect.closeTo(0.4, 15) as number, midP: expect.closeTo(0.3, 15) as number });
    expect(exactPValues(dist, 6, 'two-sided').midP).toBeCloseTo(0.175, 15);
  });
  it('counts an outcome more likely by less than 1e-7 (relative) as a tie', () => {
    const tied = onTwoToSeven([0.05, 0.35, 0.2 * (1 + 5e-8), 0.2, 0.15 - 0.2 * 5e-8, 0.05]);
    // P(4) = P(5)(1 + 5e-8) counts as "no more likely" than P(5): every outcome but 3.
    expect(exactPValues(tied, 5, 'two-sided').pValue).toBeCloseTo(0.65, 15);
    const apart = onTwoToSeven([0.05, 0.35, 0.2 * (1 + 5e-6), 0.2, 0.15 - 0.2 * 5e-6, 0.05]);
    expect(exactPValues(apart, 5, 'two-sided').pValue).toBeCloseTo(0.45 - 0.2 * 5e-6, 15);
  });
});
