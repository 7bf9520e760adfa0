import type { Alternative } from './alternative.js';

/** A unimodal distribution on the integers `lo..hi`, as exact tests need it. */
export interface DiscreteDistribution {
  /** Smallest value of the support. */
  lo: number;
  /** Largest value of the support; `Infinity` for the Poisson. */
  hi: number;
  /** A mode: the pmf does not decrease on `lo..mode` and does not increase on `mode..hi`. */
  mode: number;
  /** P(X = k). */
  pmf(k: number): number;
  /** P(X ≤ k), accurate in the lower tail. */
  cdf(k: number): number;
  /** P(X ≥ k), accurate in the upper tail (not computed as 1 − cdf). */
  upper(k: number): number;
}

/** Exact p-value and mid-p value of an observation. */
export interface ExactPValues {
  /** Exact p-value; two-sided by the minlike rule. */
  pValue: number;
  /** Mid-p (Lancaster 1961): one-sided `P(beyond x) + ½ P(X = x)`; two-sided `pValue − ½ P(X = x)`. */
  midP: number;
}

const RELATIVE_TOLERANCE = 1 + 1e-7;

/**
 * Exact p-values of an observation `x` of a discrete unimodal distribution.
 *
 *     less       P(X ≤ x)            greater    P(X ≥ x)
 *     two-sided  Σ P(X = y) over every y with P(X = y) ≤ P(X = x) (1 + 1e-7)   ("minlike")
 *
 * The two-sided sum is the one R `binom.test`, `fisher.test`, `poisson.test` and scipy
 * `binomtest` use; by unimodality it is a lower tail plus an upper tail, each found by bisection,
 * so the cost is O(log(hi − lo)) pmf calls. The two-sided mid-p subtracts half the observed
 * probability, as statsmodels' `cond-midp` does. Reference: statistics.md 5.1 and 12.
 */
export function exactPValues(dist: DiscreteDistribution, x: number, alternative: Alternative): ExactPValues {
  const px = dist.pmf(x);
  if (alternative === 'less') return { pValue: dist.cdf(x), midP: dist.cdf(x) - 0.5 * px };
  if (alternative === 'greater') return { pValue: dist.upper(x), midP: dist.upper(x) - 0.5 * px };
  const threshold = px * RELATIVE_TOLERANCE;
  let pValue = 0;
  if (dist.pmf(dist.lo) <= threshold) {
    let [below, above] = [dist.lo, dist.mode]; // pmf(below) ≤ threshold; find the last such k ≤ mode
    while (above - below > 1) {
      const mid = Math.floor((below + above) / 2);
      if (dist.pmf(mid) <= threshold) below = mid;
      else above = mid;
    }
    pValue += dist.cdf(dist.pmf(above) <= threshold ? above : below);
  }
  let far = dist.mode + 1;
  while (far < dist.hi && dist.pmf(far) > threshold) far = Math.min(dist.hi, dist.mode + 2 * (far - dist.mode));
  if (far <= dist.hi && dist.pmf(far) <= threshold) {
    let [near, first] = [dist.mode, far]; // pmf(first) ≤ threshold; find the first such k > mode
    while (first - near > 1) {
      const mid = Math.floor((near + first) / 2);
      if (dist.pmf(mid) <= threshold) first = mid;
      else near = mid;
    }
    pValue += dist.upper(first);
  }
  pValue = Math.min(1, pValue);
  return { pValue, midP: pValue - 0.5 * px };
}
