import normal from '@stdlib/stats-base-dists-normal';
import { evaluateCohortMetric } from '../../src/evaluate/evaluate-cohort-metric.js';
import { evaluateStage } from '../../src/evaluate/evaluate-stage.js';
import type { CohortMetricInput } from '../../src/evaluate/hourly-stats.js';
import { driftCorrectedStream } from '../../src/evaluate/rate-did.js';
import { withinSplitStream } from '../../src/evaluate/rate-within.js';
import { lookObjects } from '../../src/evaluate/stream.js';
import { normalMixtureHalfWidth } from '../../src/stats/normal-mixture-half-width.js';
import { twoProportionZ } from '../../src/stats/two-proportion-z.js';
import type { Cohort } from '../../src/types.js';
import { cohortId } from '../../src/evaluate/cohort-id.js';
import { simulateStage, type SimulatedStage, type SimulationOptions } from './simulated-stage.js';

/** What happened in one simulated stage when evaluate ran at every hourly look. */
export interface StageOutcome {
  /** Whether any look gave any cohort a regression verdict (after BH across cohorts). */
  anyRegression: boolean;
  /** Whether the naive test (cohort's candidate vs all legacy traffic, binomial, p < α at any hourly look) alarmed on any cohort. */
  naiveAlarm: boolean;
  /** Cohorts with a regression verdict at the last look, and the rollback rules. */
  regressedAtEnd: string[];
  rules: string[];
  /** The first look (1-based hour) at which `target` got a regression verdict, if any. */
  firstDetection: number | null;
}

/** Runs evaluate at every hourly look of one simulated stage (as if it ran hourly), and the naive test beside it. */
export function runStage(options: SimulationOptions, target?: Cohort): StageOutcome {
  const stage = simulateStage(options);
  let [anyRegression, firstDetection] = [false, null as number | null];
  let last: ReturnType<typeof evaluateStage> | null = null;
  for (let t = 1; t <= options.hours; t++) {
    const findings = lookAt(stage, options, t);
    const regressions = findings.results.filter((r) => r.verdict === 'regression');
    anyRegression ||= regressions.length > 0;
    if (target && firstDetection === null && regressions.some((r) => cohortId(r.cohort) === cohortId(target))) firstDetection = t;
    last = findings;
  }
  return {
    anyRegression,
    naiveAlarm: naiveAlarm(stage, options),
    regressedAtEnd: (last?.results ?? []).filter((r) => r.verdict === 'regression').map((r) => cohortId(r.cohort)),
    rules: (last?.rollback.rules ?? []).map((r) => cohortId(r.cohort)),
    firstDetection,
  };
}

function lookAt(stage: SimulatedStage, options: SimulationOptions, hours: number) {
  return evaluateStage({
    inputs: stage.inputs.map((input) => ({ ...input, hours })),
    metrics: [stage.metric],
    alpha: options.alpha,
    providers: { legacy: 'legacy', candidate: 'candidate' },
    share: options.share,
    unit: options.routing,
    units: stage.units,
  });
}

/** The test an auth team would otherwise use: cumulative candidate rate vs all legacy traffic, pooled binomial z, each hourly look at p < α, harmful side. */
export function naiveAlarm(stage: SimulatedStage, options: SimulationOptions): boolean {
  for (const { candidate, others } of stage.naive) {
    let [xT, nT, xC, nC] = [0, 0, 0, 0];
    for (let h = 0; h < options.hours; h++) {
      [xT, nT, xC, nC] = [xT + (candidate.x[h] ?? 0), nT + (candidate.n[h] ?? 0), xC + (others.x[h] ?? 0), nC + (others.n[h] ?? 0)];
      if (nT < 1 || nC < 1) continue;
      const test = twoProportionZ({ xT, nT, xC, nC }, 'less'); // success rate lower on the candidate
      if (test.pValue < options.alpha) return true;
    }
  }
  return false;
}

/**
 * A less naive test: each cohort's candidate vs the same cohort's legacy arm (user routing only),
 * binomial variance, every hourly look at p < α, no adjustment across cohorts.
 */
export function naiveWithinAlarm(stage: SimulatedStage, options: SimulationOptions): boolean {
  for (const input of stage.inputs) {
    const legacy = input.rate?.legacy;
    const candidate = input.rate?.candidate;
    if (!legacy || !candidate) continue;
    let [xT, nT, xC, nC] = [0, 0, 0, 0];
    for (let h = 0; h < options.hours; h++) {
      [xT, nT, xC, nC] = [xT + (candidate.x[h] ?? 0), nT + (candidate.n[h] ?? 0), xC + (legacy.x[h] ?? 0), nC + (legacy.n[h] ?? 0)];
      if (nT < 1 || nC < 1) continue;
      if (twoProportionZ({ xT, nT, xC, nC }, 'less').pValue < options.alpha) return true;
    }
  }
  return false;
}

