import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadBaseline, type LoadedBaseline } from '../../baseline/load-baseline.js';
import { loadTraffic } from '../../baseline/planning-inputs.js';
import { listDecisions, type DecisionRow } from '../../decide/decision-sql.js';
import { UserError, firstLine } from '../../errors.js';
import type { Plan } from '../../plan/plan.js';
import { readPlan } from '../../plan/read-plan.js';
import { loadPostRolloutSection } from '../../post-rollout/load-section.js';
import { stagePlan } from '../../plan/stage-plan.js';
import { cohortSeries, flaggedResults, seriesPeriod } from '../../report/cohort-series.js';
import { cohortKey } from '../../report/format.js';
import { metricKind } from '../../report/metric-kind.js';
import { planSummary } from '../../report/plan-summary.js';
import { renderReport } from '../../report/render-report.js';
import type { ReportInput } from '../../report/report-input.js';
import { hourlyLatencyQuantile, hourlyRate, latestEvaluations, type EvaluationDocumentRow, type HourlyRow } from '../../report/report-sql.js';
import { SERIES_CHARTS, chartSpecs } from '../../report/sections/charts-section.js';
import { stageVerdict } from '../../report/stage-verdict.js';
import { withStore } from '../../store/open.js';
import { all } from '../../store/query.js';
import type { CohortSeries, Decision, Evaluation, StagePlanRow } from '../../types.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';
import { toolkitVersion } from '../files.js';

interface ReportOptions {
  db: string;
  plan: string;
  stage?: string;
  all?: boolean;
  postRollout?: boolean;
  out: string;
}

/** `stagewise report`: writes DIR/index.html (the stakeholder report) and DIR/evaluation.json (full precision). */
export const registerReport: RegisterCommand = (cli, context) => {
  cli
    .command('report')
    .description('write a self-contained HTML report of the latest evaluation of each stage, with evaluation.json beside it')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .requiredOption('--plan <file>', 'the rollout plan (JSON or YAML)')
    .option('--stage <name>', 'report this stage only')
    .option('--all', 'report every evaluated stage of the plan (the default)')
    .option('--post-rollout', "add the latest post-rollout run's findings, their trend across runs and what could not be judged")
    .requiredOption('--out <dir>', 'the folder to write index.html and evaluation.json to')
    .action(async (options: ReportOptions) => {
      if (options.stage !== undefined && options.all) throw new UserError('give --stage NAME or --all, not both');
      const plan = await readPlan(options.plan);
      const stages = stagesToReport(plan, options.stage);
      const input = await withStore(options.db, { ...context.store, readOnly: true }, async ({ connection }) => {
        const base = await reportInput(connection, plan, stages);
        if (!options.postRollout) return base;
        const postRollout = await loadPostRolloutSection(connection, { planHash: plan.hash });
        if (!postRollout) throw new UserError(`no post-rollout run of plan ${plan.name} in ${options.db}: run 'stagewise post-rollout' first`);
        return { ...base, postRollout };
      });
      const page = await renderReport(input);
      const file = await writeReport(options.out, page, input);
      console.log(file);
      for (const evaluation of input.evaluations) console.log(`${stageVerdict(evaluation, input.decisions).sentence}.`);
    });
};

function stagesToReport(plan: Plan, stage: string | undefined): string[] {
  const names = plan.stages.map((s) => s.name);
  if (stage === undefined) return names;
  if (!names.includes(stage)) throw new UserError(`plan ${plan.name} has no stage ${stage}; its stages are ${names.join(', ')}`);
  return [stage];
}

/** Everything the report shows for these stages, read from the store (opened read-only by the caller) and the plan. */
export async function reportInput(connection: DuckDBConnection, plan: Plan, stages: readonly string[]): Promise<ReportInput> {
  const evaluations = await readEvaluations(connection, plan, stages);
  const reported = new Set(evaluations.map((e) => e.stage));
  const decisions = (await all<DecisionRow>(connection, listDecisions()))
    .filter((d) => reported.has(d.stage))
    .map((d): Decision => ({ ...d, results: JSON.parse(d.results) as Decision['results'] }));
  const latest = evaluations[evaluations.length - 1];
  const baseline = latest ? await loadBaseline(connection, latest.baseline_id) : null;
  const series = baseline ? await flaggedSeries(connection, plan, evaluations, baseline) : [];
  return {
    plan: planSummary(plan),
    evaluations,
    decisions,
    stagePlan: await readStagePlan(connection, plan, baseline),
    series,
    baseline: baseline?.snapshot ?? null,
    generatedAt: new Date().toISOString(),
    toolkitVersion: await toolkitVersion(),
  };
}

