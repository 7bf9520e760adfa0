import t from '@stdlib/stats-base-dists-t';
import type { PlanMetric } from '../plan/plan.js';
import { mixtureTau2 } from '../stats/mixture-tau2.js';
import { normalMixtureSequence, type MixtureLook } from '../stats/normal-mixture-sequence.js';
import type { CohortBaseline, CohortResult, Period } from '../types.js';
import { dailyLookEnds } from './daily-looks.js';
import { placeboDeltas } from './placebo.js';
import { logitPrediction, windowDelta, type HourCount } from './window-delta.js';

/** A planned cohort × metric with its baseline model and its hours. */
export interface ProjectedInput {
  baseline: CohortBaseline;
  shape: Float64Array | undefined;
  metric: PlanMetric;
  /** Legacy hours of the baseline period (for the placebo refits). */
  history: readonly HourCount[];
  /** Candidate hours of the post-rollout window. */
  window: readonly HourCount[];
  baselinePeriod: Period;
  /** The window: [start, at); `plannedEnd` is the plan's post-rollout end (tunes the mixture). */
  start: Date;
  at: Date;
  plannedEnd: Date;
  alpha: number;
}

/** The placebo calibration as the report shows it. */
export interface PlaceboSummary {
  /** Fake dates used and the spread of Δ there. */
  k: number;
  mean: number;
  sd: number;
  /** `(Δ − mean)/(sd √(1 + 1/k))` at the last look and its two-sided p from t with k − 1 df (one look, for reference). */
  t: number | null;
  pT: number | null;
}

/** A planned cohort's post-rollout result before multiplicity (p_adjusted null, verdict set later). */
export interface ProjectedOutcome {
  result: CohortResult;
  placebo: PlaceboSummary;
}

const MIN_PLACEBOS = 3;

/**
 * A planned cohort × rate metric against its baseline projected forward (statistics.md 2.3, 9.4),
 * calibrated by placebos (2.2, 9.5), over daily looks since the rollout end (3.1):
 *
 *     θ̂_d = Δ_d − mean(Δ_placebo),   v_d = max(Var_delta(Δ_d), sd²_placebo (1 + 1/k))
 *
 * with `Δ_d = windowDelta` over the hours before look d. The two-sided normal-mixture mSPRT
 * over the looks gives the always-valid p and confidence sequence; τ² of the mixture is tuned
 * from the baseline and the plan only (`max(placebo variance, variance expected at the planned end)`),
 * so it is fixed before any post-rollout data is seen.
 */
export function projectedResult(input: ProjectedInput): ProjectedOutcome {
  const { baseline, metric } = input;
  const placebo = placeboDeltas(input.history, input.baselinePeriod, input.shape, baseline.tau2);
  const calibrated = placebo.k >= MIN_PLACEBOS;
  const placeboVar = calibrated ? placebo.sd ** 2 * (1 + 1 / placebo.k) : 0;
  const predict = logitPrediction(baseline.level, baseline.trendPerDay, baseline.tBar.getTime() / 1000, input.shape);
  const cov = { varLevel: baseline.varLevel, varTrend: baseline.varTrend, covLevelTrend: baseline.covLevelTrend };
  const looks: MixtureLook[] = [];
  let last: ReturnType<typeof windowDelta> | undefined;
  for (const end of dailyLookEnds(input.start, input.at)) {
    const hours = input.window.filter((h) => h.hour * 1000 < end.getTime());
    if (!hours.some((h) => h.n > 0)) continue;
    last = windowDelta(hours, predict, baseline.tau2, cov);
    looks.push({ thetaHat: last.delta - (calibrated ? placebo.mean : 0), v: Math.max(last.varSampling + last.varModel, placeboVar) });
  }
  const summary: PlaceboSummary = { k: placebo.k, mean: placebo.mean, sd: placebo.sd, t: null, pT: null };
  const common = {
    cohort: baseline.cohort, metric: metric.name, design: 'baseline_projection' as const, n_control: baseline.n,
    tolerance: metric.tolerance, p_adjusted: null,
  };
  if (!last || looks.length === 0) {
    return {
      placebo: summary,
      result: { ...common, verdict: 'insufficient_data', observed: null, expected: null, effect: null, ci: null, p_value: null, n: 0, method: 'projection', note: 'no candidate traffic in the post-rollout window' },
    };
  }
  const tau2 = mixtureTau2(Math.max(placeboVar, plannedVariance(input)), input.alpha);
  const states = normalMixtureSequence(looks, { tau2, alpha: input.alpha });
  const final = states[states.length - 1];
  const effect = looks[looks.length - 1]?.thetaHat ?? 0;
  if (calibrated) {
    summary.t = effect / (placebo.sd * Math.sqrt(1 + 1 / placebo.k));
    summary.pT = Number.isFinite(summary.t) ? 2 * (1 - t.cdf(Math.abs(summary.t), placebo.k - 1)) : null;
  }
  const observed = last.x / last.n;
  const method = calibrated
    ? `projection (level + trend + hour-of-week, τ² in the variance), placebo-calibrated: ${placebo.k} fake dates, sd ${placebo.sd.toPrecision(3)}, mean ${placebo.mean.toPrecision(3)}; mixture over ${looks.length} daily look(s)`
    : `projection (level + trend + hour-of-week, τ² in the variance), delta-method variance only (${placebo.k} usable fake dates); mixture over ${looks.length} daily look(s)`;
  return {
    placebo: summary,
    result: {
      ...common, verdict: 'inconclusive', observed, expected: observed - effect, effect,
      ci: final ? [final.lower, final.upper] : null, p_value: final?.p ?? 1, n: last.n, method,
    },
  };
}

/** Variance of Δ expected at the planned end with the baseline's hourly volume: μq/N + τ²(μq)²/H. */
function plannedVariance(input: ProjectedInput): number {
  const hours = Math.max(1, (input.plannedEnd.getTime() - input.start.getTime()) / 3_600_000);
  const perHour = input.baseline.n / Math.max(1, input.baseline.windows);
  const mu = Math.min(Math.max(input.baseline.mean, 1e-6), 1 - 1e-6);
  const muq = mu * (1 - mu);
  return muq / Math.max(1, perHour * hours) + (input.baseline.tau2 * muq * muq) / hours;
}
