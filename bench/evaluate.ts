// Bench: `stagewise evaluate` for 10,000 cohorts × 5 metrics in one stage, from the aggregate tables on.
// The target (issue 4): everything beyond the aggregation scan takes < 2 s of CPU: stageInputs (the cell
// series into every cohort, designs and expectations) and evaluateStage (the mSPRT over every hourly
// look for every cohort × metric, BH, SRM, scoped rollback) together. Also printed: reading the window
// from DuckDB (windowCells, windowErrors, windowLatency, as `evaluate` runs them: SQL and turning the
// result into JS rows; DuckDB's threads count in the CPU time), the scan. The setup loads synthetic `agg_*` tables
// into an in-memory store (every tenant × hour × provider, six latency bins each) and is not timed.
// Run: npx tsx bench/evaluate.ts [cohorts, default 10000] [hours, default 72] [--dump FILE]
// --dump FILE writes JSON.stringify of the evaluateStage result, to check a speed change leaves the results alone.
import { writeFileSync } from 'node:fs';
import { instant } from '../src/baseline/aggregate.js';
import { errorCodes } from '../src/baseline/series.js';
import { windowCells, windowErrors, windowLatency } from '../src/evaluate/evaluate-sql.js';
import { evaluateStage } from '../src/evaluate/evaluate-stage.js';
import { evaluatedSets, stageInputs, unionDimensions, type StageData } from '../src/evaluate/stage-inputs.js';
import { checkPlan } from '../src/plan/plan.js';
import { openStore } from '../src/store/open.js';
import { all, run } from '../src/store/query.js';
import { sql } from '../src/store/sql.js';

const dumpAt = process.argv.indexOf('--dump');
const dumpFile = dumpAt >= 0 ? process.argv[dumpAt + 1] : undefined;
const args = dumpAt >= 0 ? process.argv.filter((_, i) => i !== dumpAt && i !== dumpAt + 1) : process.argv;
const COHORTS = Number(args[2] ?? 10_000);
const HOURS = Number(args[3] ?? 72);
const BUDGET_MS = 2000;
const start = new Date('2026-10-01T00:00:00Z');
const checked = checkPlan({
  name: 'bench',
  providers: { legacy: 'old', candidate: 'new' },
  dimensions: [['tenant']],
  metrics: [
    { name: 'success_rate', tolerance: 0.005 },
    { name: 'mfa_rate', tolerance: 0.02 },
    { name: 'error_rate:invalid_grant', tolerance: 0.005 },
    { name: 'error_rate:upstream_timeout', tolerance: 0.005 },
    { name: 'latency_p95', tolerance: 0.1 },
  ],
  baseline: { start: '2026-09-01', end: '2026-10-01' },
  stages: [{ name: 's1', start: '2026-10-01', end: '2026-10-04', share: 0.25 }],
});
if (!checked.ok) throw new Error(checked.problems.join('\n'));
const plan = checked.plan;
const stage = plan.stages[0]!;
const window = { from: start, to: new Date(start.getTime() + HOURS * 3_600_000) };
const providers = [plan.providers.candidate, plan.providers.legacy];

// CPU time of this process, all threads (user + system), so a busy shared machine does not inflate the figure.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
let peakHeap = 0;
const phase = async <T>(body: () => T | Promise<T>): Promise<{ value: T; cpu: number; wall: number }> => {
  const [cpu0, wall0] = [cpuMs(), performance.now()];
  const value = await body();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  return { value, cpu: cpuMs() - cpu0, wall: performance.now() - wall0 };
};

