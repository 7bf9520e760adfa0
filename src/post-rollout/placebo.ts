import { mean, sampleStandardDeviation } from 'simple-statistics';
import { weightedLogitTrend } from '../stats/weighted-logit-trend.js';
import type { Period } from '../types.js';
import { hourOfWeekSeconds, logitPrediction, windowDelta, type HourCount } from './window-delta.js';

/** The spread of the statistic at fake rollout dates inside the baseline period, where nothing changed. */
export interface Placebo {
  /** Fake dates that could be fitted and evaluated (ISO-8601). */
  dates: string[];
  /** Δ at each fake date. */
  deltas: number[];
  /** k, mean and sample sd of the deltas (sd 0 when k < 2). */
  k: number;
  mean: number;
  sd: number;
  /** Days of history the fit needs, days between the fit's end and the fake date (extrapolation, as after the stages), days of the placebo window. */
  trainDays: number;
  gapDays: number;
  lengthDays: number;
}

const DAY = 86_400;

/**
 * Placebo calibration (statistics.md 2.2, 9.5): at fake dates `f_j = start + trainDays + gapDays + j`
 * days (while a whole placebo window fits before the baseline ends) refit the level and trend by
 * binomial IRLS on the hours before `f_j − gapDays`, with the hour-of-week shape as offset, project
 * them over `[f_j, f_j + lengthDays)` and compute the same `windowDelta` as the real window. The
 * gap makes the placebo extrapolate, as the real projection does across the stages. Their spread
 * is the model error a real Δ must exceed. Fake dates whose fit fails (too few events) are skipped.
 */
export function placeboDeltas(
  history: readonly HourCount[],
  period: Period,
  shape: Float64Array | undefined,
  tau2Logit: number,
  trainDays = 7,
  gapDays = 7,
  lengthDays = 7,
): Placebo {
  const dates: string[] = [];
  const deltas: number[] = [];
  const start = period.from.getTime() / 1000;
  const end = period.to.getTime() / 1000;
  for (let f = start + (trainDays + gapDays) * DAY; f + lengthDays * DAY <= end; f += DAY) {
    const train = history.filter((h) => h.hour >= start && h.hour < f - gapDays * DAY && h.n > 0);
    const test = history.filter((h) => h.hour >= f && h.hour < f + lengthDays * DAY && h.n > 0);
    if (test.length === 0) continue;
    let fit;
    try {
      fit = weightedLogitTrend(train.map((h) => ({ x: h.x, n: h.n, t: h.hour / DAY, offset: shape?.[hourOfWeekSeconds(h.hour)] ?? 0 })));
    } catch {
      continue; // no finite fit on this much history (no events yet): this fake date cannot be used
    }
    const predict = logitPrediction(fit.level, fit.slope, fit.tBar * DAY, shape);
    const cov = { varLevel: fit.varLevel, varTrend: fit.varSlope, covLevelTrend: fit.covLevelSlope };
    deltas.push(windowDelta(test, predict, tau2Logit, cov).delta);
    dates.push(new Date(f * 1000).toISOString());
  }
  const k = deltas.length;
  return {
    dates,
    deltas,
    k,
    mean: k > 0 ? mean(deltas) : 0,
    sd: k > 1 ? sampleStandardDeviation(deltas) : 0,
    trainDays,
    gapDays,
    lengthDays,
  };
}
