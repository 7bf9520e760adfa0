import type { LatencyArm, RateArm } from '../../src/evaluate/hourly-stats.js';
import type { PlanMetric } from '../../src/plan/plan.js';
import type { CohortResult } from '../../src/types.js';

/** A rate arm from per-hour attempts and events, one attempt per user (binomial). */
export function binomialArm(n: readonly number[], x: readonly number[]): RateArm {
  return { n: Float64Array.from(n), x: Float64Array.from(x) };
}

/** A rate arm with the same counts every hour. */
export const steadyArm = (hours: number, n: number, x: number): RateArm =>
  binomialArm(new Array<number>(hours).fill(n), new Array<number>(hours).fill(x));

/** A latency arm with the same histogram every hour. */
export function steadyLatency(hours: number, bins: readonly number[], counts: readonly number[]): LatencyArm {
  const offsets = Int32Array.from({ length: hours + 1 }, (_, h) => h * bins.length);
  const allBins = Int16Array.from({ length: hours * bins.length }, (_, i) => bins[i % bins.length] ?? 0);
  const allCounts = Float64Array.from({ length: hours * bins.length }, (_, i) => counts[i % counts.length] ?? 0);
  return { offsets, bins: allBins, counts: allCounts };
}

export const FAILURES: PlanMetric = { name: 'error_rate:x', family: 'rate', errorCode: 'x', tolerance: 0.01, direction: 'lower_is_better' };
export const SUCCESS: PlanMetric = { name: 'success_rate', family: 'rate', tolerance: 0.01, direction: 'higher_is_better' };
export const P95: PlanMetric = { name: 'latency_p95', family: 'latency_quantile', quantile: 0.95, tolerance: 0.1, direction: 'lower_is_better' };

/** A judged result with the fields scoped rollback and verdicts read; the rest neutral. */
export function result(partial: Partial<CohortResult> & Pick<CohortResult, 'cohort'>): CohortResult {
  return {
    metric: 'success_rate',
    design: 'within_cohort_split',
    verdict: 'pass',
    observed: 0.95,
    expected: 0.95,
    effect: 0,
    ci: [-0.001, 0.001],
    p_value: 1,
    p_adjusted: 1,
    n: 1000,
    n_control: 1000,
    tolerance: 0.01,
    method: 'test',
    ...partial,
  };
}
