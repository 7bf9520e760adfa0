import betaln from '@stdlib/math-base-special-betaln';
import type { BetaPrior } from './shadow-prior.js';
import { checkCounts } from './check-counts.js';

/**
 * Upper end of the beta-binomial mixture confidence sequence for a rate after x events in n
 * trials (Robbins 1970): the largest θ with
 *
 *     log M(θ) = log B(a + x, b + n − x) − log B(a, b) − x log θ − (n − x) log(1 − θ) < log(1/α)
 *
 * M(θ) is the conjugate mixture martingale for the point null m = θ, so `P(∃t: m > U_t) ≤ α`
 * and the running minimum of U_t over looks keeps that guarantee. log M is convex in θ with its
 * minimum (≤ 0) at x/n, so the root above x/n is unique; found by bisection. 1 when x = n.
 * Reference: Robbins (1970), Ann. Math. Stat. 41; Howard et al. (2021), Ann. Stat. 49 (conjugate
 * mixtures); checked against mpmath root finding (test/shadow/fixtures/reference.py).
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n are integers, 0 < alpha < 1 and a, b > 0.
 */
export function betaMixtureUpperBound(x: number, n: number, alpha: number, prior: BetaPrior): number {
  checkCounts('betaMixtureUpperBound', x, n, alpha, prior);
  if (x === n) return 1;
  const logMarginal = betaln(prior.a + x, prior.b + n - x) - betaln(prior.a, prior.b);
  const logM = (theta: number) => logMarginal - (x === 0 ? 0 : x * Math.log(theta)) - (n - x) * Math.log1p(-theta);
  let lo = x / n;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (logM(mid) < Math.log(1 / alpha)) lo = mid;
    else hi = mid;
  }
  return hi;
}
