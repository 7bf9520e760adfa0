import { binomialTest } from '../stats/binomial-test.js';
import { fisherExactPValues } from '../stats/fisher-exact.js';
import { newcombeInterval } from '../stats/newcombe-interval.js';
import { wilsonInterval } from '../stats/wilson-interval.js';
import type { CohortResult } from '../types.js';
import type { CohortMetricInput } from './hourly-stats.js';
import { latencyStream } from './latency-stream.js';
import { driftCorrectedStream } from './rate-did.js';
import { withinSplitStream } from './rate-within.js';
import { BURN_IN_EVENTS, EXACT_MIN_EVENTS, type EffectStream, type ExactCounts, MixtureState } from './stream.js';

/**
 * The stream of looks for one cohort × metric under its design. With `state`, the looks go into the
 * running mSPRT state rather than into the stream's columns.
 */
export function effectStream(input: CohortMetricInput, state?: MixtureState): EffectStream {
  const { design, hours, metric } = input;
  if (metric.family === 'latency_quantile') {
    if (!input.latency) throw new TypeError(`evaluateCohortMetric: ${metric.name} needs latency histograms`);
    const { candidate, legacy, expectation } = input.latency;
    const reference = design === 'baseline_projection' ? undefined : legacy;
    return latencyStream(candidate, reference, design === 'within_cohort_split' ? undefined : expectation, metric.quantile ?? 0.5, hours, state);
  }
  if (!input.rate) throw new TypeError(`evaluateCohortMetric: ${metric.name} needs rate statistics`);
  const { candidate, legacy, expectation } = input.rate;
  if (design === 'within_cohort_split') {
    if (!legacy) throw new TypeError('evaluateCohortMetric: within_cohort_split needs the legacy arm');
    return withinSplitStream(candidate, legacy, hours, state);
  }
  if (!expectation) throw new TypeError(`evaluateCohortMetric: ${design} needs a baseline expectation`);
  const stream = driftCorrectedStream(candidate, expectation, hours, state);
  // The legacy arm's size is only reported (set on the new stream: a spread would build its `looks`).
  if (legacy) for (let h = 0; h < hours; h++) stream.nControl += legacy.n[h] ?? 0;
  return stream;
}

/**
 * One cohort × metric of a stage window judged on its own: the always-valid p-value and
 * confidence sequence of the normal-mixture mSPRT over every hourly look past the burn-in
 * (statistics.md 3.1), an exact test for small cohorts (5.1), or `insufficient_data` with what it
 * would need. `p_adjusted` is null and the verdict provisional until `judgeResults` adjusts the
 * p-values across the evaluation.
 */
export function evaluateCohortMetric(input: CohortMetricInput): CohortResult {
  const { metric, alpha, tau2 } = input;
  // The mSPRT runs inside the stream, look by look (no per-look arrays): the final always-valid p is
  // the running min over looks, the reported confidence sequence that of the last look.
  const last = new MixtureState(tau2, alpha);
  const stream = effectStream(input, last);
  const base: CohortResult = {
    cohort: input.cohort,
    metric: metric.name,
    design: input.design,
    verdict: 'inconclusive',
    observed: stream.observed,
    expected: stream.expected,
    effect: stream.effect,
    ci: null,
    p_value: null,
    p_adjusted: null,
    n: stream.n,
    n_control: stream.nControl,
    tolerance: metric.tolerance,
    method: '',
  };
  const latency = metric.family === 'latency_quantile';
  if (input.design === 'baseline_projection') {
    base.note = 'no legacy traffic left: population drift and incidents are not removed (statistics.md 2.3), so a verdict here can be drift; keep a holdback (statistics.md 9)';
  }
  const looks = last.looks;
  if (looks > 0) {
    // Reported: the latest look's confidence sequence, valid at any stopping time and centred on the latest
    // estimate. The intersection over looks is tighter but, when the effect moves during the window, can
    // exclude the latest estimate or be empty; the method says when that happened.
    const ci: [number, number] = latency ? [Math.expm1(last.currentLower), Math.expm1(last.currentUpper)] : [last.currentLower, last.currentUpper];
    const final = last.thetaHat;
    const empty = last.lower > last.upper
      ? '; the effect moved during the window (the intersection of the confidence sequences over looks is empty)'
      : final < last.lower || final > last.upper
        ? '; the effect moved during the window: the latest estimate lies outside the intersection of the confidence sequences over looks'
        : '';
    // `base` is this call's own object: filled in place (the keys keep their order) rather than copied.
    base.ci = ci;
    base.p_value = last.p;
    base.method = `mSPRT normal mixture over ${looks} hourly looks (τ²=${tau2.toPrecision(3)}), ${stream.variance}${empty}`;
    return base;
  }
  if (!latency && stream.exact && stream.expectedEvents >= EXACT_MIN_EVENTS) {
    return exactResult(base, stream.exact, alpha, Math.max(input.plannedLooks ?? input.hours, input.hours));
  }
  base.verdict = 'insufficient_data';
  base.note = base.note ? `${insufficientNote(input, stream)}; ${base.note}` : insufficientNote(input, stream);
  return base;
}

