import { BURN_IN_EVENTS } from '../evaluate/stream.js';
import type { PlanMetric } from '../plan/plan.js';
import { mixtureTau2 } from '../stats/mixture-tau2.js';
import { normalMixtureHalfWidth } from '../stats/normal-mixture-half-width.js';
import { normalMixtureSequence, type MixtureLook } from '../stats/normal-mixture-sequence.js';
import type { CohortBaseline, CohortResult } from '../types.js';
import { dailyLookEnds } from './daily-looks.js';
import { fitProjection, placeboDeltas, type Placebo } from './placebo.js';
import { logitPrediction, windowDelta, type HourCount } from './window-delta.js';

/** A planned cohort × metric with its baseline model and its hours. */
export interface ProjectedInput {
  baseline: CohortBaseline;
  shape: Float64Array | undefined;
  metric: PlanMetric;
  /**
   * The cohort's legacy hours from `historyStart` up to the window start: the baseline period and
   * the legacy arms of the stages (upstream incident hours already removed).
   */
  history: readonly HourCount[];
  historyStart: Date;
  /** Candidate hours of the post-rollout window (incident hours removed). */
  window: readonly HourCount[];
  /** The window: [start, at); `plannedEnd` is the plan's post-rollout end (tunes the mixture). */
  start: Date;
  at: Date;
  plannedEnd: Date;
  alpha: number;
}

/** The placebo calibration as the report shows it. */
export interface PlaceboSummary {
  /** Fake dates behind the latest look's length, and the root mean square of Δ there. */
  k: number;
  rms: number;
  /** Days from the cohort's last legacy hour to the window start, and the latest look's length in days. */
  gapDays: number;
  lengthDays: number;
  /** The end of the cohort's legacy history (ISO-8601), null without any. */
  historyEnd: string | null;
  /** `Δ/(rms √(1 + 1/k))` at the latest look (for reference: one look, no multiplicity). */
  t: number | null;
}

/** A planned cohort's post-rollout result before multiplicity (p_adjusted null, verdict set later). */
export interface ProjectedOutcome {
  result: CohortResult;
  placebo: PlaceboSummary;
}

/** Fewest fake dates for a calibrated look. */
export const MIN_PLACEBOS = 3;
const HOUR = 3600;
const DAY = 86_400;

/**
 * A planned cohort × rate metric against its own legacy history projected forward (statistics.md
 * 2.3, 9.4), calibrated by placebo runs of the same projection at fake dates (2.2, 9.5), over
 * daily looks since the rollout end (3.1). The projection is refitted (level + trend, hour-of-week
 * shape of the snapshot as offset, τ² of the snapshot) on every legacy hour the cohort has — the
 * baseline period and the stages' legacy arms — so it extrapolates only from the cohort's last
 * legacy hour, and the placebos extrapolate over the same gap. At look d, with window length ℓ_d:
 *
 *     θ̂_d = Δ_d = windowDelta(window hours before look d),
 *     v_d = max(Var_delta(Δ_d), MS_placebo(ℓ_d) · (1 + 1/k_d)),   MS = mean over fake dates of Δ²
 *
 * The two-sided normal-mixture mSPRT over the looks gives the always-valid p; the interval is the
 * latest look's confidence sequence. τ² of the mixture comes from the history and the plan only
 * (`max(MS at the planned length, variance expected at the planned end)`), fixed before any
 * post-rollout data is seen. A look counts once ≥ `BURN_IN_EVENTS` of the rarer outcome are
 * expected (as in `stagewise evaluate`); a cohort whose latest look has fewer, or cannot be
 * calibrated (fewer than `MIN_PLACEBOS` fake dates: too little history for its gap and window), is
 * `insufficient_data`.
 */