// Synthetic aggregates, deterministic: u(…) is a uniform draw from a hash. Per tenant a log-normal
// volume (mean 20 attempts an hour); per hour 25% of it on the candidate; stochastic rounding keeps
// both providers at the same expected rates (an A/A stage): 5% failures, half of them invalid_grant,
// 30% MFA challenges, latency in six 5% bins around bin 110–127.
const store = await openStore(':memory:');
const { connection } = store;
const setup = await phase(async () => {
  await run(connection, sql`
    CREATE TEMP TABLE bench_cells AS
    WITH tenants AS (
      SELECT c, printf('t%05d', c) AS tenant,
             20 * exp(sqrt(-2 * ln((hash(c, 'a') % 1000000 + 0.5) / 1000000)) * cos(2 * pi() * (hash(c, 'b') % 1000000) / 1000000)) AS volume
      FROM range(${COHORTS}) r(c)
    ), drawn AS (
      SELECT tenant, c, h, provider, greatest(1, floor(volume * share + (hash(c, h, provider, 'n') % 1000000) / 1000000)) AS attempts
      FROM tenants, range(${HOURS}) s(h), (VALUES ('new', 0.25), ('old', 0.75)) p(provider, share)
    )
    SELECT *, floor(attempts * 0.05 + (hash(c, h, provider, 'f') % 1000000) / 1000000) AS failures FROM drawn`);
  await run(connection, sql`
    INSERT INTO agg_hourly
    SELECT ${instant(start)}::TIMESTAMPTZ + to_hours(h), tenant, 'idp', 'app', 'region', provider,
           attempts, failures, attempts, floor(attempts * 0.3 + (hash(c, h, provider, 'm') % 1000000) / 1000000),
           0, 0, 0, 0, 0, 0, 0, 0,
           ceil(attempts / 2), failures * 1.5, attempts * 2.5, failures * 2.2
    FROM bench_cells`);
  await run(connection, sql`
    INSERT INTO agg_hourly_errors
    SELECT ${instant(start)}::TIMESTAMPTZ + to_hours(h), tenant, 'idp', 'app', 'region', provider, 'invalid_grant',
           floor(failures / 2 + (hash(c, h, provider, 'e') % 1000000) / 1000000)
    FROM bench_cells`);
  await run(connection, sql`
    INSERT INTO agg_hourly_latency
    SELECT ${instant(start)}::TIMESTAMPTZ + to_hours(h), tenant, 'idp', 'app', 'region', provider,
           110 + 3 * k + hash(c, h, provider, k, 'b') % 3,
           floor(attempts / 6 + (hash(c, h, provider, k, 'c') % 1000000) / 1000000)
    FROM bench_cells, range(6) b(k)`);
  return all<{ cells: bigint; latency: bigint }>(connection, sql`
    SELECT (SELECT count(*) FROM agg_hourly) AS cells, (SELECT count(*) FROM agg_hourly_latency) AS latency`);
});
const [{ cells: aggCells, latency: aggLatency }] = setup.value as [{ cells: bigint; latency: bigint }];

const union = unionDimensions(plan);
const sets = evaluatedSets(plan);
const read = await phase(async () => ({
  cells: await all<StageData['cells'][number]>(connection, windowCells(union, window, providers)),
  errors: await all<StageData['errors'][number]>(connection, windowErrors(union, window, providers, errorCodes(plan.metrics))),
  latency: await all<StageData['latency'][number]>(connection, windowLatency(sets, window, providers)),
}));
store.close();
const data: StageData = {
  plan, stage, window,
  baseline: { cohorts: [], shapes: new Map() }, ...read.value, baselineHistograms: [],
  units: Array.from({ length: COHORTS }, (_, c) => [['new', 25], ['old', 75]].map(([provider, units]) => ({ set_id: 1, cohort_key: `tenant=t${String(c).padStart(5, '0')}`, provider: String(provider), units: Number(units) }))).flat(),
};
const prepared = await phase(() => stageInputs(data));
const { inputs, units, unjudged } = prepared.value;
const evaluated = await phase(() => evaluateStage({ inputs, metrics: plan.metrics, alpha: plan.alpha, providers: plan.providers, share: stage.share, unit: stage.unit, units, unjudged }));
const findings = evaluated.value;

const ms = (x: number) => `${x.toFixed(0)} ms`;
const count = (x: number | bigint) => x.toLocaleString('en-US');
console.log(`evaluate: ${count(COHORTS)} cohorts + everyone × ${plan.metrics.length} metrics, ${HOURS} hourly looks; agg_hourly ${count(aggCells)} rows, agg_hourly_latency ${count(aggLatency)} rows (setup ${ms(setup.wall)} wall)`);
console.log(`read the window (SQL + JS rows): ${ms(read.cpu)} CPU, ${ms(read.wall)} wall; ${count(data.cells.length)} cell rows, ${count(data.errors.length)} error rows, ${count(data.latency.length)} latency rows`);
console.log(`CPU time: cell series to cohorts, designs, expectations (stageInputs) ${ms(prepared.cpu)}; mSPRT over every look + BH + SRM + rollback (evaluateStage) ${ms(evaluated.cpu)}`);
console.log(`memory: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, largest heap after a phase ${(peakHeap / 2 ** 20).toFixed(0)} MB`);
const beyondScan = prepared.cpu + evaluated.cpu;
console.log(`beyond the scan (stageInputs + evaluateStage) ${ms(beyondScan)} of CPU (budget ${BUDGET_MS} ms); ${count(findings.results.length)} results, ${count(findings.srm.length)} SRM checks`);
if (dumpFile) writeFileSync(dumpFile, JSON.stringify(findings));
if (beyondScan >= BUDGET_MS) process.exitCode = 1;
