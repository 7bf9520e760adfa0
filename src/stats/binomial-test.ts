import binomial from '@stdlib/stats-base-dists-binomial';
import betainc from '@stdlib/math-base-special-betainc';
import type { Alternative } from './alternative.js';
import { exactPValues, type DiscreteDistribution, type ExactPValues } from './exact-p-values.js';

/**
 * Exact binomial test of H0: x ~ Binomial(n, p0).
 *
 *     less       P(X ≤ x) = I_{1−p0}(n − x, x + 1)
 *     greater    P(X ≥ x) = I_{p0}(x, n − x + 1)
 *     two-sided  Σ P(X = y) over y with P(X = y) ≤ P(X = x)(1 + 1e-7)   (minlike)
 *     midP       one-sided P(beyond x) + ½ P(X = x);  two-sided pValue − ½ P(X = x)
 *
 * Reference: R `binom.test(x, n, p0, alternative)`, scipy `binomtest`; mid-p: Lancaster (1961).
 * statistics.md 5.1 and 2.4 (shadow mismatch rate against a tolerated rate).
 *
 * @throws {RangeError} unless n ≥ 1, x is an integer in 0..n and 0 < p0 < 1.
 */
export function binomialTest(x: number, n: number, p0: number, alternative: Alternative = 'two-sided'): ExactPValues {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(x) || x < 0 || x > n || !(p0 > 0 && p0 < 1)) {
    throw new RangeError(`binomialTest needs integers 0 ≤ x ≤ n, n ≥ 1 and 0 < p0 < 1, got x=${x} n=${n} p0=${p0}`);
  }
  return exactPValues(binomialDistribution(n, p0), x, alternative);
}

/** Binomial(n, p) with tails from the regularised incomplete beta function. */
export function binomialDistribution(n: number, p: number): DiscreteDistribution {
  return {
    lo: 0,
    hi: n,
    mode: Math.min(n, Math.floor((n + 1) * p)),
    pmf: (k) => binomial.pmf(k, n, p),
    cdf: (k) => binomial.cdf(k, n, p),
    upper: (k) => (k <= 0 ? 1 : k > n ? 0 : betainc(p, k, n - k + 1)),
  };
}
