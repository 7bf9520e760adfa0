/** Per-unit sums of a ratio metric (failures over attempts, summed per user or tenant first). */
export interface RatioSums {
  /** Number of units (users or tenants) `K`. */
  K: number;
  /** `Σ_u x_u`, the events (failures). */
  Sx: number;
  /** `Σ_u n_u`, the attempts. */
  Sn: number;
  /** `Σ_u x_u²`. */
  Sxx: number;
  /** `Σ_u n_u²`. */
  Snn: number;
  /** `Σ_u x_u n_u`. */
  Sxn: number;
}

/** A ratio metric with its delta-method variance. */
export interface RatioVariance {
  /** `p = Sx / Sn`. */
  rate: number;
  /** Delta-method variance of `p`, clustered by unit. */
  variance: number;
  /** `variance / (p q / Sn)`; 1 when p is 0 or 1 (both variances are 0). */
  designEffect: number;
}

/**
 * The delta-method variance of a ratio metric `p = Σx_u / Σn_u` over `K` units:
 *
 *     Var(p) = (s_xx − 2 p s_xn + p² s_nn) / (K n̄²),   n̄ = Sn/K, s = sample (K − 1) (co)variances
 *            = (Sxx − 2 p Sxn + p² Snn) / ((K − 1) K n̄²)     (since Σ(x_u − p n_u) = 0)
 *     DE = Var(p) / (p q / Sn)
 *
 * Reference: Deng, Knoblich & Lu (2018), "Applying the delta method in metric analytics", KDD;
 * statistics.md section 2.6.
 *
 * @throws {RangeError} if K < 2, Sn <= 0, or a sum is negative or not finite.
 */
export function ratioVariance({ K, Sx, Sn, Sxx, Snn, Sxn }: RatioSums): RatioVariance {
  if (!(K >= 2) || !(Sn > 0) || ![Sx, Sxx, Snn, Sxn].every((s) => Number.isFinite(s) && s >= 0)) {
    throw new RangeError(
      `ratioVariance needs K >= 2, Sn > 0 and finite non-negative sums, got K=${K} Sx=${Sx} Sn=${Sn} Sxx=${Sxx} Snn=${Snn} Sxn=${Sxn}`,
    );
  }
  const rate = Sx / Sn;
  const nBar = Sn / K;
  const squares = Math.max(Sxx - 2 * rate * Sxn + rate ** 2 * Snn, 0);
  const variance = squares / ((K - 1) * K * nBar ** 2);
  const binomial = (rate * (1 - rate)) / Sn;
  return { rate, variance, designEffect: binomial > 0 ? variance / binomial : 1 };
}
