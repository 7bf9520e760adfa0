import type { LoadedBaseline } from '../baseline/load-baseline.js';
import { verdictFor } from '../evaluate/judge-results.js';
import { groupBy } from '../group-by.js';
import type { Plan } from '../plan/plan.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import type { CohortResult } from '../types.js';
import { holdbackResult } from './holdback.js';
import type { PlannedHourRow } from './planned-sql.js';
import { projectedMetrics } from './planned-sql.js';
import { projectedResult } from './projected.js';
import type { PlaceboRow, PostRolloutSection } from './section.js';
import type { HourCount } from './window-delta.js';

/** What the planned-cohort phase needs: the plan, the baseline and the hourly rows of both periods. */
export interface PlannedInput {
  plan: Plan;
  baseline: LoadedBaseline;
  /** Legacy hours from the baseline start to the window start, and both providers' hours of the window (`plannedHourly`, incident hours removed). */
  history: readonly PlannedHourRow[];
  window: readonly PlannedHourRow[];
  design: PostRolloutSection['design'];
  start: Date;
  at: Date;
  plannedEnd: Date;
}

/** The planned cohorts' results (judged), their placebo spreads and what was not judged. */
export interface PlannedOutcome {
  results: CohortResult[];
  placebo: PlaceboRow[];
  notJudged: PostRolloutSection['notJudged'];
}

/**
 * Judges every planned cohort × rate metric of the baseline: against the legacy holdback when
 * the design is `within_cohort_split`, else against the placebo-calibrated projection of its own legacy history; then
 * Benjamini–Hochberg across them and `verdictFor` (the verdict rule of `stagewise evaluate`).
 */
export function plannedResults(input: PlannedInput): PlannedOutcome {
  const { plan, baseline } = input;
  const metrics = new Map(projectedMetrics(plan.metrics).map((m) => [m.name, m]));
  const hours = (rows: readonly PlannedHourRow[]) => groupHours(rows);
  const [history, window] = [hours(input.history), hours(input.window)];
  const { legacy, candidate } = plan.providers;
  const results: CohortResult[] = [];
  const placebo: PlaceboRow[] = [];
  for (const cohort of baseline.cohorts) {
    const metric = metrics.get(cohort.metric);
    if (!metric) continue;
    const key = (provider: string) => `${cohort.cohortKey}|${cohort.metric}|${provider}`;
    const common = { baseline: cohort, metric, start: input.start, at: input.at, plannedEnd: input.plannedEnd, alpha: plan.alpha };
    if (input.design === 'within_cohort_split') {
      results.push(holdbackResult({ ...common, candidate: window.get(key(candidate)) ?? [], legacy: window.get(key(legacy)) ?? [], holdbackShare: plan.postRollout?.holdbackShare ?? 0 }));
      continue;
    }
    const shape = baseline.shapes.get(`${cohort.shapeKey}|${cohort.metric}`);
    const outcome = projectedResult({ ...common, shape, history: history.get(key(legacy)) ?? [], historyStart: plan.baseline.start, window: window.get(key(candidate)) ?? [] });
    results.push(outcome.result);
    placebo.push({ cohort: cohort.cohort, metric: cohort.metric, ...outcome.placebo });
  }
  const notJudged: PostRolloutSection['notJudged'] = [
    ...results.filter((r) => r.verdict === 'insufficient_data').map((r) => ({ cohort: r.cohort, metric: r.metric, reason: r.note ?? 'insufficient data' })),
    ...plan.metrics.filter((m) => !metrics.has(m.name)).map((m) => ({ cohort: {}, metric: m.name, reason: `${m.family} metrics are not judged after the rollout (no projection of them yet); every cohort` })),
  ];
  return { results: judge(results, plan), placebo, notJudged };
}

function judge(results: readonly CohortResult[], plan: Plan): CohortResult[] {
  const tested = results.flatMap((r, i) => (r.p_value === null ? [] : [i]));
  const adjusted = benjaminiHochberg(tested.map((i) => results[i]?.p_value ?? 1));
  const at = new Map(tested.map((i, k) => [i, adjusted[k] ?? 1]));
  const directions = new Map(plan.metrics.map((m) => [m.name, m.direction]));
  return results.map((r, i) => {
    const withP = { ...r, p_adjusted: at.get(i) ?? null };
    return { ...withP, verdict: verdictFor(withP, directions.get(r.metric) ?? 'lower_is_better', plan.alpha) };
  });
}

function groupHours(rows: readonly PlannedHourRow[]): Map<string, HourCount[]> {
  return groupBy(rows, (r) => `${r.cohort_key}|${r.metric}|${r.provider}`, (r): HourCount => ({ hour: r.hour, n: r.n, x: r.x }));
}
