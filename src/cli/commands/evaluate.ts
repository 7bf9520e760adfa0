import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { alignHour, refreshAggregates } from '../../baseline/aggregate.js';
import { errorCodes, incidentHoursTable } from '../../baseline/series.js';
import { loadBaseline, type LoadedBaseline } from '../../baseline/load-baseline.js';
import { markAccepted } from '../../decide/accepted.js';
import { loadAcceptances } from '../../decide/load-acceptances.js';
import { UserError } from '../../errors.js';
import { evaluateStage } from '../../evaluate/evaluate-stage.js';
import { baselineCellLatency, baselineHistograms, insertEvaluation, routedUnits, windowCells, windowErrors, windowExtent, windowLatency, windowUserSums } from '../../evaluate/evaluate-sql.js';
import { evaluationText } from '../../evaluate/evaluation-text.js';
import { incidentNotes, upstreamIncidents } from '../../evaluate/upstream-incidents.js';
import { evaluatedSets, stageInputs, unionDimensions, type BaselineCellRow, type StageData } from '../../evaluate/stage-inputs.js';
import type { Plan, PlanStage } from '../../plan/plan.js';
import { readPlan } from '../../plan/read-plan.js';
import { stageShadowResults } from '../../shadow/stage-shadow-results.js';
import { withStore } from '../../store/open.js';
import { all, run } from '../../store/query.js';
import type { Dimension, Evaluation, Period } from '../../types.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB, parseInstant } from '../options.js';
import { toolkitVersion, writeJson } from '../files.js';
import { findStage } from '../../plan/find-stage.js';

/** Hours of legacy traffic before a 100% stage on which its drift is measured. */
const PRE_STAGE_HOURS = 48;

interface EvaluateOptions {
  db: string;
  plan: string;
  stage: string;
  at?: Date;
  baseline?: string;
  json?: string;
  flagd?: string;
}

/** `stagewise evaluate`: judge every cohort × metric of a rollout stage so far; exit 3 on a regression. */
export const registerEvaluate: RegisterCommand = (cli, context) => {
  cli
    .command('evaluate')
    .description('judge a rollout stage so far: every cohort × metric against its control or drift-corrected baseline')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .requiredOption('--plan <file>', 'the rollout plan (JSON or YAML)')
    .requiredOption('--stage <name>', 'the stage to evaluate')
    .option('--at <time>', 'evaluate as of this instant (default: the last data)', parseInstant)
    .option('--baseline <id>', 'baseline snapshot id (default: the newest)')
    .option('--json <file>', 'write the evaluation document (stagewise.evaluation/v1)')
    .option('--flagd <file>', 'write the scoped-rollback flagd flag definition')
    .action(async (options: EvaluateOptions) => {
      const plan = await readPlan(options.plan);
      const stage = findStage(plan, options.stage);
      const version = await toolkitVersion();
      const evaluation = await withStore(options.db, context.store, async ({ connection }) => {
        const baseline = await loadBaseline(connection, options.baseline);
        checkBaseline(plan, stage, baseline);
        const window = await stageWindow(connection, plan, stage, options.at);
        const data = await readStageData(connection, plan, stage, window, baseline);
        const findings = evaluateStage({
          inputs: data.inputs.inputs,
          metrics: plan.metrics,
          alpha: plan.alpha,
          providers: plan.providers,
          share: stage.share,
          unit: stage.unit,
          units: data.inputs.units,
          unjudged: data.inputs.unjudged,
          cells: data.inputs.cells,
          shadowResults: await stageShadowResults(connection, plan, window),
        });
        const judged = evaluationDocument(plan, stage, window, baseline, findings, version, data.inputs.withoutCandidate);
        if (data.incidents) {
          judged.incidents = data.incidents.incidents;
          judged.notes = incidentNotes(data.incidents, 'every result (no legacy traffic is left to cancel them)');
        }
        // An operator's accept keeps a regression visible but marked, until its evidence changes materially.
        const results = markAccepted(judged.results, await loadAcceptances(connection), (metric) => harmfulSign(plan, metric));
        const document: Evaluation = { ...judged, results };
        const regressions = openRegressions(document);
        await run(connection, insertEvaluation({
          evaluationId: document.evaluation_id, createdAt: new Date(document.created_at), stage: stage.name, planHash: plan.hash,
          baselineId: baseline.snapshot.snapshotId, window, regressions, document: JSON.stringify(document),
        }));
        return document;
      });
      if (options.json) await writeJson(options.json, evaluation);
      if (options.flagd) await writeJson(options.flagd, evaluation.rollback.flagd);
      console.log(evaluationText(evaluation));
      // Exit 3 gates cron and CI on regressions nobody has accepted.
      if (openRegressions(evaluation) > 0) context.exitCode = 3;
    });
};


