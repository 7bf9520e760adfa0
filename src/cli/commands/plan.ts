import { loadBaseline } from '../../baseline/load-baseline.js';
import { loadTraffic } from '../../baseline/planning-inputs.js';
import { UserError } from '../../errors.js';
import { readPlan } from '../../plan/read-plan.js';
import { stagePlan } from '../../plan/stage-plan.js';
import { withStore } from '../../store/open.js';
import type { StagePlanRow } from '../../types.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';
import { writeJson } from '../files.js';

interface PlanOptions {
  db: string;
  plan: string;
  json?: string;
  stage?: string;
  baseline?: string;
  limit: number;
}

/** `stagewise plan`: what each stage can detect per cohort × metric, from the newest (or a named) baseline snapshot. */
export const registerPlan: RegisterCommand = (cli, context) => {
  cli
    .command('plan')
    .description('per stage × cohort × metric: expected attempts, minimum detectable regression, and advice when too small')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .requiredOption('--plan <file>', 'the rollout plan (JSON or YAML)')
    .option('--stage <name>', 'only this stage')
    .option('--baseline <id>', 'baseline snapshot id (default: the newest)')
    .option('--json <file>', 'write every row as JSON')
    .option('--limit <n>', 'undetectable rows listed per stage', (v) => Number.parseInt(v, 10), 15)
    .action(async (options: PlanOptions) => {
      const plan = await readPlan(options.plan);
      if (options.stage !== undefined && !plan.stages.some((s) => s.name === options.stage)) {
        throw new UserError(`no stage ${options.stage} in ${options.plan}: stages are ${plan.stages.map((s) => s.name).join(', ')}`);
      }
      const rows = await withStore(options.db, { ...context.store, readOnly: true }, async ({ connection }) => {
        const baseline = await loadBaseline(connection, options.baseline);
        const traffic = await loadTraffic(connection, baseline.snapshot.snapshotId);
        const inputs = { cohorts: baseline.cohorts, traffic, baselineFrom: baseline.snapshot.dataFrom, baselineTo: baseline.snapshot.dataTo };
        return stagePlan(plan, inputs, options.stage === undefined ? {} : { stage: options.stage });
      });
      console.log(planTable(rows, options.limit).join('\n'));
      if (options.json) await writeJson(options.json, { schema: 'stagewise.stage-plan/v1', plan: plan.name, plan_hash: plan.hash, rows });
    });
};

const pct = (v: number, relative: boolean) => (Number.isFinite(v) ? `${(100 * v).toFixed(relative ? 1 : 2)}${relative ? '%' : 'pp'}` : '∞');

/** Per stage × metric: cohorts detectable; then the undetectable ones (up to `limit` per stage) with their advice. */
export function planTable(rows: readonly StagePlanRow[], limit: number): string[] {
  const lines: string[] = [];
  const stages = [...new Set(rows.map((r) => r.stage))];
  for (const stage of stages) {
    const inStage = rows.filter((r) => r.stage === stage);
    lines.push(`${stage} (BH over ${inStage[0]?.family_size ?? inStage.length} results):`);
    lines.push(`  ${'metric'.padEnd(30)} ${'cohorts'.padStart(8)} ${'detectable'.padStart(11)} ${'median MDE (seq.)'.padStart(18)} ${'after BH'.padStart(9)} ${'detectable after BH'.padStart(20)}`);
    for (const metric of [...new Set(inStage.map((r) => r.metric))]) {
      const m = inStage.filter((r) => r.metric === metric);
      const relative = metric.startsWith('latency');
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Infinity;
      const afterBh = m.filter((r) => Number.isFinite(r.mde_sequential_bh) && r.tolerance >= r.mde_sequential_bh).length;
      lines.push(
        `  ${metric.padEnd(30)} ${String(m.length).padStart(8)} ${String(m.filter((r) => r.detectable).length).padStart(11)} ${pct(median(m.map((r) => r.mde_sequential)), relative).padStart(18)} ${pct(median(m.map((r) => r.mde_sequential_bh)), relative).padStart(9)} ${String(afterBh).padStart(20)}`,
      );
    }
    const hidden = inStage.filter((r) => !r.detectable);
    for (const r of hidden.slice(0, limit)) {
      const who = Object.entries(r.cohort).map(([k, v]) => `${k}=${v}`).join('|') || 'everyone';
      const relative = r.metric.startsWith('latency');
      lines.push(
        `  ✗ ${who} ${r.metric}: n ${Math.round(r.expected_n_candidate)}/${Math.round(r.expected_n_legacy)}, MDE ${pct(r.mde_fixed, relative)} fixed, ${pct(r.mde_sequential, relative)} sequential > tolerance ${pct(r.tolerance, relative)}: ${r.advice ?? ''}`,
      );
    }
    if (hidden.length > limit) lines.push(`  … ${hidden.length - limit} more undetectable (see --json)`);
  }
  return lines;
}

