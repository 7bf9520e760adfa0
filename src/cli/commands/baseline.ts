import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { backtest, type Backtest } from '../../baseline/backtest.js';
import { buildBaseline, type BuildResult } from '../../baseline/build-baseline.js';
import { baselineJson, writeParquetExport } from '../../baseline/export-baseline.js';
import { loadBaseline, type LoadedBaseline } from '../../baseline/load-baseline.js';
import { UserError, firstLine } from '../../errors.js';
import { readPlan } from '../../plan/read-plan.js';
import { withStore } from '../../store/open.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';
import { toolkitVersion, writeJson } from '../files.js';

interface BaselineOptions {
  db: string;
  plan: string;
  export?: string;
  backtest?: boolean;
  backtestJson?: string;
}

/** `stagewise baseline`: build (or find) the immutable baseline snapshot of a plan; optionally export it and backtest the model. */
export const registerBaseline: RegisterCommand = (cli, context) => {
  cli
    .command('baseline')
    .description("learn every cohort's normal (level, drift, hour-of-week shape, window-to-window variance) from the baseline period")
    .option('--db <file>', 'the store', DEFAULT_DB)
    .requiredOption('--plan <file>', 'the rollout plan (JSON or YAML)')
    .option('--export <file>', 'also write the snapshot to a .parquet or .json file')
    .option('--backtest', 'hold out the last 2 weeks, fit on the rest, report coverage of hourly 95% prediction intervals')
    .option('--backtest-json <file>', 'with --backtest: write the coverage table as JSON')
    .action(async (options: BaselineOptions) => {
      const plan = await readPlan(options.plan);
      const format = options.export === undefined ? undefined : exportFormat(options.export);
      const version = await toolkitVersion();
      await withStore(options.db, context.store, async ({ connection }) => {
        const result = await buildBaseline(connection, plan, { toolkitVersion: version, now: new Date() });
        const loaded = await loadBaseline(connection, result.snapshotId);
        console.log(summary(result, loaded).join('\n'));
        if (options.export && format === 'parquet') await writeParquetExport(connection, result.snapshotId, await ready(options.export));
        if (options.export && format === 'json') await writeJson(options.export, baselineJson(loaded));
        if (options.export) console.log(`exported ${result.snapshotId} to ${options.export}`);
        if (options.backtest) {
          const report = await backtest(connection, plan);
          console.log(backtestTable(report).join('\n'));
          if (options.backtestJson) await writeJson(options.backtestJson, report);
        }
      });
    });
};

function exportFormat(file: string): 'parquet' | 'json' {
  const ext = extname(file).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.json') return 'json';
  throw new UserError(`--export ${file}: expected a .parquet or .json file`);
}

/** A few lines on the snapshot: provenance, then per metric how many cohorts borrow a shape or a level. */
export function summary(result: BuildResult, baseline: LoadedBaseline): string[] {
  const s = baseline.snapshot;
  const lines = [
    `${result.reused ? 'unchanged' : 'built'} baseline ${s.snapshotId}${result.reused ? ' (same plan, data and toolkit: nothing written)' : ''}`,
    `  plan "${s.planName}" (${s.planHash.slice(0, 12)}), data ${s.dataFrom.toISOString()} – ${s.dataTo.toISOString()}, ${s.events.toLocaleString('en-US')} events, ${s.cohorts} cohorts, toolkit ${s.toolkitVersion}`,
  ];
  const metrics = [...new Set(baseline.cohorts.map((c) => c.metric))];
  for (const metric of metrics) {
    const rows = baseline.cohorts.filter((c) => c.metric === metric);
    const own = rows.filter((c) => c.shapeSource === 'own').length;
    const shrunk = rows.filter((c) => c.shrunk).length;
    const tau = rows.map((c) => c.tau2).sort((a, b) => a - b)[Math.floor(rows.length / 2)] ?? 0;
    lines.push(`  ${metric}: ${rows.length} cohorts, ${own} with their own shape, ${shrunk} shrunk to a parent, median τ² ${tau.toPrecision(3)}`);
  }
  return lines;
}

/** The backtest as a text table. */
export function backtestTable(report: Backtest): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `backtest: fit ${report.fitFrom.toISOString().slice(0, 10)} – ${report.fitTo.toISOString().slice(0, 10)}, held out until ${report.holdoutTo.toISOString().slice(0, 10)}; hourly 95% prediction intervals (target 93–97%)`,
    `  ${'metric'.padEnd(32)} ${'attempts'.padStart(9)} ${'windows'.padStart(9)} ${'model'.padStart(7)} ${'naive'.padStart(7)} ${'width'.padStart(6)}`,
  ];
  for (const row of report.rows) {
    lines.push(
      `  ${row.metric.padEnd(32)} ${(row.minAttempts ? `≥ ${row.minAttempts}` : 'all').padStart(9)} ${String(row.windows).padStart(9)} ${pct(row.coverage).padStart(7)} ${pct(row.naiveCoverage).padStart(7)} ${row.widthRatio.toFixed(2).padStart(6)}`,
    );
  }
  lines.push(`  stage-length (first 5 days held out, each cohort's residual pooled; 95% intervals, placebo factor 1):`);
  for (const row of report.stageRows) {
    lines.push(`  ${row.metric.padEnd(32)} ${String(row.cohorts).padStart(9)} cohorts ${pct(row.coverage).padStart(7)}   mean z² ${row.meanSquare.toFixed(2)}`);
  }
  return lines;
}

async function ready(file: string): Promise<string> {
  try {
    await mkdir(dirname(file), { recursive: true });
    return file;
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${firstLine(error)}`, 1, { cause: error });
  }
}

