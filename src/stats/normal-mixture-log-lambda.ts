/**
 * The log mixture likelihood ratio (e-value) of the normal-mixture mSPRT for an estimator
 * `θ̂ ~ N(θ, v)`, mixing `θ ~ N(θ0, τ²)`:
 *
 *     log Λ = ½ log(v / (v + τ²)) + τ² (θ̂ − θ0)² / (2 v (v + τ²))
 *
 * Reference: Johari, Pekelis & Walsh (2022), Oper. Res. 70; Robbins (1970); the same
 * martingale as confseq's `TwoSidedNormalMixture` with s = (θ̂ − θ0)/v, time 1/v and ρ = 1/τ²
 * (Howard, Ramdas, McAuliffe & Sekhon 2021, Ann. Stat. 49). statistics.md section 3.1.
 *
 * @throws {RangeError} if `v` or `tau2` is not positive and finite, or `thetaHat` is not finite.
 */
export function normalMixtureLogLambda(thetaHat: number, v: number, tau2: number, theta0 = 0): number {
  checkMixture('normalMixtureLogLambda', v, tau2);
  if (!Number.isFinite(thetaHat) || !Number.isFinite(theta0)) {
    throw new RangeError(`normalMixtureLogLambda needs finite thetaHat and theta0, got ${thetaHat} and ${theta0}`);
  }
  return 0.5 * Math.log(v / (v + tau2)) + (tau2 * (thetaHat - theta0) ** 2) / (2 * v * (v + tau2));
}

/**
 * Checks the variance and mixing variance shared by the normal-mixture functions.
 *
 * @throws {RangeError} if either is not positive and finite.
 */
export function checkMixture(caller: string, v: number, tau2: number): void {
  if (!(v > 0 && tau2 > 0 && Number.isFinite(v) && Number.isFinite(tau2))) {
    throw new RangeError(`${caller} needs v > 0 and tau2 > 0, got ${v} and ${tau2}`);
  }
}
