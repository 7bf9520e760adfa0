import normal from '@stdlib/stats-base-dists-normal';

/** Inputs of the MDE of a window-against-projected-baseline test (no concurrent control). */
export interface BaselineOnlyDesign {
  /** Baseline rate. */
  p0: number;
  /** Attempts per window. */
  nPerWindow: number;
  /** Number of windows W in the evaluation. */
  windows: number;
  /** Window-to-window variance of the rate, τ² (`overdispersion`). */
  tau2: number;
  /** Variance of the projected baseline itself; 0 unless given. */
  varianceBaseline?: number;
  /** Two-sided level. */
  alpha: number;
  /** Power, 1 − β. */
  power: number;
}

/** MDE without a control, and the floor no traffic volume removes. */
export interface BaselineOnlyMde {
  /** Absolute detectable change of the rate. */
  mde: number;
  /** The MDE at infinite traffic per window: `(z_{1−α/2} + z_{1−β}) √(τ²/W + Var(baseline))`. */
  floor: number;
}

/**
 * The minimum detectable effect of comparing W windows with a projected baseline (section 2.3):
 *
 *     MDE ≈ (z_{1−α/2} + z_{1−β}) √((p0 q0 / n_w + τ²) / W + Var(baseline))
 *
 * The τ² term puts a floor under the MDE that more attempts per window cannot remove.
 * Reference: statistics.md section 7; DerSimonian & Laird (1986) for τ².
 *
 * @throws {RangeError} if p0, alpha or power is outside (0, 1), nPerWindow or windows <= 0,
 * or a variance is negative.
 */
export function mdeBaselineOnly(design: BaselineOnlyDesign): BaselineOnlyMde {
  const { p0, nPerWindow, windows, tau2, varianceBaseline = 0, alpha, power } = design;
  const rates = [p0, alpha, power].every((value) => value > 0 && value < 1);
  if (!rates || !(nPerWindow > 0 && windows > 0 && tau2 >= 0 && varianceBaseline >= 0)) {
    throw new RangeError(`mdeBaselineOnly needs p0, alpha, power in (0, 1), positive counts and variances >= 0, got ${JSON.stringify(design)}`);
  }
  const z = normal.quantile(1 - alpha / 2, 0, 1) + normal.quantile(power, 0, 1);
  return {
    mde: z * Math.sqrt(((p0 * (1 - p0)) / nPerWindow + tau2) / windows + varianceBaseline),
    floor: z * Math.sqrt(tau2 / windows + varianceBaseline),
  };
}
