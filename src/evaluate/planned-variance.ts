import normal from '@stdlib/stats-base-dists-normal';
import type { Design } from '../types.js';

/** What is known before a stage about one cohort × metric, to tune its mSPRT. */
export interface PlannedStage {
  design: Design;
  family: 'rate' | 'latency_quantile';
  /** Baseline rate of the metric (rates), or the quantile level (latency). */
  rate: number;
  /** Expected observations of the metric in the cohort over the whole stage (both providers). */
  expectedN: number;
  /** The stage's routing share. */
  share: number;
  /** Planned stage length in hours. */
  hours: number;
  /** Baseline τ² and level variance on the model scale (designs against a baseline). */
  tau2: number;
  varLevel: number;
}

/** Assumed standard deviation of log latency within an hour, for tuning latency streams only. */
export const TUNING_LOG_LATENCY_SD = 0.6;

/**
 * The variance the cohort × metric's estimator is expected to have at the stage's planned end,
 * `v*`, from which `mixtureTau2(v*, α)` fixes the mixture before the stage (statistics.md 3.1):
 *
 *     within split     p q (1/n_T + 1/n_C)                      n_T = share · N, n_C = (1 − share) · N
 *     against baseline p q / n_T + (p q)² (τ²/hours + Var(level))
 *     latency          σ² q(1−q)/φ(z_q)² (1/n_T + 1/n_C)          σ = 0.6 (log ms)
 *
 * Tuning only moves where the confidence sequence is tightest; validity does not depend on it.
 */
export function plannedVariance(plan: PlannedStage): number {
  const nT = Math.max(plan.share * plan.expectedN, 1);
  const nC = Math.max((1 - plan.share) * plan.expectedN, 1);
  const againstBaseline = plan.design !== 'within_cohort_split';
  if (plan.family === 'latency_quantile') {
    const q = Math.min(Math.max(plan.rate, 0.01), 0.99);
    const perObservation = latencyPerObservation(q);
    return perObservation * (1 / nT + (againstBaseline ? 0 : 1 / nC)) + (againstBaseline ? plan.tau2 / Math.max(plan.hours, 1) + plan.varLevel : 0);
  }
  const p = Math.min(Math.max(plan.rate, 1e-4), 1 - 1e-4);
  const pq = p * (1 - p);
  if (!againstBaseline) return pq * (1 / nT + 1 / nC);
  return pq / nT + pq * pq * (plan.tau2 / Math.max(plan.hours, 1) + plan.varLevel);
}

/**
 * `σ² q(1−q)/φ(z_q)²` for the latest q asked: every latency cohort of a stage asks for the same
 * quantile, and the normal quantile and density cost more than the rest of `plannedVariance`.
 */
let cachedQ = Number.NaN;
let cachedPerObservation = Number.NaN;
function latencyPerObservation(q: number): number {
  if (q !== cachedQ) {
    const density = normal.pdf(normal.quantile(q, 0, 1), 0, 1);
    cachedPerObservation = (TUNING_LOG_LATENCY_SD ** 2 * q * (1 - q)) / density ** 2;
    cachedQ = q;
  }
  return cachedPerObservation;
}
