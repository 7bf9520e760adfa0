import normal from '@stdlib/stats-base-dists-normal';
import { mixtureTau2 } from './mixture-tau2.js';
import { normalMixtureHalfWidth } from './normal-mixture-half-width.js';

/** The price of monitoring continuously with a normal-mixture confidence sequence. */
export interface SequentialMdeFactor {
  /** CS half-width over √v at the tuning variance v* (3.04 at α = 0.05). */
  boundary: number;
  /** The fixed-n critical value z_{1−α/2} (1.96 at α = 0.05). */
  fixedBoundary: number;
  /** `(boundary + z_{1−β}) / (z_{1−α/2} + z_{1−β})`: sequential MDE over fixed-n MDE (1.38). */
  mdeRatio: number;
  /** `mdeRatio²`: sample size needed sequentially over fixed-n, for the same MDE (1.9). */
  sampleSizeRatio: number;
}

/**
 * How much larger the minimum detectable effect is when the stage is monitored with the
 * two-sided normal-mixture CS tuned at its end (`τ² = mixtureTau2(v*, α)`):
 *
 *     boundary = √((1 + τ²/v*)/(τ²/v*) · (2 log(1/α) + log(1 + τ²/v*)))
 *     MDE_seq ≈ (boundary + z_{1−β}) √v   versus   MDE_fixed ≈ (z_{1−α/2} + z_{1−β}) √v
 *
 * The sequential MDE is conservative (approximate): it treats the CS boundary as a fixed-n
 * critical value at the last look. Reference: statistics.md sections 3.1 and 7.
 *
 * @throws {RangeError} if `alpha` or `power` is outside (0, 1).
 */
export function sequentialMdeFactor(alpha: number, power: number): SequentialMdeFactor {
  if (!(alpha > 0 && alpha < 1 && power > 0 && power < 1)) {
    throw new RangeError(`sequentialMdeFactor needs alpha and power in (0, 1), got ${alpha} and ${power}`);
  }
  const boundary = normalMixtureHalfWidth(1, mixtureTau2(1, alpha), alpha);
  const fixedBoundary = normal.quantile(1 - alpha / 2, 0, 1);
  const zBeta = normal.quantile(power, 0, 1);
  const mdeRatio = (boundary + zBeta) / (fixedBoundary + zBeta);
  return { boundary, fixedBoundary, mdeRatio, sampleSizeRatio: mdeRatio ** 2 };
}
