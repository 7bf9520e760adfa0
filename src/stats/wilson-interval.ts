import normal from '@stdlib/stats-base-dists-normal';
import { checkArm } from './two-proportion-z.js';

/** A confidence interval. */
export interface Interval {
  /** Lower limit. */
  lower: number;
  /** Upper limit. */
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion p = x/n.
 *
 *     (p + z²/(2n) ± z √(p q/n + z²/(4n²))) / (1 + z²/n),   z = Φ⁻¹((1 + confidence)/2)
 *
 * Reference: E. B. Wilson (1927), JASA 22; R `prop.test(x, n, correct = FALSE)$conf.int`,
 * statsmodels `proportion_confint(x, n, method='wilson')`. statistics.md 2.1.
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n, n ≥ 1 are integers and 0 < confidence < 1.
 */
export function wilsonInterval(x: number, n: number, confidence = 0.95): Interval {
  checkArm(x, n, 'wilsonInterval');
  const z = twoSidedZ(confidence, 'wilsonInterval');
  const p = x / n;
  const centre = p + (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return {
    lower: x === 0 ? 0 : (centre - half) / scale,
    upper: x === n ? 1 : (centre + half) / scale,
  };
}

/** `Φ⁻¹((1 + confidence)/2)`, the two-sided normal critical value. */
export function twoSidedZ(confidence: number, caller: string): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${caller} needs 0 < confidence < 1, got ${confidence}`);
  }
  return normal.quantile((1 + confidence) / 2, 0, 1);
}
