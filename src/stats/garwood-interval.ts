import chisquare from '@stdlib/stats-base-dists-chisquare';
import type { Interval } from './wilson-interval.js';

/**
 * Garwood's exact confidence interval for a Poisson mean, per unit of exposure.
 *
 *     [χ²_{α/2}(2x) / 2, χ²_{1−α/2}(2x + 2) / 2] / exposure,   lower = 0 at x = 0
 *
 * Reference: F. Garwood (1936), Biometrika 28; R `poisson.test(x, T = exposure)$conf.int`.
 * statistics.md 5.1.
 *
 * @throws {RangeError} unless x is a non-negative integer, 0 < confidence < 1 and exposure > 0.
 */
export function garwoodInterval(x: number, confidence = 0.95, exposure = 1): Interval {
  if (!Number.isInteger(x) || x < 0 || !(confidence > 0 && confidence < 1) || !(exposure > 0 && Number.isFinite(exposure))) {
    throw new RangeError(
      `garwoodInterval needs an integer x ≥ 0, 0 < confidence < 1 and exposure > 0, got ${x}, ${confidence}, ${exposure}`,
    );
  }
  const alpha = 1 - confidence;
  return {
    lower: x === 0 ? 0 : chisquare.quantile(alpha / 2, 2 * x) / 2 / exposure,
    upper: chisquare.quantile(1 - alpha / 2, 2 * x + 2) / 2 / exposure,
  };
}
