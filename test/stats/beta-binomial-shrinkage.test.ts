import { describe, expect, it } from 'vitest';
import { betaBinomialShrinkage } from '../../src/stats/beta-binomial-shrinkage.js';
import { fitBetaMoments } from '../../src/stats/fit-beta-moments.js';
import { cases } from './part-a-fixture.js';

type Args = { x: number; n: number; mean: number; rho: number; confidence: number };
type Expected = { mean: number; lower: number; upper: number; weight: number };

describe('betaBinomialShrinkage', () => {
  it.each(cases<Args, Expected>('betaBinomialShrinkage'))('matches scipy beta.ppf for $args', ({ args, expected }) => {
    const result = betaBinomialShrinkage(args.x, args.n, { mean: args.mean, rho: args.rho }, args.confidence);
    expect(result.mean).toBeCloseTo(expected.mean, 14);
    expect(result.weight).toBeCloseTo(expected.weight, 14);
    expect(result.lower).toBeCloseTo(expected.lower, 12);
    expect(result.upper).toBeCloseTo(expected.upper, 12);
  });
  it('writes the posterior mean as w·x/n + (1 − w)·prior mean', () => {
    const { mean, weight } = betaBinomialShrinkage(3, 40, { mean: 0.02, rho: 0.01 });
    expect(mean).toBeCloseTo(weight * (3 / 40) + (1 - weight) * 0.02, 15);
  });
  it('takes the fit of sibling cohorts directly and shrinks a small cohort more than a large one', () => {
    const prior = fitBetaMoments([{ x: 1, n: 50 }, { x: 0, n: 40 }, { x: 3, n: 60 }, { x: 2, n: 45 }, { x: 9, n: 55 }]);
    const small = betaBinomialShrinkage(2, 10, prior);
    const large = betaBinomialShrinkage(200, 1000, prior);
    expect(small.weight).toBeLessThan(large.weight);
    expect(Math.abs(small.mean - 0.2)).toBeGreaterThan(Math.abs(large.mean - 0.2));
  });
  it('returns the prior mean with weight 0 and a point interval when rho = 0', () => {
    expect(betaBinomialShrinkage(5, 10, { mean: 0.1, rho: 0 })).toEqual({ mean: 0.1, lower: 0.1, upper: 0.1, weight: 0 });
  });
  it('throws a RangeError for rho ≥ 1 or a prior mean of 0', () => {
    expect(() => betaBinomialShrinkage(1, 10, { mean: 0.1, rho: 1 })).toThrow(RangeError);
    expect(() => betaBinomialShrinkage(1, 10, { mean: 0, rho: 0.1 })).toThrow(RangeError);
  });
});
