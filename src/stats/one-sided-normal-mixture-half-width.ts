import normal from '@stdlib/stats-base-dists-normal';
import { checkMixture } from './normal-mixture-log-lambda.js';

/**
 * The distance d from θ̂ to the one-sided (half-normal mixture) lower confidence bound
 * `θ̂ − d`: the root of `oneSidedNormalMixtureLogLambda(θ̂, v, τ², θ̂ − d) = log(1/α)`,
 *
 *     d = x √(v (v + τ²)) / τ,   x² / 2 + log(2 Φ(x)) = log(1/α) − ½ log(v / (v + τ²))
 *
 * solved by bisection on x in [0, √(2 log(1/α) + log(1 + τ²/v))] (the two-sided root, where
 * the left side is larger). Tune τ² with `mixtureTau2(vStar, 2α)`. Reference: Howard, Ramdas,
 * McAuliffe & Sekhon (2021), Ann. Stat. 49 (confseq `OneSidedNormalMixture`);
 * statistics.md section 3.1.
 *
 * @throws {RangeError} if `v` or `tau2` is not positive, or `alpha` not in (0, 1).
 */
export function oneSidedNormalMixtureHalfWidth(v: number, tau2: number, alpha: number): number {
  checkMixture('oneSidedNormalMixtureHalfWidth', v, tau2);
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`oneSidedNormalMixtureHalfWidth needs alpha in (0, 1), got ${alpha}`);
  }
  const target = Math.log(1 / alpha) - 0.5 * Math.log(v / (v + tau2));
  let low = 0;
  let high = Math.sqrt(2 * target);
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (mid ** 2 / 2 + Math.LN2 + normal.logcdf(mid, 0, 1) < target) low = mid;
    else high = mid;
  }
  return (((low + high) / 2) * Math.sqrt(v * (v + tau2))) / Math.sqrt(tau2);
}
