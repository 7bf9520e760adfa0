import { weightedLogitTrend, type LogitTrend } from '../stats/weighted-logit-trend.js';
import { hourOfWeekSeconds, logitPrediction, windowDelta, type HourCount } from './window-delta.js';

/** The model error of the projection at one window length, measured at fake dates. */
export interface PlaceboLength {
  /** Window length in seconds. */
  seconds: number;
  /** Fake dates whose whole window of this length lies inside the history. */
  k: number;
  /** Mean of Δ² over them: the projection's error (bias and spread) at this length and gap. */
  meanSquare: number;
}

/** Placebo runs of the projection on a cohort's own history, where nothing changed. */
export interface Placebo {
  /** Fake dates that could be fitted (ISO-8601). */
  dates: string[];
  /** Fewest days of history a fit had; days between a fit's last hour and its fake date (the real gap). */
  trainDays: number;
  gapDays: number;
  /** One entry per window length asked for, in the order asked. */
  lengths: PlaceboLength[];
}

const DAY = 86_400;

/** The projection a placebo run and the real run both make: level + trend by binomial IRLS, shape as offset. */
export function fitProjection(hours: readonly HourCount[], shape: Float64Array | undefined): LogitTrend {
  return weightedLogitTrend(hours.filter((h) => h.n > 0).map((h) => ({ x: h.x, n: h.n, t: h.hour / DAY, offset: shape?.[hourOfWeekSeconds(h.hour)] ?? 0 })));
}

/**
 * Placebo calibration with the real run's geometry (statistics.md 2.2, 9.5). The real projection is
 * fitted on the cohort's legacy hours up to `historyEnd` and judged on a window starting `gap`
 * seconds later. At fake dates `f_j = from + trainDays + gap + j` days, the same fit on the hours
 * in `[from, f_j − gap)` is projected over `[f_j, f_j + ℓ)` for every window length ℓ asked for
 * (one per daily look) whose window ends by `historyEnd`, and `windowDelta` computed as for the
 * real window. `meanSquare = mean_j Δ_j²` (not centred: a systematic bias of the projection is
 * model error too) is the variance a real Δ of that length must exceed. Fake dates whose fit fails
 * (too few events) or projects a non-finite rate are skipped.
 */
export function placeboDeltas(
  history: readonly HourCount[],
  from: number,
  historyEnd: number,
  gapSeconds: number,
  lengths: readonly number[],
  shape: Float64Array | undefined,
  tau2Logit: number,
  trainDays = 14,
): Placebo {
  const gap = Math.max(0, gapSeconds);
  const shortest = Math.min(...lengths);
  const sums = lengths.map(() => ({ k: 0, sq: 0 }));
  const dates: string[] = [];
  const sorted = [...history].filter((h) => h.n > 0).sort((a, b) => a.hour - b.hour);
  for (let f = from + trainDays * DAY + gap; f + shortest <= historyEnd; f += DAY) {
    const train = between(sorted, from, f - gap);
    let fit: LogitTrend;
    try {
      fit = fitProjection(train, shape);
    } catch {
      continue; // no finite fit on this much history: this fake date cannot be used
    }
    if (![fit.level, fit.slope, fit.varLevel, fit.varSlope].every(Number.isFinite)) continue;
    const predict = logitPrediction(fit.level, fit.slope, fit.tBar * DAY, shape);
    const cov = { varLevel: fit.varLevel, varTrend: fit.varSlope, covLevelTrend: fit.covLevelSlope };
    let used = false;
    lengths.forEach((length, i) => {
      const sum = sums[i];
      if (!sum || f + length > historyEnd) return;
      const test = between(sorted, f, f + length);
      if (test.length === 0) return;
      const { delta } = windowDelta(test, predict, tau2Logit, cov);
      if (!Number.isFinite(delta)) return;
      sum.k += 1;
      sum.sq += delta * delta;
      used = true;
    });
    if (used) dates.push(new Date(f * 1000).toISOString());
  }
  return {
    dates,
    trainDays,
    gapDays: gap / DAY,
    lengths: lengths.map((seconds, i) => {
      const { k = 0, sq = 0 } = sums[i] ?? {};
      return { seconds, k, meanSquare: k > 0 ? sq / k : 0 };
    }),
  };
}

/** The hours of a list sorted by hour with `from ≤ hour < to` (two binary searches). */
function between(sorted: readonly HourCount[], from: number, to: number): readonly HourCount[] {
  const first = (bound: number) => {
    let [lo, hi] = [0, sorted.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid]?.hour ?? Infinity) < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sorted.slice(first(from), first(to));
}
