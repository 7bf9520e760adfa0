import normal from '@stdlib/stats-base-dists-normal';
import { checkMixture } from './normal-mixture-log-lambda.js';

/**
 * The distance d from θ̂ to the one-sided (half-normal mixture) lower confidence bound
 * `θ̂ − d`: the root of `oneSidedNormalMixtureLogLambda(θ̂, v, τ², θ̂ − d) = log(1/α)`,
 *
 *     d = x √(v (v + τ²)) / τ,   x² / 2 + log(2 Φ(x)) = log(1/α) − ½ log(v / (v + τ²))
 *
 * solved by Newton's method from the two-sided root x = √(2 log(1/α) + log(1 + τ²/v)), where the
 * left side is larger; it is convex and increasing in x, so the iterates decrease monotonically. Tune τ² with `mixtureTau2(vStar, 2α)`. Reference: Howard, Ramdas,
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
  let x = Math.sqrt(2 * target);
  for (let i = 0; i < 100; i++) {
    const logCdf = normal.logcdf(x, 0, 1);
    const step = (x ** 2 / 2 + Math.LN2 + logCdf - target) / (x + Math.exp(normal.logpdf(x, 0, 1) - logCdf));
    x -= step;
    if (Math.abs(step) <= 1e-15 * x) break;
  }
  return (x * Math.sqrt(v * (v + tau2))) / Math.sqrt(tau2);
}