/** False-alarm shares over simulated A/A stages. */
export interface Calibration {
  stages: number;
  /** Stages with any regression verdict at any hourly look (BH across cohorts at each look). */
  falseRegression: number;
  /** Stages where the naive test (candidate vs everyone else on legacy) alarmed at some look. */
  naive: number;
  /** Stages where the within-cohort naive test (binomial, hourly, unadjusted) alarmed; user routing only. */
  naiveWithin: number | null;
}

/** Runs `stages` A/A stages (seeds seed0, seed0 + 1, …). */
export function calibrate(options: SimulationOptions, stages: number, seed0 = 1): Calibration {
  let [regressions, naive, naiveWithin] = [0, 0, 0];
  for (let s = 0; s < stages; s++) {
    const o = { ...options, seed: seed0 + s };
    const outcome = runStage(o);
    regressions += outcome.anyRegression ? 1 : 0;
    naive += outcome.naiveAlarm ? 1 : 0;
    if (options.routing === 'user') naiveWithin += naiveWithinAlarm(simulateStage(o), o) ? 1 : 0;
  }
  return { stages, falseRegression: regressions / stages, naive: naive / stages, naiveWithin: options.routing === 'user' ? naiveWithin / stages : null };
}

/** Detection of an injected regression over `stages` simulated stages, against the power the plan's sequential formula promises. */
export interface PowerFigures {
  stages: number;
  /** Share of stages where the target cohort got a regression verdict at some hourly look (BH across all cohorts). */
  detected: number;
  /** Share where its always-valid p at the last look was ≤ α before adjustment (the plan's per-cohort power). */
  detectedUnadjusted: number;
  /** Mean planned power Φ(δ/√v − h(v)/√v), v the target's variance at the stage end, h the CS half-width there. */
  planned: number;
  /** Among stages where the target was detected, the share whose rollback rules at the last look were exactly `[target]`. */
  rightScope: number;
  /** Median first look (hour) of detection among detected stages. */
  medianHour: number | null;
}

/** Runs `stages` stages with an injected regression on `target` and measures detection and scope. */
export function power(options: SimulationOptions, target: Cohort, stages: number, seed0 = 1): PowerFigures {
  let [detected, unadjusted, planned, rightScope] = [0, 0, 0, 0];
  const hours: number[] = [];
  for (let s = 0; s < stages; s++) {
    const o = { ...options, seed: seed0 + s };
    const outcome = runStage(o, target);
    const stage = simulateStage(o);
    const input = stage.inputs.find((i) => cohortId(i.cohort) === cohortId(target));
    if (!input?.rate?.legacy) continue;
    const result = evaluateCohortMetric(input);
    const v = withinOrDid(input);
    const delta = options.regression?.increase ?? 0;
    planned += normal.cdf(delta / Math.sqrt(v) - normalMixtureHalfWidth(v, input.tau2, options.alpha) / Math.sqrt(v), 0, 1);
    unadjusted += (result.p_value ?? 1) <= options.alpha && (result.effect ?? 0) < 0 ? 1 : 0;
    detected += outcome.firstDetection !== null ? 1 : 0;
    if (outcome.firstDetection !== null) hours.push(outcome.firstDetection);
    if (outcome.firstDetection !== null) rightScope += outcome.rules.length === 1 && outcome.rules[0] === cohortId(target) ? 1 : 0;
  }
  hours.sort((a, b) => a - b);
  return {
    stages,
    detected: detected / stages,
    detectedUnadjusted: unadjusted / stages,
    planned: planned / stages,
    rightScope: detected > 0 ? rightScope / detected : 0,
    medianHour: hours.length ? (hours[Math.floor(hours.length / 2)] ?? null) : null,
  };
}

function withinOrDid(input: CohortMetricInput): number {
  const rate = input.rate!;
  const stream = input.design === 'within_cohort_split' ? withinSplitStream(rate.candidate, rate.legacy!, input.hours) : driftCorrectedStream(rate.candidate, rate.expectation!, input.hours);
  return lookObjects(stream.columns).at(-1)?.v ?? Infinity;
}
