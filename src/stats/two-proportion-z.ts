import normal from '@stdlib/stats-base-dists-normal';
import type { Alternative } from './alternative.js';

/** Counts of two independent arms: `x` events out of `n` attempts each. */
export interface TwoArmCounts {
  /** Events (e.g. failures) in the treatment arm T (new provider). */
  xT: number;
  /** Attempts in T. */
  nT: number;
  /** Events in the control arm C (old provider). */
  xC: number;
  /** Attempts in C. */
  nC: number;
}

/** The pooled two-proportion z test and the unpooled standard error of the difference. */
export interface TwoProportionZ {
  /** Difference of rates `p_T − p_C`. */
  diff: number;
  /** `diff / sePooled`; 0 when both arms have rate 0 or both rate 1. */
  z: number;
  /** p-value of `z` against N(0, 1) for the chosen alternative. */
  pValue: number;
  /** Unpooled (Wald) standard error `√(p_T q_T/n_T + p_C q_C/n_C)`, for the interval `diff ± z·se`. */
  se: number;
  /** Pooled standard error `√(p̄ q̄ (1/n_T + 1/n_C))`, `p̄ = (x_T + x_C)/(n_T + n_C)`, the one the test uses. */
  sePooled: number;
}

/**
 * Two-proportion z test of H0: p_T = p_C with the pooled variance.
 *
 *     z = (p_T − p_C) / √(p̄ (1 − p̄)(1/n_T + 1/n_C)),   p̄ = (x_T + x_C)/(n_T + n_C)
 *     two-sided p = 2 Φ(−|z|);  greater p = Φ(−z);  less p = Φ(z)
 *
 * Reference: R `prop.test(c(xT, xC), c(nT, nC), correct = FALSE)` (X-squared = z²);
 * statistics.md 2.1. When p̄ is 0 or 1 the arms are identical: z = 0 and p = 1 (two-sided).
 *
 * @throws {RangeError} unless nT, nC ≥ 1 and 0 ≤ x ≤ n are integers in each arm.
 */
export function twoProportionZ({ xT, nT, xC, nC }: TwoArmCounts, alternative: Alternative = 'two-sided'): TwoProportionZ {
  checkArm(xT, nT, 'twoProportionZ');
  checkArm(xC, nC, 'twoProportionZ');
  const [pT, pC, pooled] = [xT / nT, xC / nC, (xT + xC) / (nT + nC)];
  const diff = pT - pC;
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nC));
  const se = Math.sqrt((pT * (1 - pT)) / nT + (pC * (1 - pC)) / nC);
  const z = sePooled === 0 ? 0 : diff / sePooled;
  const pValue =
    alternative === 'two-sided' ? 2 * normal.cdf(-Math.abs(z), 0, 1) : normal.cdf(alternative === 'less' ? z : -z, 0, 1);
  return { diff, z, pValue, se, sePooled };
}

/** Throws unless `x` events out of `n ≥ 1` attempts are integers with 0 ≤ x ≤ n. */
export function checkArm(x: number, n: number, caller: string): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(x) || x < 0 || x > n) {
    throw new RangeError(`${caller} needs integer counts with 0 ≤ x ≤ n and n ≥ 1, got x=${x} n=${n}`);
  }
}