export function projectedResult(input: ProjectedInput): ProjectedOutcome {
  const { baseline, metric } = input;
  const start = input.start.getTime() / 1000;
  const history = input.history.filter((h) => h.n > 0 && h.hour < start);
  const historyEnd = history.length ? Math.max(...history.map((h) => h.hour)) + HOUR : null;
  const common = {
    cohort: baseline.cohort, metric: metric.name, design: 'baseline_projection' as const, n_control: history.reduce((s, h) => s + h.n, 0),
    tolerance: metric.tolerance, p_adjusted: null, observed: null, expected: null, effect: null, ci: null, p_value: null, method: 'projection',
  };
  const summary: PlaceboSummary = { k: 0, rms: 0, gapDays: historyEnd === null ? 0 : (start - historyEnd) / DAY, lengthDays: 0, historyEnd: historyEnd === null ? null : new Date(historyEnd * 1000).toISOString(), t: null };
  const insufficient = (note: string, n = 0): ProjectedOutcome => ({ placebo: summary, result: { ...common, verdict: 'insufficient_data', n, note } });
  const ends = dailyLookEnds(input.start, input.at);
  const windows = ends.map((end) => input.window.filter((h) => h.n > 0 && h.hour * 1000 < end.getTime()));
  const n = windows[windows.length - 1]?.reduce((s, h) => s + h.n, 0) ?? 0;
  if (n === 0) return insufficient('no candidate traffic in the post-rollout window');
  if (historyEnd === null) return insufficient('no legacy history to project from', n);
  let fit;
  try {
    fit = fitProjection(history, input.shape);
  } catch (error) {
    return insufficient(`its legacy history cannot be fitted (${error instanceof Error ? error.message : String(error)}); judge it through its parent cohort`, n);
  }
  const predict = logitPrediction(fit.level, fit.slope, fit.tBar * DAY, input.shape);
  const cov = { varLevel: fit.varLevel, varTrend: fit.varSlope, covLevelTrend: fit.covLevelSlope };
  const lengths = ends.map((end) => end.getTime() / 1000 - start);
  const planned = Math.max(input.plannedEnd.getTime() / 1000 - start, lengths[lengths.length - 1] ?? 0);
  const placebo = placeboDeltas(history, input.historyStart.getTime() / 1000, historyEnd, start - historyEnd, [...lengths, planned], input.shape, baseline.tau2);
  const looks: MixtureLook[] = [];
  let last: { delta: ReturnType<typeof windowDelta>; length: number; k: number; meanSquare: number; v: number } | undefined;
  let expectedRarer = 0;
  windows.forEach((hours, i) => {
    const calibration = placebo.lengths[i];
    if (hours.length === 0 || !calibration || calibration.k < MIN_PLACEBOS) return;
    const delta = windowDelta(hours, predict, baseline.tau2, cov);
    // Burn-in (statistics.md 3.1, as in evaluate): a look counts once ≥ 10 of the rarer outcome are expected.
    expectedRarer = Math.min(delta.expectedX, delta.n - delta.expectedX);
    if (expectedRarer < BURN_IN_EVENTS) return;
    const v = Math.max(delta.varSampling + delta.varModel, calibration.meanSquare * (1 + 1 / calibration.k));
    looks.push({ thetaHat: delta.delta, v });
    last = { delta, length: lengths[i] ?? 0, k: calibration.k, meanSquare: calibration.meanSquare, v };
  });
  const final = last;
  const latestLength = lengths[lengths.length - 1] ?? 0;
  if (expectedRarer < BURN_IN_EVENTS && (placebo.lengths[lengths.length - 1]?.k ?? 0) >= MIN_PLACEBOS) {
    return insufficient(`needs ≥ ${BURN_IN_EVENTS} expected events in the window, has ${expectedRarer.toFixed(1)} in ${n} trials; or judge it through its parent cohort`, n);
  }
  if (!final || final.length !== latestLength) {
    const k = placebo.lengths[lengths.length - 1]?.k ?? 0;
    return insufficient(
      `its legacy history ends ${summary.historyEnd}, ${summary.gapDays.toFixed(1)} days before the window: ${k} fake date(s) fit a projection over ${(latestLength / DAY).toFixed(1)} days with that gap (needs ≥ ${MIN_PLACEBOS}); keep a legacy holdback or judge it through its parent cohort`,
      n,
    );
  }
  Object.assign(summary, { k: final.k, rms: Math.sqrt(final.meanSquare), lengthDays: final.length / DAY });
  const effect = final.delta.delta;
  summary.t = final.meanSquare > 0 ? effect / Math.sqrt(final.meanSquare * (1 + 1 / final.k)) : null;
  const tau2 = mixtureTau2(Math.max(plannedMeanSquare(placebo), plannedVariance(input)), input.alpha);
  const states = normalMixtureSequence(looks, { tau2, alpha: input.alpha });
  const half = normalMixtureHalfWidth(final.v, tau2, input.alpha);
  const observed = final.delta.x / final.delta.n;
  return {
    placebo: summary,
    result: {
      ...common, verdict: 'inconclusive', observed, expected: observed - effect, effect,
      ci: [effect - half, effect + half], p_value: states[states.length - 1]?.p ?? 1, n: final.delta.n,
      method: `projection of the cohort's legacy history (level + trend + hour-of-week, τ² in the variance) over a ${summary.gapDays.toFixed(1)}-day gap, placebo-calibrated at ${final.k} fake dates (rms ${Math.sqrt(final.meanSquare).toPrecision(3)}); mixture over ${looks.length} daily look(s), interval of the latest look`,
    },
  };
}

/** The placebo mean square at the planned length (or the longest calibrated one) with its 1 + 1/k. */
function plannedMeanSquare(placebo: Placebo): number {
  const calibrated = placebo.lengths.filter((l) => l.k >= MIN_PLACEBOS);
  const planned = placebo.lengths[placebo.lengths.length - 1];
  const use = planned && planned.k >= MIN_PLACEBOS ? planned : calibrated.sort((a, b) => b.seconds - a.seconds)[0];
  return use ? use.meanSquare * (1 + 1 / use.k) : 0;
}

/** Variance of Δ expected at the planned end with the baseline's hourly volume: μq/N + τ²(μq)²/H. */
function plannedVariance(input: ProjectedInput): number {
  const hours = Math.max(1, (input.plannedEnd.getTime() - input.start.getTime()) / 3_600_000);
  const perHour = input.baseline.n / Math.max(1, input.baseline.windows);
  const mu = Math.min(Math.max(input.baseline.mean, 1e-6), 1 - 1e-6);
  const muq = mu * (1 - mu);
  return muq / Math.max(1, perHour * hours) + (input.baseline.tau2 * muq * muq) / hours;
}
