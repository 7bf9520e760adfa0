import type { CohortBaseline } from '../types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Hour-of-week of an instant: (ISO weekday − 1)·24 + UTC hour, Monday 00:00 UTC = 0. */
export function hourOfWeek(ms: number): number {
  const date = new Date(ms);
  return ((date.getUTCDay() + 6) % 7) * 24 + date.getUTCHours();
}

/** A baseline's projection for one hour on the model scale, and its standard deviation from the parameters' covariance. */
export interface Projection {
  eta: number;
  sd: number;
}

/**
 * The variance of a baseline's projected level + trend `days` after tBar, times the snapshot's
 * stage-length placebo factor k (1 for snapshots without one, docs/baseline.md):
 *
 *     Var = k (varLevel + Δ² varTrend + 2 Δ covLevelTrend)
 */
export function projectionVariance(baseline: CohortBaseline, days: number): number {
  const variance = baseline.varLevel + days * days * baseline.varTrend + 2 * days * baseline.covLevelTrend;
  return Math.max(variance, 0) * Math.max(baseline.placeboFactor ?? 1, 1);
}

/**
 * Projects a cohort baseline to the hour starting at `hourMs` (statistics.md 1.1):
 *
 *     η = level + trendPerDay · Δ + shape[hour-of-week],   Δ = days since tBar
 *     Var(η) = k (varLevel + Δ² varTrend + 2 Δ covLevelTrend)     (`projectionVariance`)
 *
 * A missing shape counts as 0 (a flat week).
 */
export function projectBaseline(baseline: CohortBaseline, shape: Float64Array | undefined, hourMs: number): Projection {
  const days = (hourMs - baseline.tBar.getTime()) / DAY_MS;
  const offset = shape?.[hourOfWeek(hourMs)] ?? 0;
  return { eta: baseline.level + baseline.trendPerDay * days + offset, sd: Math.sqrt(projectionVariance(baseline, days)) };
}

/** Projections for every hour of a window starting at `startMs`. */
export function projectWindow(baseline: CohortBaseline, shape: Float64Array | undefined, startMs: number, hours: number): { eta: Float64Array; sd: Float64Array } {
  const eta = new Float64Array(hours);
  const sd = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    const p = projectBaseline(baseline, shape, startMs + h * HOUR_MS);
    eta[h] = p.eta;
    sd[h] = p.sd;
  }
  return { eta, sd };
}
