import { median, medianAbsoluteDeviation } from 'simple-statistics';

/** One historical window of a rate: events, attempts and the model mean. */
export interface DispersionWindow {
  /** Events (failures) in the window. */
  x: number;
  /** Attempts in the window. */
  n: number;
  /** Model mean `μ_w` of the rate in the window (baseline fit or pooled rate). */
  mu: number;
}

/** Window-to-window variability of a rate beyond binomial noise. */
export interface Overdispersion {
  /** Pearson `X² = Σ (x − nμ)² / (nμ(1 − μ))`. */
  x2: number;
  /** Quasi-binomial dispersion `X² / (k − p)`. */
  phi: number;
  /** DerSimonian–Laird between-window variance of the rate, truncated at 0. */
  tau2: number;
  /** Moment (ANOVA) intraclass correlation of the beta-binomial, truncated at 0. */
  rho: number;
  /** `max(0, (1.4826 MAD(r))² − 1) · median(v_w)`, robust to incident windows. */
  tau2Robust: number;
}

/**
 * Overdispersion of k windows of a rate around model means μ_w, with p fitted parameters:
 *
 *     X² = Σ (x_w − n_w μ_w)² / (n_w μ_w (1 − μ_w)),          φ = X² / (k − p)
 *     v_w = μ_w(1 − μ_w)/n_w,  W_w = 1/v_w,  τ² = max(0, (X² − (k − p)) / (ΣW − ΣW²/ΣW))
 *     ρ = max(0, (X² − (k − p)) / (N − Σn_w²/N − (k − p))),   N = Σ n_w
 *     r_w = (x_w/n_w − μ_w)/√v_w,  τ²_robust = max(0, (1.4826 MAD(r))² − 1) · median(v_w)
 *
 * φ equals R `summary(glm(cbind(x, n − x) ~ 1, quasibinomial))$dispersion` for a constant mean.
 * References: McCullagh & Nelder (1989); DerSimonian & Laird (1986), Control. Clin. Trials 7;
 * Ridout, Demétrio & Firth (1999), Biometrics 55; statistics.md section 1.2.
 *
 * @throws {RangeError} if there are not more windows than fitted parameters, or a window has
 * n <= 0, x outside [0, n], or μ outside (0, 1).
 */
export function overdispersion(windows: readonly DispersionWindow[], fittedParameters = 1): Overdispersion {
  const k = windows.length;
  if (!(k > fittedParameters) || !(fittedParameters >= 0)) {
    throw new RangeError(`overdispersion needs more windows than fitted parameters, got ${k} and ${fittedParameters}`);
  }
  for (const { x, n, mu } of windows) {
    if (!(n > 0 && x >= 0 && x <= n && mu > 0 && mu < 1)) {
      throw new RangeError(`overdispersion needs n > 0, 0 <= x <= n and 0 < mu < 1, got x=${x} n=${n} mu=${mu}`);
    }
  }
  const v = windows.map(({ n, mu }) => (mu * (1 - mu)) / n);
  const r = windows.map(({ x, n, mu }, w) => (x / n - mu) / Math.sqrt(v[w] ?? 1));
  const x2 = r.reduce((sum, rw) => sum + rw ** 2, 0);
  const excess = x2 - (k - fittedParameters);
  const sumW = v.reduce((sum, vw) => sum + 1 / vw, 0);
  const sumW2 = v.reduce((sum, vw) => sum + 1 / vw ** 2, 0);
  const total = windows.reduce((sum, { n }) => sum + n, 0);
  const sumN2 = windows.reduce((sum, { n }) => sum + n ** 2, 0);
  const robustSd = 1.4826 * medianAbsoluteDeviation(r);
  return {
    x2,
    phi: x2 / (k - fittedParameters),
    tau2: Math.max(0, excess / (sumW - sumW2 / sumW)),
    rho: Math.max(0, excess / (total - sumN2 / total - (k - fittedParameters))),
    tau2Robust: Math.max(0, robustSd ** 2 - 1) * median(v),
  };
}
