import type { DuckDBConnection } from '@duckdb/node-api';
import { dimensionsText } from '../baseline/cohort-key.js';
import { refreshAggregates } from '../baseline/aggregate.js';
import { cohortSets, groupingMask } from '../baseline/cohort-sets.js';
import { loadBaseline } from '../baseline/load-baseline.js';
import { UserError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import { all, run, transaction } from '../store/query.js';
import { upstreamIncidents } from '../evaluate/upstream-incidents.js';
import type { Dimension } from '../types.js';
import { assembleSection, findingRows, type HuntOutcome } from './assemble-section.js';
import { hunt } from './hunt.js';
import * as huntSql from './hunt-sql.js';
import { plannedResults } from './planned.js';
import { plannedHourly, projectedMetrics, providerAttempts, type PlannedHourRow } from './planned-sql.js';
import { rolloutWindow } from './rollout-window.js';
import { insertFinding, insertRun, postRolloutRunId, runDocument, runFindingKeys, runHistory, type RunHistoryRow } from './run-sql.js';
import type { PostRolloutSection } from './section.js';

/** When and against what a post-rollout run looks. */
export interface PostRolloutOptions {
  /** Start of the window; the rollout end when not given. */
  since?: Date;
  /** End of the window (the run's "now"); names the run with the plan and baseline. */
  at: Date;
  /** When the run is recorded (for `created_at` only; passed in so tests are reproducible). */
  now: Date;
  /** Baseline snapshot id; the newest when not given. */
  baselineId?: string;
}

/** A run's section, and whether it had been recorded before (then nothing was written). */
export interface PostRolloutOutcome {
  section: PostRolloutSection;
  alreadyRecorded: boolean;
}

/**
 * One scheduled post-rollout run: planned cohorts against the projected baseline (or the legacy
 * holdback), the rare-regression hunt over pairs and triples, recorded with its findings under
 * a run id derived from plan, baseline and `at`. A run already recorded is returned unchanged.
 *
 * @throws {UserError} for a plan without a rollout end, no candidate data after it, or a baseline
 *   that does not cover the plan's dimension sets.
 */
export async function runPostRollout(connection: DuckDBConnection, plan: Plan, options: PostRolloutOptions): Promise<PostRolloutOutcome> {
  const window = rolloutWindow(plan, options.since, options.at);
  const baseline = await loadBaseline(connection, options.baselineId);
  const baselineId = baseline.snapshot.snapshotId;
  const runId = postRolloutRunId(plan.hash, baselineId, options.at);
  const [existing] = await all<{ document: string }>(connection, runDocument(runId));
  if (existing) return { section: JSON.parse(existing.document) as PostRolloutSection, alreadyRecorded: true };
  checkCoverage(plan, baseline.cohorts.map((c) => c.dimensions));
  const period = { from: window.start, to: options.at };
  // The baseline build aggregated only its own period: the window's hours are aggregated here (a no-op when current).
  await refreshAggregates(connection, period);
  const attempts = new Map((await all<{ provider: string; attempts: number }>(connection, providerAttempts(period))).map((r) => [r.provider, r.attempts]));
  const { legacy, candidate } = plan.providers;
  if (!((attempts.get(candidate) ?? 0) > 0)) {
    throw new UserError(`no ${candidate} traffic between ${window.start.toISOString()} (rollout end) and ${options.at.toISOString()}: ingest the logins after the rollout first`);
  }
  const design = (plan.postRollout?.holdbackShare ?? 0) > 0 && (attempts.get(legacy) ?? 0) > 0 ? 'within_cohort_split' : 'baseline_projection';
  const sets = cohortSets(plan).filter((s) => s.stored).map((s) => s.dimensions);
  const metrics = projectedMetrics(plan.metrics);
  // Every legacy hour before the window projects forward: the baseline period and the stages' legacy arms.
  const historyPeriod = { from: plan.baseline.start, to: window.start };
  await refreshAggregates(connection, historyPeriod);
  // Upstream incidents only matter without a concurrent control: a holdback's legacy arm cancels them.
  const none = { incidents: [], sustainedExcess: [], excluded: [] };
  const projecting = design === 'baseline_projection' && metrics.length > 0;
  const incidents = {
    history: projecting ? await upstreamIncidents(connection, [legacy], historyPeriod) : none,
    window: projecting ? await upstreamIncidents(connection, [candidate, legacy], period) : none,
  };
  const planned = plannedResults({
    plan, baseline, design, start: window.start, at: options.at, plannedEnd: window.plannedEnd,
    history: metrics.length ? await all<PlannedHourRow>(connection, plannedHourly(sets, metrics, [legacy], historyPeriod, incidents.history.excluded)) : [],
    window: metrics.length ? await all<PlannedHourRow>(connection, plannedHourly(sets, metrics, [candidate, legacy], period, incidents.window.excluded)) : [],
  });
  const hunted = await huntCombinations(connection, plan, period);
  const history = await all<RunHistoryRow>(connection, runHistory(plan.hash, baselineId, options.at));
  const previous = history[history.length - 1];
  const previousKeys = previous ? new Set((await all<{ finding_key: string }>(connection, runFindingKeys(previous.run_id))).map((r) => r.finding_key)) : new Set<string>();
  const section = assembleSection({
    runId, createdAt: options.now, plan, baselineId, design, start: window.start, at: options.at,
    planned, hunted, incidents: incidents.window, previousRunId: previous?.run_id ?? null, previousKeys, history,
  });
  await transaction(connection, async () => {
    await run(connection, insertRun(section, window.start, options.at, { since: window.start.toISOString(), at: options.at.toISOString(), planHash: plan.hash, baselineId }));
    for (const row of findingRows(section)) await run(connection, insertFinding(runId, row));
  });
  return { section, alreadyRecorded: false };
}

/** The hunt: SQL rollups of the baseline period and the window, then the pure `hunt`. */
async function huntCombinations(connection: DuckDBConnection, plan: Plan, period: { from: Date; to: Date }): Promise<HuntOutcome> {
  const planned = new Set(plan.dimensions.map((d) => groupingMask(d)));
  const sets = huntSql.pairsAndTriples().filter((s) => !planned.has(groupingMask(s)));
  const { legacy, candidate } = plan.providers;
  const baselinePeriod = { from: plan.baseline.start, to: plan.baseline.end };
  const baseline = await all<huntSql.BaselineCountRow>(connection, huntSql.baselineCounts(sets, legacy, baselinePeriod));
  if (baseline.length === 0) {
    throw new UserError(`the baseline period ${baselinePeriod.from.toISOString()} to ${baselinePeriod.to.toISOString()} has no ${legacy} traffic in the aggregates: run 'stagewise ingest' for it`);
  }
  const codeTolerances = new Map(plan.metrics.flatMap((m) => (m.errorCode === undefined ? [] : [[m.errorCode, m.tolerance] as const])));
  const result = hunt({
    sets,
    baseline,
    looks: await all<huntSql.PostLookRow>(connection, huntSql.postLooks(sets, candidate, period)),
    codes: await all<huntSql.ErrorCodeTotalRow>(connection, huntSql.errorCodeTotals(legacy, candidate, baselinePeriod, period)),
    tolerance: { failures: plan.metrics.find((m) => m.name === 'success_rate')?.tolerance ?? 0, codes: codeTolerances },
    alpha: plan.alpha,
  });
  const newValues = await all<huntSql.NewValueRow>(connection, huntSql.newValues(legacy, candidate, baselinePeriod, period));
  return { result, newValues, sets: sets.map(dimensionsText) };
}

/**
 * @throws {UserError} naming the first plan dimension set the baseline snapshot has no cohorts for.
 */
function checkCoverage(plan: Plan, covered: readonly (readonly Dimension[])[]): void {
  const masks = new Set(covered.map((d) => groupingMask(d)));
  const missing = plan.dimensions.find((d) => !masks.has(groupingMask(d)));
  if (missing) {
    throw new UserError(`the baseline snapshot does not cover the plan's dimensions ${dimensionsText(missing)}: rebuild it with 'stagewise baseline' for this plan`);
  }
}
