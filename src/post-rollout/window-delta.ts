/** One hour of a rate: trials and events, hour start in seconds since the epoch. */
export interface HourCount {
  hour: number;
  n: number;
  x: number;
}

/** The model's rate for an hour and its gradient in (level, trend per day). */
export interface HourPrediction {
  mu: number;
  /** ∂μ/∂level and ∂μ/∂trendPerDay. */
  gradLevel: number;
  gradTrend: number;
}

/** A window's observed-minus-projected rate. */
export interface WindowDelta {
  /** Inverse-variance weighted mean of p_w − μ_w. */
  delta: number;
  /** Its sampling variance `1/Σ 1/s_w²` with `s_w² = μq/n_w + τ²(μq)²`. */
  varSampling: number;
  /** Its variance from the baseline's parameter uncertainty, `g' Cov g`. */
  varModel: number;
  /** Trials, events and projected events over the window. */
  n: number;
  x: number;
  expectedX: number;
}

/** The fitted parameters' covariance: (level, trend per day). */
export interface ParameterCovariance {
  varLevel: number;
  varTrend: number;
  covLevelTrend: number;
}

/**
 * Observed minus projected rate over the hours of a window (statistics.md 2.3):
 *
 *     s_w² = μ_w q_w / n_w + τ² (μ_w q_w)²      (τ² on the logit scale, moved to the rate scale)
 *     Δ = Σ (p_w − μ_w)/s_w² / Σ 1/s_w²,   Var = 1/Σ 1/s_w² + g' Cov(level, trend) g,
 *     g = Σ ∇μ_w/s_w² / Σ 1/s_w²
 *
 * The second variance term is the baseline parameters' uncertainty, shared by every hour.
 *
 * @throws {RangeError} if there are no hours with trials.
 */
export function windowDelta(hours: readonly HourCount[], predict: (hour: number) => HourPrediction, tau2Logit: number, cov: ParameterCovariance): WindowDelta {
  let [weights, weighted, gLevel, gTrend, n, x, expectedX] = [0, 0, 0, 0, 0, 0, 0];
  for (const h of hours) {
    if (!(h.n > 0)) continue;
    const { mu, gradLevel, gradTrend } = predict(h.hour);
    const muq = Math.max(mu * (1 - mu), 1e-12);
    const s2 = muq / h.n + tau2Logit * muq * muq;
    weights += 1 / s2;
    weighted += (h.x / h.n - mu) / s2;
    gLevel += gradLevel / s2;
    gTrend += gradTrend / s2;
    n += h.n;
    x += h.x;
    expectedX += h.n * mu;
  }
  if (weights === 0) throw new RangeError('windowDelta needs at least one hour with trials');
  const [a, b] = [gLevel / weights, gTrend / weights];
  const varModel = Math.max(0, a * a * cov.varLevel + b * b * cov.varTrend + 2 * a * b * cov.covLevelTrend);
  return { delta: weighted / weights, varSampling: 1 / weights, varModel, n, x, expectedX };
}

/** The logistic prediction `μ = expit(level + trend·days + shape[hour-of-week])` with its gradient. */
export function logitPrediction(level: number, trendPerDay: number, tBarSeconds: number, shape: Float64Array | undefined) {
  return (hour: number): HourPrediction => {
    const days = (hour - tBarSeconds) / 86_400;
    const mu = 1 / (1 + Math.exp(-(level + trendPerDay * days + (shape?.[hourOfWeekSeconds(hour)] ?? 0))));
    const muq = mu * (1 - mu);
    return { mu, gradLevel: muq, gradTrend: muq * days };
  };
}

/** Hour-of-week of an hour start in epoch seconds (Monday 00:00 UTC = 0; the epoch was a Thursday). */
export const hourOfWeekSeconds = (seconds: number): number => ((Math.floor(seconds / 86_400) + 3) % 7) * 24 + (Math.floor(seconds / 3600) % 24);
