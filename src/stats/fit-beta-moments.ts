/** A beta distribution fitted to the rates of sibling cohorts or windows. */
export interface BetaMoments {
  /** First shape parameter, `mean (1 − rho)/rho`; Infinity when rho = 0. */
  a: number;
  /** Second shape parameter, `(1 − mean)(1 − rho)/rho`; Infinity when rho = 0. */
  b: number;
  /** Pooled rate `Σx / Σn`. */
  mean: number;
  /** Intraclass correlation `1/(a + b + 1)`, truncated at 0 (no overdispersion beyond binomial). */
  rho: number;
}

/**
 * Beta-binomial moment (ANOVA) estimator from k rows of x events in n attempts.
 *
 *     μ = Σx/N,  N = Σn,  X² = Σ (x − nμ)² / (nμ(1 − μ))
 *     ρ = max(0, (X² − (k − 1)) / (N − Σn²/N − (k − 1))),   a + b = (1 − ρ)/ρ,  a = μ(a + b)
 *
 * Reference: Kleinman (1973), JASA 68; Ridout, Demétrio & Firth (1999), Biometrics 55;
 * statistics.md 1.2 (derivation) and 5.3 (use as the empirical-Bayes prior).
 *
 * @throws {RangeError} for fewer than two rows, a row without integers 0 ≤ x ≤ n, n ≥ 1, a pooled
 * rate of 0 or 1, rows that cannot identify ρ (every n = 1), or ρ ≥ 1 (every row all-or-nothing).
 */
export function fitBetaMoments(rows: readonly { readonly x: number; readonly n: number }[]): BetaMoments {
  if (rows.length < 2) throw new RangeError(`fitBetaMoments needs two or more rows, got ${rows.length}`);
  for (const { x, n } of rows) {
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(x) || x < 0 || x > n) {
      throw new RangeError(`fitBetaMoments needs integer rows with 0 ≤ x ≤ n and n ≥ 1, got x=${x} n=${n}`);
    }
  }
  const k = rows.length;
  const N = rows.reduce((s, r) => s + r.n, 0);
  const mean = rows.reduce((s, r) => s + r.x, 0) / N;
  if (mean === 0 || mean === 1) throw new RangeError(`fitBetaMoments needs a pooled rate strictly between 0 and 1, got ${mean}`);
  const x2 = rows.reduce((s, r) => s + (r.x - r.n * mean) ** 2 / (r.n * mean * (1 - mean)), 0);
  const denominator = N - rows.reduce((s, r) => s + r.n * r.n, 0) / N - (k - 1);
  if (!(denominator > 0)) throw new RangeError(`fitBetaMoments cannot identify rho: every row has n = 1`);
  const rho = Math.max(0, (x2 - (k - 1)) / denominator);
  if (rho >= 1) throw new RangeError(`fitBetaMoments found rho = ${rho} ≥ 1: the rows are more dispersed than any beta-binomial`);
  const total = rho === 0 ? Infinity : (1 - rho) / rho;
  return { a: mean * total, b: (1 - mean) * total, mean, rho };
}
