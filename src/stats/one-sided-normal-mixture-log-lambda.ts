import normal from '@stdlib/stats-base-dists-normal';
import { checkMixture } from './normal-mixture-log-lambda.js';

/**
 * The log e-value of the one-sided (half-normal) mixture mSPRT for `θ̂ ~ N(θ, v)` against
 * H0: θ <= θ0, mixing the effect `θ − θ0` over a half-normal with scale τ on [0, ∞):
 *
 *     x = (θ̂ − θ0) τ / √(v (v + τ²))
 *     log Λ⁺ = ½ log(v / (v + τ²)) + x²/2 + log(2 Φ(x))
 *
 * It is increasing in θ̂ − θ0, so it only grows with evidence of an increase; for decreases,
 * negate θ̂ and θ0. Reference: Howard, Ramdas, McAuliffe & Sekhon (2021), Ann. Stat. 49,
 * Proposition 6 (confseq `OneSidedNormalMixture`); statistics.md section 3.1.
 *
 * @throws {RangeError} if `v` or `tau2` is not positive and finite, or `thetaHat` is not finite.
 */
export function oneSidedNormalMixtureLogLambda(thetaHat: number, v: number, tau2: number, theta0 = 0): number {
  checkMixture('oneSidedNormalMixtureLogLambda', v, tau2);
  if (!Number.isFinite(thetaHat) || !Number.isFinite(theta0)) {
    throw new RangeError(`oneSidedNormalMixtureLogLambda needs finite thetaHat and theta0, got ${thetaHat} and ${theta0}`);
  }
  const x = ((thetaHat - theta0) * Math.sqrt(tau2)) / Math.sqrt(v * (v + tau2));
  return 0.5 * Math.log(v / (v + tau2)) + x ** 2 / 2 + Math.LN2 + normal.logcdf(x, 0, 1);
}
