import { alignHour, refreshAggregates } from '../../baseline/aggregate.js';
import { UserError } from '../../errors.js';
import type { Plan, PlanMetric, PlanStage } from '../../plan/plan.js';
import { readPlan } from '../../plan/read-plan.js';
import { adjustShadowFamily } from '../../shadow/adjust-shadow-family.js';
import { evaluateShadow, type ShadowCohortStats, type ShadowResult } from '../../shadow/evaluate-shadow.js';
import { shadowReport } from '../../shadow/shadow-report.js';
import { shadowReportText } from '../../shadow/shadow-report-text.js';
import { shadowCohortStats, shadowCoverage, shadowDiffKinds, type ShadowCoverage, type ShadowDiffRow } from '../../shadow/shadow-sql.js';
import { withStore } from '../../store/open.js';
import { all } from '../../store/query.js';
import type { Dimension, Period } from '../../types.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB, parseInstant } from '../options.js';
import { writeJson } from '../files.js';
import { findStage } from '../../plan/find-stage.js';
import { cohortSets } from '../../baseline/cohort-sets.js';

interface ShadowOptions {
  db: string;
  plan: string;
  stage: string;
  at?: Date;
  json?: string;
}

/** `stagewise shadow`: the dual-write mismatch rate per cohort against the noise floor, exit 3 on a regression. */
export const registerShadow: RegisterCommand = (cli, context) => {
  cli
    .command('shadow')
    .description('judge the shadow (dual-write) mismatch rate per cohort against the noise floor; exit 3 on a regression')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .requiredOption('--plan <file>', 'the rollout plan (JSON or YAML)')
    .requiredOption('--stage <name>', 'the stage whose window to analyse')
    .option('--at <time>', 'analyse the stage as of this time (whole UTC hours before it)', parseInstant)
    .option('--json <out>', 'also write the report as JSON to this file')
    .action(async (options: ShadowOptions) => {
      const plan = await readPlan(options.plan);
      const stage = findStage(plan, options.stage);
      const metric = shadowMetric(plan, options.plan);
      const window = stageWindow(stage, options.at);
      const candidate = plan.providers.candidate;
      const { results, kinds } = await withStore(options.db, context.store, async ({ connection }) => {
        await refreshAggregates(connection, window);
        const sets = cohortSets(plan).filter((s) => s.stored).map((s) => s.dimensions);
        const rows: ShadowCohortStats[][] = [];
        for (const dims of sets) rows.push(await all<ShadowCohortStats>(connection, shadowCohortStats(dims, window, candidate)));
        if ((rows[0] ?? []).length === 0) throw noPairs(stage, window, candidate, await all<ShadowCoverage>(connection, shadowCoverage(window)));
        const judged = adjustShadowFamily(rows.flatMap((r) => evaluateShadow(r, metric, { alpha: plan.alpha })), plan.alpha);
        const flaggedSets = sets.filter((dims) => dims.length === 0 || judged.some((r) => r.verdict === 'regression' && sameSet(r, dims)));
        const kindRows: ShadowDiffRow[] = [];
        for (const dims of flaggedSets) kindRows.push(...(await all<ShadowDiffRow>(connection, shadowDiffKinds(dims, window, candidate))));
        return { results: judged, kinds: kindRows };
      });
      const report = shadowReport({
        planName: plan.name, stage: stage.name, window: { start: window.from, end: window.to }, candidateProvider: candidate,
        alpha: plan.alpha, noiseFloor: metric.tolerance, results, kinds,
      });
      console.log(shadowReportText(report));
      if (options.json) await writeJson(options.json, report);
      if (report.regressions > 0) context.exitCode = 3;
    });
};


function shadowMetric(plan: Plan, file: string): PlanMetric {
  const metric = plan.metrics.find((m) => m.family === 'shadow');
  if (!metric) throw new UserError(`plan ${file} has no shadow_mismatch_rate metric: add { "name": "shadow_mismatch_rate", "tolerance": <noise floor> }`);
  if (!(metric.tolerance < 1)) throw new UserError(`plan ${file}: shadow_mismatch_rate tolerance (the noise floor) must be below 1, got ${metric.tolerance}`);
  return metric;
}

/** Whole UTC hours of the stage, up to `at` when given. */
function stageWindow(stage: PlanStage, at: Date | undefined): Period {
  const end = at && at < stage.end ? at : stage.end;
  const window = { from: alignHour(stage.start, 'ceil'), to: alignHour(end, 'floor') };
  if (window.to <= window.from) {
    throw new UserError(`stage ${stage.name} has no whole hour before ${end.toISOString()} (it starts ${stage.start.toISOString()})`);
  }
  return window;
}


const sameSet = (result: ShadowResult, dims: readonly Dimension[]): boolean => Object.keys(result.cohort).join() === dims.join();

function noPairs(stage: PlanStage, window: Period, candidate: string, coverage: readonly ShadowCoverage[]): UserError {
  const own = coverage.find((c) => c.provider === candidate);
  const others = coverage.filter((c) => c.provider !== candidate && c.pairs > 0).map((c) => `${c.provider} has ${c.pairs}`);
  const span = `${window.from.toISOString()} to ${window.to.toISOString()}`;
  const traffic = own ? `${own.attempts} candidate attempts` : 'no candidate attempts';
  return new UserError(
    `stage ${stage.name} (${span}) has no shadow pairs: the candidate traffic (provider ${candidate}, ${traffic}) carries no shadow tokens` +
      (others.length ? ` (${others.join(', ')} pairs)` : '') +
      '; ingest events with shadow_outcome set, or check that dual-write is on for the candidate',
  );
}

