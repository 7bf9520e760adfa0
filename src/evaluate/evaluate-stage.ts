import type { PlanMetric } from '../plan/plan.js';
import type { CohortResult, RollbackRule, SrmResult } from '../types.js';
import { cellOverlap, type CandidateCell } from './cell-overlap.js';
import { evaluateCohortMetric } from './evaluate-cohort-metric.js';
import { flagdDefinition, type FlagdDefinition } from './flagd.js';
import type { CohortMetricInput } from './hourly-stats.js';
import { judgeOwnResults } from './judge-results.js';
import { scopedRollback } from './scoped-rollback.js';
import { srmResults, type UnitCounts } from './srm.js';

/** Everything a stage evaluation judges, already reduced to per-cohort hourly statistics. */
export interface StageInput {
  inputs: readonly CohortMetricInput[];
  metrics: readonly PlanMetric[];
  alpha: number;
  providers: { legacy: string; candidate: string };
  share: number;
  unit: 'user' | 'tenant';
  /** Routed units per provider and cohort, for the sample-ratio check. */
  units: readonly UnitCounts[];
  /**
   * Hook for shadow_mismatch_rate: results of the shadow analysis (design `shadow_paired`,
   * statistics.md 2.4), built elsewhere; they join the multiplicity adjustment and the rollback.
   */
  shadowResults?: readonly CohortResult[];
  /** The window's cells with their candidate attempts, so scoped rollback can attribute cross-cutting regressions exactly. */
  cells?: readonly CandidateCell[];
  /** Cohort × metrics that could not be set up at all (no baseline to compare with): `insufficient_data` results. */
  unjudged?: readonly CohortResult[];
}

/** The findings of a stage: SRM first, judged results, and the rollback rules with their flagd flag. */
export interface StageFindings {
  srm: SrmResult[];
  results: CohortResult[];
  rollback: { rules: RollbackRule[]; flagd: FlagdDefinition };
}

/** Judges every cohort × metric of a stage together: mSPRT per result, BH across all, SRM annotations, scoped rollback. */
export function evaluateStage(input: StageInput): StageFindings {
  const srm = srmResults(input.units, input.share, input.unit);
  // Every result judged here is this call's own: the caller's unjudged and shadow results are copied.
  const copy = (result: CohortResult): CohortResult => ({ ...result });
  const raw = [...input.inputs.map(evaluateCohortMetric), ...(input.unjudged ?? []).map(copy), ...(input.shadowResults ?? []).map(copy)];
  const results = judgeOwnResults(raw, input.metrics, srm, input.alpha);
  const rules = scopedRollback(results, input.cells ? cellOverlap(input.cells) : undefined, input.alpha);
  return { srm, results, rollback: { rules, flagd: flagdDefinition(rules, input.providers) } };
}