/**
 * Fixed-n exact test of a small cohort, made valid for hourly looks by Bonferroni over every look
 * the stage will have: P(some look's p ≤ α/L) ≤ α. Conservative; such cohorts are better judged
 * through their parent.
 */
function exactResult(base: CohortResult, counts: ExactCounts, alpha: number, plannedLooks: number): CohortResult {
  const [xT, nT] = [effective(counts.xT, counts), Math.max(effective(counts.nT, counts), 1)];
  const looks = Math.max(plannedLooks, 1);
  const honesty = `on counts ÷ design effect ${counts.designEffect.toFixed(2)}, Bonferroni over the stage's ${looks} hourly looks; below the mSPRT burn-in of ${BURN_IN_EVENTS} events`;
  if (counts.xC !== undefined && counts.nC !== undefined) {
    const [xC, nC] = [effective(counts.xC, counts), Math.max(effective(counts.nC, counts), 1)];
    const fisher = fisherExactPValues({ a: Math.min(xT, nT), b: nT - Math.min(xT, nT), c: Math.min(xC, nC), d: nC - Math.min(xC, nC) });
    const interval = newcombeInterval(Math.min(xT, nT), nT, Math.min(xC, nC), nC, 1 - alpha / looks);
    // `base` is the caller's fresh object: filled in place (the keys keep their order).
    base.ci = [interval.lower, interval.upper];
    base.p_value = Math.min(1, fisher.pValue * looks);
    base.method = `Fisher exact test (mid-p ${fisher.midP.toPrecision(3)}), Newcombe interval, ${honesty}`;
    return base;
  }
  const rate = Math.min(Math.max(counts.expectedRate ?? 0, 1e-12), 1 - 1e-12);
  const x = Math.min(xT, nT);
  const test = binomialTest(x, nT, rate);
  const interval = wilsonInterval(x, nT, 1 - alpha / looks);
  base.ci = [interval.lower - rate, interval.upper - rate];
  base.p_value = Math.min(1, test.pValue * looks);
  base.method = `exact binomial test against the expected rate ${rate.toPrecision(3)} (mid-p ${test.midP.toPrecision(3)}), Wilson interval, ${honesty}`;
  return base;
}

/** A count divided by the design effect (Kish's effective sample size), rounded. */
const effective = (count: number, { designEffect }: ExactCounts): number => Math.round(count / designEffect);

function insufficientNote(input: CohortMetricInput, stream: EffectStream): string {
  if (stream.n === 0) return 'no candidate traffic in this cohort yet';
  const { metric, hours } = input;
  const have = stream.expectedEvents;
  const scale = have > 0 ? BURN_IN_EVENTS / have : Infinity;
  const more = Number.isFinite(scale) ? ` (about ${Math.ceil(hours * Math.max(scale - 1, 0))} more hours at this traffic)` : '';
  if (metric.family === 'latency_quantile') {
    const q = metric.quantile ?? 0.5;
    const need = Math.ceil(BURN_IN_EVENTS / Math.min(q, 1 - q));
    return `needs ≥ ${need} latency observations per arm for ${metric.name}, has ${Math.floor(Math.min(stream.n, input.design === 'baseline_projection' ? Infinity : stream.nControl))}${more}; or judge it through its parent cohort`;
  }
  return `needs ≥ ${BURN_IN_EVENTS} expected events per arm (≥ ${EXACT_MIN_EVENTS} for the exact test), has ${have.toFixed(1)}${more}; or judge it through its parent cohort`;
}
