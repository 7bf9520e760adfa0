import type { DuckDBConnection } from '@duckdb/node-api';
import { cohortSets } from '../baseline/cohort-sets.js';
import type { Plan } from '../plan/plan.js';
import { all } from '../store/query.js';
import type { CohortResult, Period } from '../types.js';
import { evaluateShadow, type ShadowCohortStats } from './evaluate-shadow.js';
import { shadowCohortStats } from './shadow-sql.js';

/**
 * The plan's shadow_mismatch_rate results for a stage window (statistics.md 2.4), for everyone and every
 * cohort of every plan dimension set; none when the plan has no shadow metric or the window has no pairs.
 * Raw always-valid p-values: `stagewise evaluate` adjusts them with every other result of the evaluation.
 * Reads `agg_hourly`, so the window's aggregates must be fresh (evaluate refreshes them first).
 */
export async function stageShadowResults(connection: DuckDBConnection, plan: Plan, window: Period): Promise<CohortResult[]> {
  const metric = plan.metrics.find((m) => m.family === 'shadow');
  if (!metric) return [];
  const results: CohortResult[] = [];
  // Everyone and the plan's dimension sets, as the baseline stores them.
  for (const { dimensions: dims } of cohortSets(plan).filter((s) => s.stored)) {
    const rows = await all<ShadowCohortStats>(connection, shadowCohortStats(dims, window, plan.providers.candidate));
    results.push(...evaluateShadow(rows, metric, { alpha: plan.alpha }));
  }
  return results;
}
