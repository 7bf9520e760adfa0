import hypergeometric from '@stdlib/stats-base-dists-hypergeometric';
import type { Alternative } from './alternative.js';
import { conditionalOddsRatio } from './conditional-odds-ratio.js';
import { exactPValues, type DiscreteDistribution, type ExactPValues } from './exact-p-values.js';

/** A 2 × 2 table: rows are arms (T, C), columns are outcomes (event, no event). */
export interface TwoByTwo {
  /** T with the event (e.g. failures of the new provider). */
  a: number;
  /** T without the event. */
  b: number;
  /** C with the event. */
  c: number;
  /** C without the event. */
  d: number;
}

/** Fisher's exact test of a 2 × 2 table. */
export interface FisherExact {
  /** Exact p-value; two-sided by the minlike rule. */
  pValue: number;
  /** Mid-p value (Lancaster 1961): one-sided `P(beyond a) + ½ P(X = a)`, two-sided `pValue − ½ P(X = a)`. */
  midP: number;
  /** Conditional maximum-likelihood odds ratio (as R `fisher.test`), not the sample ad/bc. */
  oddsRatio: number;
}

/**
 * Fisher's exact test, conditional on both margins: X = a ~ Hypergeometric(N = a + b + c + d,
 * K = a + c events, n = a + b draws) under H0: odds ratio 1.
 *
 *     less P(X ≤ a);  greater P(X ≥ a) (odds of the event higher in T);  two-sided minlike
 *
 * Reference: R. A. Fisher (1935), JRSS 98; R `fisher.test(matrix(c(a, c, b, d), 2), alternative)`,
 * scipy `fisher_exact` (p-value). statistics.md 5.1.
 *
 * @throws {RangeError} unless a, b, c, d are non-negative integers.
 */
export function fisherExact(table: TwoByTwo, alternative: Alternative = 'two-sided'): FisherExact {
  return { ...fisherExactPValues(table, alternative, 'fisherExact'), oddsRatio: conditionalOddsRatio(table) };
}

/**
 * The p-value and mid-p of `fisherExact` without its odds ratio, whose Newton solve costs more than
 * the test itself (the exact tests of small cohorts report only the p-values).
 *
 * @throws {RangeError} unless a, b, c, d are non-negative integers.
 */
export function fisherExactPValues(table: TwoByTwo, alternative: Alternative = 'two-sided', caller = 'fisherExactPValues'): ExactPValues {
  const { a, b, c, d } = table;
  if (![a, b, c, d].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new RangeError(`${caller} needs non-negative integer cells, got ${a}, ${b}, ${c}, ${d}`);
  }
  return exactPValues(hypergeometricDistribution(a + b + c + d, a + c, a + b), a, alternative);
}

/** Hypergeometric(N, K, n) (draws n of N, K of them successes) on its support. */
function hypergeometricDistribution(N: number, K: number, n: number): DiscreteDistribution {
  const [lo, hi] = [Math.max(0, n + K - N), Math.min(n, K)];
  return {
    lo,
    hi,
    mode: Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2)))),
    pmf: (k) => hypergeometric.pmf(k, N, K, n),
    cdf: (k) => hypergeometric.cdf(k, N, K, n),
    // X ≥ k  ⇔  n − X ≤ n − k, and n − X ~ Hypergeometric(N, N − K, n): a lower tail, summed directly.
    upper: (k) => hypergeometric.cdf(n - k, N, N - K, n),
  };
}
