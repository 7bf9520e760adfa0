/** One window of a rate for the trend fit. */
export interface TrendWindow {
  /** Events (failures). */
  x: number;
  /** Attempts. */
  n: number;
  /** Time of the window (e.g. hours or days since an origin). */
  t: number;
  /** Fixed logit offset (hour-of-week profile `s_g(h(w))`); 0 for none. */
  offset: number;
}

/** A binomial logit-linear trend fitted by IRLS. */
export interface LogitTrend {
  /** Level α: logit rate at t = tBar, offset 0. */
  level: number;
  /** Slope β per unit of t, on the logit scale. */
  slope: number;
  /** The n-weighted mean time `Σ n_w t_w / Σ n_w` at which the fit is centred. */
  tBar: number;
  /** Var(α̂) from the inverse Fisher information. */
  varLevel: number;
  /** Var(β̂). */
  varSlope: number;
  /** Cov(α̂, β̂). */
  covLevelSlope: number;
  /** IRLS iterations used. */
  iterations: number;
}

const MAX_ITERATIONS = 100;

/**
 * Fits `logit(μ_w) = α + β (t_w − t̄) + offset_w`, `x_w ~ Binomial(n_w, μ_w)`, by iteratively
 * reweighted least squares (Fisher scoring):
 *
 *     η = α + β(t − t̄) + offset,  μ = expit(η),  W = n μ(1 − μ),  z = η − offset + (x − nμ)/W
 *     (α, β) ← (X'WX)⁻¹ X'Wz,   X = [1, t − t̄],   Cov(α̂, β̂) = (X'WX)⁻¹ at convergence
 *
 * until the coefficients change by less than 1e-12 (relative). Agrees with R
 * `glm(cbind(x, n − x) ~ I(t − tBar) + offset(offset), family = binomial)`.
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, section 2.5;
 * statistics.md section 1.1.
 *
 * @throws {RangeError} if there are fewer than two distinct times, a window has n <= 0 or x
 * outside [0, n], all windows have x = 0 or all x = n, or IRLS does not converge (separation).
 */
export function weightedLogitTrend(windows: readonly TrendWindow[]): LogitTrend {
  checkWindows(windows);
  const total = windows.reduce((sum, { n }) => sum + n, 0);
  const tBar = windows.reduce((sum, { n, t }) => sum + n * t, 0) / total;
  let eta = windows.map(({ x, n }) => Math.log((x + 0.5) / (n - x + 0.5)));
  let level = 0;
  let slope = 0;
  for (let iterations = 1; iterations <= MAX_ITERATIONS; iterations++) {
    let [s0, s1, s2, b0, b1] = [0, 0, 0, 0, 0];
    windows.forEach(({ x, n, t, offset }, w) => {
      const etaW = eta[w] ?? 0;
      const mu = 1 / (1 + Math.exp(-etaW));
      const weight = n * mu * (1 - mu);
      const z = etaW - offset + (x - n * mu) / weight;
      const d = t - tBar;
      [s0, s1, s2, b0, b1] = [s0 + weight, s1 + weight * d, s2 + weight * d * d, b0 + weight * z, b1 + weight * d * z];
    });
    const det = s0 * s2 - s1 * s1;
    const next = { level: (s2 * b0 - s1 * b1) / det, slope: (s0 * b1 - s1 * b0) / det };
    const change = Math.abs(next.level - level) + Math.abs(next.slope - slope);
    [level, slope] = [next.level, next.slope];
    eta = windows.map(({ t, offset }) => level + slope * (t - tBar) + offset);
    if (change <= 1e-12 * (1 + Math.abs(level) + Math.abs(slope))) {
      return { level, slope, tBar, ...inverseInformation(windows, eta, tBar), iterations };
    }
  }
  throw new RangeError(`weightedLogitTrend did not converge in ${MAX_ITERATIONS} iterations (separated data?)`);
}

function checkWindows(windows: readonly TrendWindow[]): void {
  for (const { x, n, t, offset } of windows) {
    if (!(n > 0 && x >= 0 && x <= n && Number.isFinite(t) && Number.isFinite(offset))) {
      throw new RangeError(`weightedLogitTrend needs n > 0, 0 <= x <= n, finite t and offset, got x=${x} n=${n} t=${t} offset=${offset}`);
    }
  }
  if (new Set(windows.map(({ t }) => t)).size < 2) {
    throw new RangeError(`weightedLogitTrend needs windows at two or more distinct times, got ${windows.length} windows`);
  }
  if (windows.every(({ x }) => x === 0) || windows.every(({ x, n }) => x === n)) {
    throw new RangeError('weightedLogitTrend has no finite fit when every window has x = 0 or every window has x = n');
  }
}

function inverseInformation(windows: readonly TrendWindow[], eta: readonly number[], tBar: number) {
  let [s0, s1, s2] = [0, 0, 0];
  windows.forEach(({ n, t }, w) => {
    const mu = 1 / (1 + Math.exp(-(eta[w] ?? 0)));
    const weight = n * mu * (1 - mu);
    [s0, s1, s2] = [s0 + weight, s1 + weight * (t - tBar), s2 + weight * (t - tBar) ** 2];
  });
  const det = s0 * s2 - s1 * s1;
  return { varLevel: s2 / det, varSlope: s0 / det, covLevelSlope: -s1 / det };
}
