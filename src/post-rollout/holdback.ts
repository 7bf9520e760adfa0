import type { PlanMetric } from '../plan/plan.js';
import { mixtureTau2 } from '../stats/mixture-tau2.js';
import { normalMixtureSequence, type MixtureLook } from '../stats/normal-mixture-sequence.js';
import type { CohortBaseline, CohortResult } from '../types.js';
import { dailyLookEnds } from './daily-looks.js';
import type { HourCount } from './window-delta.js';

/** A planned cohort × metric with both providers' hours in the post-rollout window. */
export interface HoldbackInput {
  baseline: CohortBaseline;
  metric: PlanMetric;
  candidate: readonly HourCount[];
  legacy: readonly HourCount[];
  start: Date;
  at: Date;
  plannedEnd: Date;
  holdbackShare: number;
  alpha: number;
}

/** Expected events per arm before the first look counts (statistics.md 3.1 burn-in). */
const BURN_IN = 10;

/**
 * Candidate vs legacy holdback in the same cohort and hours (statistics.md 2.1, 9.1), over daily
 * looks at cumulative counts: `θ̂ = p_T − p_C`, `v = p_T q_T/n_T + p_C q_C/n_C`, two-sided
 * normal-mixture mSPRT. τ² is tuned from the baseline and the plan only: the variance expected at
 * the planned end with the baseline's hourly volume split by the holdback share.
 */
export function holdbackResult(input: HoldbackInput): CohortResult {
  const { baseline, metric } = input;
  const looks: MixtureLook[] = [];
  let last = { xT: 0, nT: 0, xC: 0, nC: 0 };
  for (const end of dailyLookEnds(input.start, input.at)) {
    const before = (h: HourCount) => h.hour * 1000 < end.getTime();
    const [t, c] = [sum(input.candidate.filter(before)), sum(input.legacy.filter(before))];
    last = { xT: t.x, nT: t.n, xC: c.x, nC: c.n };
    if (rarer(t) < BURN_IN || rarer(c) < BURN_IN) continue;
    const [pT, pC] = [t.x / t.n, c.x / c.n];
    looks.push({ thetaHat: pT - pC, v: (pT * (1 - pT)) / t.n + (pC * (1 - pC)) / c.n });
  }
  const common = {
    cohort: baseline.cohort, metric: metric.name, design: 'within_cohort_split' as const, tolerance: metric.tolerance,
    n: last.nT, n_control: last.nC, p_adjusted: null,
  };
  if (looks.length === 0) {
    return {
      ...common, verdict: 'insufficient_data', observed: last.nT ? last.xT / last.nT : null, expected: last.nC ? last.xC / last.nC : null,
      effect: null, ci: null, p_value: null, method: 'holdback mSPRT',
      note: `fewer than ${BURN_IN} expected events on one provider so far: wait for more holdback traffic`,
    };
  }
  const states = normalMixtureSequence(looks, { tau2: mixtureTau2(plannedVariance(input), input.alpha), alpha: input.alpha });
  const final = states[states.length - 1];
  const [observed, expected] = [last.xT / last.nT, last.xC / last.nC];
  return {
    ...common, verdict: 'inconclusive', observed, expected, effect: observed - expected,
    ci: final ? [final.lower, final.upper] : null, p_value: final?.p ?? 1,
    method: `holdback (${(input.holdbackShare * 100).toPrecision(2)}% legacy), mSPRT over ${looks.length} daily look(s), binomial variance`,
  };
}

function sum(hours: readonly HourCount[]): { n: number; x: number } {
  return hours.reduce((s, h) => ({ n: s.n + h.n, x: s.x + h.x }), { n: 0, x: 0 });
}

const rarer = ({ n, x }: { n: number; x: number }): number => (n > 0 ? Math.min(x, n - x) : 0);

function plannedVariance(input: HoldbackInput): number {
  const hours = Math.max(1, (input.plannedEnd.getTime() - input.start.getTime()) / 3_600_000);
  const total = (input.baseline.n / Math.max(1, input.baseline.windows)) * hours;
  const mu = Math.min(Math.max(input.baseline.mean, 1e-6), 1 - 1e-6);
  const h = Math.min(Math.max(input.holdbackShare, 1e-3), 0.5);
  return mu * (1 - mu) * (1 / Math.max(1, total * (1 - h)) + 1 / Math.max(1, total * h));
}