async function readEvaluations(connection: DuckDBConnection, plan: Plan, stages: readonly string[]): Promise<Evaluation[]> {
  let rows: EvaluationDocumentRow[];
  try {
    rows = await all<EvaluationDocumentRow>(connection, latestEvaluations(stages));
  } catch (error) {
    throw new UserError(`cannot read evaluations: ${firstLine(error)}; run 'stagewise evaluate' first`, 1, { cause: error });
  }
  if (rows.length === 0) throw new UserError(`no evaluation of ${stages.join(', ')} in the store: run 'stagewise evaluate' first`);
  const order = new Map(plan.stages.map((s, i) => [s.name, i]));
  return rows
    .map((row) => JSON.parse(row.document) as Evaluation)
    .sort((a, b) => (order.get(a.stage) ?? 0) - (order.get(b.stage) ?? 0));
}

async function flaggedSeries(connection: DuckDBConnection, plan: Plan, evaluations: readonly Evaluation[], baseline: LoadedBaseline): Promise<CohortSeries[]> {
  const providers = [plan.providers.legacy, plan.providers.candidate];
  const series: CohortSeries[] = [];
  for (const result of flaggedResults(evaluations, SERIES_CHARTS)) {
    // The week before the stage that flagged the cohort, and that stage: the change at its start
    // stays readable (an hour a few pixels wide), and the page small.
    const flaggedBy = evaluations.filter((e) => e.results.includes(result));
    const period = seriesPeriod(flaggedBy.length ? flaggedBy : evaluations, baseline.snapshot.dataFrom);
    const model = baseline.cohorts.find((c) => c.metric === result.metric && cohortKey(c.cohort) === cohortKey(result.cohort));
    if (!model) continue;
    const quantile = /^latency_p(\d+)$/.exec(result.metric);
    const query = metricKind(result.metric) === 'latency' && quantile
      ? hourlyLatencyQuantile(result.cohort, Number(quantile[1]) / 100, providers, period)
      : hourlyRate(result.cohort, result.metric, providers, period);
    const rows = await all<HourlyRow>(connection, query);
    series.push(cohortSeries(rows, model, baseline.shapes.get(`${model.shapeKey}|${model.metric}`)));
  }
  return series;
}

/** What every stage of the plan can detect, from the same baseline snapshot (as `stagewise plan` computes it). */
async function readStagePlan(connection: DuckDBConnection, plan: Plan, baseline: LoadedBaseline | null): Promise<StagePlanRow[]> {
  if (!baseline) return [];
  const traffic = await loadTraffic(connection, baseline.snapshot.snapshotId);
  return stagePlan(plan, { cohorts: baseline.cohorts, traffic, baselineFrom: baseline.snapshot.dataFrom, baselineTo: baseline.snapshot.dataTo });
}

async function writeReport(out: string, page: string, input: ReportInput): Promise<string> {
  try {
    await mkdir(out, { recursive: true });
    // The page condenses (insufficient-data results, the stage plan) and draws charts as SVG only: this file keeps every row at full precision and each chart's spec.
    const data = { schema: 'stagewise.report-data/v1', generated_at: input.generatedAt, plan: input.plan, evaluations: input.evaluations, decisions: input.decisions, stage_plan: input.stagePlan, series: input.series, baseline: input.baseline, post_rollout: input.postRollout ?? null, charts: chartSpecs(input) };
    await writeFile(join(out, 'evaluation.json'), `${JSON.stringify(data, null, 2)}\n`);
    await writeFile(join(out, 'index.html'), page);
  } catch (error) {
    throw new UserError(`cannot write the report to ${out}: ${firstLine(error)}`, 1, { cause: error });
  }
  return resolve(out, 'index.html');
}
