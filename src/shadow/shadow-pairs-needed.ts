import betaln from '@stdlib/math-base-special-betaln';
import type { BetaPrior } from './shadow-prior.js';
import { checkCounts } from './check-counts.js';

/** How many shadow pairs a cohort needs before it can ever pass against the noise floor m0. */
export interface ShadowPairsNeeded {
  /** Fewest pairs whose always-valid upper bound (`betaMixtureUpperBound`) falls below m0 with zero mismatches. */
  sequential: number;
  /** The fixed-horizon count, ⌈ln α / ln(1 − m0)⌉: zero mismatches put the one-sided Clopper–Pearson bound 1 − α^(1/n) below m0. */
  fixed: number;
}

/**
 * The smallest n at which zero mismatches in n pairs show m < m0 at level α. Fixed horizon
 * (Clopper–Pearson, "rule of three"): 1 − α^(1/n) < m0 ⇔ n > ln α / ln(1 − m0). Always valid:
 * the mixture bound is below m0 once g(n) = log B(a, b + n) − log B(a, b) − n log(1 − m0) ≥ log(1/α);
 * g(n + 1) − g(n) = log((b + n)/(a + b + n)) − log(1 − m0) > 0 for a prior with mean m0, so g
 * increases and a bisection finds the first n.
 *
 * @throws {RangeError} unless 0 < m0 < 1, 0 < alpha < 1 and a, b > 0.
 */
export function shadowPairsNeeded(m0: number, alpha: number, prior: BetaPrior): ShadowPairsNeeded {
  checkCounts('shadowPairsNeeded', 0, 0, m0, prior);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`shadowPairsNeeded needs 0 < alpha < 1, got ${alpha}`);
  const target = Math.log(1 / alpha);
  const g = (n: number) => betaln(prior.a, prior.b + n) - betaln(prior.a, prior.b) - n * Math.log1p(-m0);
  let hi = 1;
  while (g(hi) < target) {
    if (hi > 2 ** 52) throw new RangeError(`shadowPairsNeeded: no n reaches α=${alpha} for m0=${m0} with this prior`);
    hi *= 2;
  }
  let lo = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (g(mid) >= target) hi = mid;
    else lo = mid;
  }
  return { sequential: hi, fixed: Math.floor(Math.log(alpha) / Math.log1p(-m0)) + 1 };
}