function checkBaseline(plan: Plan, stage: PlanStage, baseline: LoadedBaseline): void {
  const { snapshot } = baseline;
  if (snapshot.planHash !== plan.hash) {
    throw new UserError(`baseline ${snapshot.snapshotId} was built with another plan (hash ${snapshot.planHash.slice(0, 12)}, this plan ${plan.hash.slice(0, 12)}): run 'stagewise baseline' with this plan`);
  }
  if (snapshot.dataTo.getTime() > stage.start.getTime()) {
    throw new UserError(`baseline ${snapshot.snapshotId} uses data up to ${snapshot.dataTo.toISOString()}, after stage ${stage.name} starts (${stage.start.toISOString()}): a baseline must end before the stage`);
  }
}

async function stageWindow(connection: DuckDBConnection, plan: Plan, stage: PlanStage, at: Date | undefined): Promise<Period> {
  const limit = new Date(Math.min(stage.end.getTime(), at?.getTime() ?? Infinity));
  await refreshAggregates(connection, { from: stage.start, to: limit });
  const [extent] = await all<{ last_data_end: number | null; candidate_attempts: number }>(
    connection, windowExtent({ from: stage.start, to: limit }, plan.providers.candidate),
  );
  const lastData = extent?.last_data_end === null || extent?.last_data_end === undefined ? stage.start.getTime() : Number(extent.last_data_end) * 1000;
  const end = alignHour(new Date(Math.min(limit.getTime(), lastData)), 'ceil');
  if (end.getTime() <= stage.start.getTime() || !(Number(extent?.candidate_attempts ?? 0) > 0)) {
    throw new UserError(`no ${plan.providers.candidate} traffic in stage ${stage.name} between ${stage.start.toISOString()} and ${limit.toISOString()}: nothing to evaluate yet`);
  }
  return { from: stage.start, to: end };
}

async function readStageData(connection: DuckDBConnection, plan: Plan, stage: PlanStage, window: Period, baseline: LoadedBaseline) {
  const providers = [plan.providers.candidate, plan.providers.legacy];
  const union = unionDimensions(plan);
  const sets = evaluatedSets(plan);
  const latencyNeeded = plan.metrics.some((m) => m.family === 'latency_quantile');
  // With no legacy traffic left (a 100% stage) an upstream IdP incident would read as a regression:
  // its transient failure bursts are left out of every result and listed (docs/evaluate.md).
  const incidents = stage.share >= 1 ? await upstreamIncidents(connection, providers, window) : undefined;
  const excluded = incidents?.excluded ?? [];
  const data: StageData = {
    plan, stage, window,
    baseline,
    cells: await all(connection, windowCells(union, window, providers, excluded)),
    errors: errorCodes(plan.metrics).length ? await all(connection, windowErrors(union, window, providers, errorCodes(plan.metrics), excluded)) : [],
    latency: latencyNeeded ? await all(connection, windowLatency(sets, window, providers, excluded)) : [],
    baselineHistograms: latencyNeeded ? await all(connection, baselineHistograms(baseline.snapshot.snapshotId)) : [],
    units: stage.share < 1 ? await all(connection, routedUnits(sets, window, providers, stage.unit)) : [],
    baselineCells: latencyNeeded && stage.share < 1 ? await baselineCells(connection, plan, union, baseline) : [],
    userSums: await all(connection, windowUserSums(sets, window, providers, excluded)),
  };
  if (stage.share >= 1) {
    // No legacy traffic in a 100% stage: carry the drift measured on the last 48 h of legacy traffic before it
    // (its own incidents left out too, or one IdP's outage there would be carried into the whole stage).
    const period = { from: new Date(window.from.getTime() - PRE_STAGE_HOURS * 3_600_000), to: window.from };
    await refreshAggregates(connection, period);
    const legacyOnly = [plan.providers.legacy];
    const before = (await upstreamIncidents(connection, legacyOnly, period)).excluded;
    data.preStage = {
      period,
      cells: await all(connection, windowCells(union, period, legacyOnly, before)),
      errors: errorCodes(plan.metrics).length ? await all(connection, windowErrors(union, period, legacyOnly, errorCodes(plan.metrics), before)) : [],
    };
  }
  return { inputs: stageInputs(data), incidents };
}

