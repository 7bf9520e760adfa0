import { evaluateStage } from '../../src/evaluate/evaluate-stage.js';
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

/** Share of `stages` simulated stages (seeds seed0, seed0 + 1, …) with any false regression, and with a naive alarm. */
export function calibrate(options: SimulationOptions, stages: number, seed0 = 1): { falseRegression: number; naive: number; stages: number } {
  let [regressions, naive] = [0, 0];
  for (let s = 0; s < stages; s++) {
    const outcome = runStage({ ...options, seed: seed0 + s });
    regressions += outcome.anyRegression ? 1 : 0;
    naive += outcome.naiveAlarm ? 1 : 0;
  }
  return { falseRegression: regressions / stages, naive: naive / stages, stages };
}
