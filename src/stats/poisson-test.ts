import poisson from '@stdlib/stats-base-dists-poisson';
import gammainc from '@stdlib/math-base-special-gammainc';
import type { Alternative } from './alternative.js';
import { exactPValues, type DiscreteDistribution, type ExactPValues } from './exact-p-values.js';

/**
 * One-sample exact Poisson test of H0: x ~ Poisson(expected).
 *
 *     less       P(X ≤ x) = Q(x + 1, λ)        greater    P(X ≥ x) = P(x, λ)   (regularised gamma)
 *     two-sided  Σ P(X = y) over y with P(X = y) ≤ P(X = x)(1 + 1e-7)   (minlike)
 *     midP       one-sided P(beyond x) + ½ P(X = x);  two-sided pValue − ½ P(X = x)
 *
 * `expected` is the rate under H0 times the exposure (e.g. baseline errors per hour × hours).
 * Reference: R `poisson.test(x, T = 1, r = expected, alternative)`. statistics.md 5.1.
 *
 * @throws {RangeError} unless x is a non-negative integer and expected > 0 is finite.
 */
export function poissonTest(x: number, expected: number, alternative: Alternative = 'two-sided'): ExactPValues {
  if (!Number.isInteger(x) || x < 0 || !(expected > 0 && Number.isFinite(expected))) {
    throw new RangeError(`poissonTest needs an integer x ≥ 0 and a finite expected > 0, got x=${x} expected=${expected}`);
  }
  return exactPValues(poissonDistribution(expected), x, alternative);
}

/** Poisson(λ) with tails from the regularised incomplete gamma function. */
function poissonDistribution(lambda: number): DiscreteDistribution {
  return {
    lo: 0,
    hi: Infinity,
    mode: Math.floor(lambda),
    pmf: (k) => poisson.pmf(k, lambda),
    cdf: (k) => poisson.cdf(k, lambda),
    upper: (k) => (k <= 0 ? 1 : gammainc(lambda, k, true, false)),
  };
}
