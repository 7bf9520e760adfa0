import { checkMixture } from './normal-mixture-log-lambda.js';

/**
 * The half-width of the two-sided normal-mixture confidence sequence at estimator variance v:
 *
 *     θ̂ ± √( v (v + τ²)/τ² · (2 log(1/α) + log(1 + τ²/v)) )
 *
 * the set of θ0 with `normalMixtureLogLambda(θ̂, v, τ², θ0) < log(1/α)`.
 * Reference: Howard, Ramdas, McAuliffe & Sekhon (2021), Ann. Stat. 49 (confseq
 * `TwoSidedNormalMixture::bound`); statistics.md section 3.1.
 *
 * @throws {RangeError} if `v` or `tau2` is not positive, or `alpha` not in (0, 1).
 */
export function normalMixtureHalfWidth(v: number, tau2: number, alpha: number): number {
  checkMixture('normalMixtureHalfWidth', v, tau2);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`normalMixtureHalfWidth needs alpha in (0, 1), got ${alpha}`);
  return Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log1p(tau2 / v)));
}
