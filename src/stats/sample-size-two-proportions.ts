import normal from '@stdlib/stats-base-dists-normal';

/** Inputs of a two-proportion sample-size calculation. */
export interface TwoProportionDesign {
  /** Rate in the treatment arm (new provider). */
  p1: number;
  /** Rate in the control arm (old provider). */
  p2: number;
  /** Two-sided level. */
  alpha: number;
  /** Power, 1 − β. */
  power: number;
  /** Allocation `r = n_T / n_C`; 1 unless given. */
  ratio?: number;
  /** Design effect (φ, or 1 + (m − 1) ICC); 1 unless given. */
  designEffect?: number;
}

/** Attempts needed per arm. */
export interface SampleSize {
  /** Treatment attempts, `r n_C`. */
  nT: number;
  /** Control attempts. */
  nC: number;
}

/**
 * Attempts per arm for a two-sided two-proportion z test (Fleiss, unequal allocation):
 *
 *     n_C = (z_{1−α/2} √(p̄ q̄ (1 + 1/r)) + z_{1−β} √(p2 q2 + p1 q1 / r))² DE / (p1 − p2)²
 *     p̄ = (r p1 + p2) / (1 + r),   n_T = r n_C
 *
 * For r = 1 and DE = 1 this is R `power.prop.test(p1 = , p2 = , power = )$n` (strict = FALSE).
 * Reference: Fleiss, Levin & Paik (2003), Statistical Methods for Rates and Proportions, 3rd ed.,
 * section 4.2; statistics.md section 7.
 *
 * @throws {RangeError} if a rate is outside (0, 1), p1 = p2, alpha or power outside (0, 1),
 * or ratio or designEffect <= 0.
 */
export function sampleSizeTwoProportions(design: TwoProportionDesign): SampleSize {
  const { p1, p2, alpha, power, ratio = 1, designEffect = 1 } = design;
  const open = [p1, p2, alpha, power].every((value) => value > 0 && value < 1);
  if (!open || p1 === p2 || !(ratio > 0) || !(designEffect > 0)) {
    throw new RangeError(
      `sampleSizeTwoProportions needs p1 != p2, rates, alpha and power in (0, 1), ratio and designEffect > 0, got ${JSON.stringify(design)}`,
    );
  }
  const zAlpha = normal.quantile(1 - alpha / 2, 0, 1);
  const zBeta = normal.quantile(power, 0, 1);
  const pBar = (ratio * p1 + p2) / (1 + ratio);
  const root =
    zAlpha * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / ratio)) + zBeta * Math.sqrt(p2 * (1 - p2) + (p1 * (1 - p1)) / ratio);
  const nC = (root ** 2 * designEffect) / (p1 - p2) ** 2;
  return { nT: ratio * nC, nC };
}