/** The legacy latency histogram of each cell over the baseline's data period, its incident IdP-hours left out. */
async function baselineCells(connection: DuckDBConnection, plan: Plan, union: readonly Dimension[], baseline: LoadedBaseline) {
  const period = { from: baseline.snapshot.dataFrom, to: baseline.snapshot.dataTo };
  await run(connection, incidentHoursTable(plan.providers.legacy, period));
  return all<BaselineCellRow>(connection, baselineCellLatency(union, period, plan.providers.legacy));
}

function evaluationDocument(
  plan: Plan, stage: PlanStage, window: Period, baseline: LoadedBaseline,
  findings: ReturnType<typeof evaluateStage>, version: string, withoutCandidate: number,
): Evaluation {
  const createdAt = new Date().toISOString();
  const id = createHash('sha256').update([plan.hash, baseline.snapshot.snapshotId, stage.name, window.from.toISOString(), window.to.toISOString(), createdAt].join('|')).digest('hex');
  return {
    schema: 'stagewise.evaluation/v1',
    evaluation_id: `ev-${id.slice(0, 16)}`,
    created_at: createdAt,
    toolkit_version: version,
    baseline_id: baseline.snapshot.snapshotId,
    plan_name: plan.name,
    plan_hash: plan.hash,
    stage: stage.name,
    window: { start: window.from.toISOString(), end: window.to.toISOString() },
    alpha: plan.alpha,
    sequential: {
      method: 'two-sided normal-mixture mSPRT per cohort × metric, recomputed over every hourly look from the stage start (cumulative statistics), p = running min of 1/Λ, confidence sequence intersected over looks; BH across all results',
      tuned_at: stage.end.toISOString(),
      note: `τ² = mixtureTau2(v*, α = ${plan.alpha}) with v* the estimator variance expected at the planned stage end (${stage.end.toISOString()}) from the baseline's volume, rate, τ² and level variance at share ${stage.share}; burn-in ≥ 10 expected events per arm, exact tests (Bonferroni over looks) from 5. ${withoutCandidate} cohort(s) had no ${plan.providers.candidate} traffic and are not listed.`,
    },
    srm: findings.srm,
    results: findings.results,
    rollback: findings.rollback,
  };
}

/** Regressions no operator has accepted (accepted ones stay in the document, marked). */
function openRegressions(evaluation: Evaluation): number {
  return evaluation.results.filter((r) => r.verdict === 'regression' && !r.accepted).length;
}

/** −1 when a lower value of the metric is worse (success rate), +1 when a higher one is. */
function harmfulSign(plan: Plan, metric: string): 1 | -1 {
  return plan.metrics.find((m) => m.name === metric)?.direction === 'higher_is_better' ? -1 : 1;
}
