import { groupBy } from '../group-by.js';

/** The trend fields `shrinkTrends` reads and rewrites. */
export interface TrendFit {
  setId: number;
  metric: string;
  cohortKey: string;
  trendPerDay: number;
  varTrend: number;
  covLevelTrend: number;
  /** The cohort's own fitted trend and its (day-clustered) variance, kept for audit. */
  trendRaw: number;
  varTrendRaw: number;
  /** Weight w on the cohort's own trend (1: not shrunk). */
  trendWeight: number;
}

/** Sets with fewer cohorts that estimate a trend than this keep their cohorts' own trends. */
export const MIN_TREND_PEERS = 3;

/**
 * Empirical-Bayes shrinkage of each cohort's trend towards the mean trend of its cohort set × metric
 * (Efron & Morris 1975), with the between-cohort trend variance τ_b² by DerSimonian & Laird (1986)
 * over the K cohorts of the set with a trend (varTrend = v > 0):
 *
 *     Q = Σ (b − b̄_FE)²/v,   τ_b² = max(0, (Q − (K − 1)) / (Σ 1/v − Σ v⁻² / Σ 1/v)),
 *     b̄ = Σ b/(v + τ_b²) / Σ 1/(v + τ_b²),   Var(b̄) = 1 / Σ 1/(v + τ_b²),   w = τ_b² / (τ_b² + v),
 *     b* = b̄ + w (b − b̄),   Var(b*) = w·v + (1 − w)²·Var(b̄),   Cov(a, b*) = w·Cov(a, b).
 *
 * With equal v this is τ_b² = max(0, Var_set(b) − v). The precision weights keep a few small,
 * noisy cohorts from hiding the spread of the big ones (the plain moment Var_set(b) − mean(v) is
 * dominated by them). A four-week fit reads day-level shocks as trends; extrapolated over a stage
 * a month later they move the expectation by more than the stage can measure. Cohorts without a
 * trend (fixed, shrunk small cohorts) and sets with fewer than `MIN_TREND_PEERS` such cohorts
 * (everyone) are unchanged. Returns new objects; the inputs are not mutated.
 */
export function shrinkTrends<F extends TrendFit>(fits: readonly F[]): F[] {
  const groups = groupBy(fits.filter((f) => f.varTrend > 0), (f) => `${f.setId}|${f.metric}`);
  const priors = new Map<string, { mean: number; tau2: number; varMean: number }>();
  for (const [key, peers] of groups) {
    if (peers.length < MIN_TREND_PEERS) continue;
    const sum = (f: (p: F) => number) => peers.reduce((s, p) => s + f(p), 0);
    const w1 = sum((p) => 1 / p.varTrend);
    const fixedMean = sum((p) => p.trendPerDay / p.varTrend) / w1;
    const q = sum((p) => (p.trendPerDay - fixedMean) ** 2 / p.varTrend);
    const tau2 = Math.max(0, (q - (peers.length - 1)) / (w1 - sum((p) => p.varTrend ** -2) / w1));
    const wr = sum((p) => 1 / (p.varTrend + tau2));
    priors.set(key, { mean: sum((p) => p.trendPerDay / (p.varTrend + tau2)) / wr, tau2, varMean: 1 / wr });
  }
  return fits.map((f) => {
    const prior = priors.get(`${f.setId}|${f.metric}`);
    if (!prior || !(f.varTrend > 0)) return f;
    const w = prior.tau2 / (prior.tau2 + f.varTrend);
    return {
      ...f,
      trendPerDay: prior.mean + w * (f.trendPerDay - prior.mean),
      varTrend: w * f.varTrend + (1 - w) ** 2 * prior.varMean,
      covLevelTrend: w * f.covLevelTrend,
      trendWeight: w,
    };
  });
}
