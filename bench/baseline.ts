/**
 * Baseline benchmark: the full `buildBaseline` (aggregate refresh + every cohort's fit + snapshot
 * write) against bare DuckDB GROUP BYs over the same events, in the same run and store.
 *
 *   npx tsx bench/baseline.ts [--events 1000000] [--days 28] [--tenants 200] [--dir /tmp/stagewise-bench]
 *                             [--memory 5GB] [--max-temp 30GB] [--threads N] [--keep] [--reuse] [--build-only] [--uncapped]
 *
 * Generates N login events with one SQL statement (tenants × 4 IdPs × 3 apps, region by tenant, a
 * daily cycle, per-hour noise, 500 users per tenant, log-normal latency; in time order, as ingest
 * appends weekly files, with N/(days·24) events per hour) written to a Parquet file,
 * loads that into `login_events` (the ingest's table) and checkpoints, so no timed phase pays for the
 * load (`--reuse`: a store of the same size left by an earlier `--keep` run, or one killed mid-way, is used as it is:
 * the same seed gives the same events). Then times, over `login_events`:
 *   (1) bare hourly: one GROUP BY hour × cell of the event-level counts (no user level, no bins);
 *   (2) bare same statistics: what the three agg_* tables hold, written plainly into temp tables —
 *       per (hour, cell, user) counts rolled up to per (hour, cell) sums with K, Σx², Σn², Σxn, every
 *       other count and the log-latency sums; failures per error code; events per latency bin;
 *   (3) ours: `buildBaseline` for a plan with tenant, idp, tenant × idp and five metrics, with the
 *       wall and CPU seconds of each phase (refresh is the aggregation, comparable to (2)).
 * Prints each line as soon as it is known (a long run can be read while it goes), wall and CPU
 * seconds (CPU is the fairer ratio on a shared machine), the ratios, and peak Node heap and RSS.
 * DuckDB runs with `--memory` as its memory limit and spills to `<dir>/duckdb-tmp`, at most `--max-temp`
 * (at 100M events the user level alone spills ~27 GB with a 5 GB limit).
 * Targets at 100M events (~90 days, ~10k cohorts): ours ≤ 1.25 × (2), heap < 256 MB, RSS flat from 10M.
 *
 * Node's heap is capped at 256 MB: the bench runs itself again under `--max-old-space-size=256` (which also
 * caps the fit's worker threads), so a build whose live heap outgrew the target would fail, not just print a
 * bigger figure (`--uncapped` runs with V8's defaults, which let garbage pile up to a few hundred MB first).
 * `--build-only` (with `--reuse`) times only the build (and keeps the store), in a process that does nothing else, and prints the
 * process's peak RSS: the figure to compare between sizes at one `--memory` (the bare passes, and the
 * allocator's leftovers from them, are not in it).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBaseline } from '../src/baseline/build-baseline.js';
import { checkPlan } from '../src/plan/plan.js';
import { openStore } from '../src/store/open.js';
import { run } from '../src/store/query.js';
import { ident, raw, sql } from '../src/store/sql.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '28' },
    tenants: { type: 'string', default: '200' },
    dir: { type: 'string', default: '/tmp/stagewise-bench' },
    threads: { type: 'string' },
    memory: { type: 'string', default: '5GB' },
    'max-temp': { type: 'string', default: '30GB' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    'build-only': { type: 'boolean', default: false },
    uncapped: { type: 'boolean', default: false },
  },
});
if (values['build-only'] && !values.reuse) throw new Error('--build-only times the build over a kept store: add --reuse (and build one first with --keep)');
/** The heap target, enforced: V8's old space is capped at this many MB. */
const HEAP_CAP_MB = 256;
if (!values.uncapped && !process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${HEAP_CAP_MB}`, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
const events = Number(values.events);
const days = Number(values.days);
const tenants = Number(values.tenants);
const start = '2026-08-01T00:00:00Z';

// The plan first, so a bad one fails before the long generation: the stage starts where the baseline ends.
const baselineEnd = new Date(Date.parse(start) + days * 86_400_000).toISOString();
const check = checkPlan({
  name: 'bench',
  providers: { legacy: 'legacy', candidate: 'candidate' },
  dimensions: [['tenant'], ['idp'], ['tenant', 'idp']],
  metrics: [
    { name: 'success_rate', tolerance: 0.005 },
    { name: 'error_rate:upstream_timeout', tolerance: 0.005 },
    { name: 'mfa_rate', tolerance: 0.02 },
    { name: 'latency_p95', tolerance: 0.1 },
    { name: 'shadow_mismatch_rate', tolerance: 0.002 },
  ],
  baseline: { start: start.slice(0, 10), end: baselineEnd.slice(0, 10) },
  stages: [{ name: 's1', start: baselineEnd.slice(0, 10), end: new Date(Date.parse(baselineEnd) + 4 * 86_400_000).toISOString().slice(0, 10), share: 0.05 }],
});
if (!check.ok) throw new Error(check.problems.join('; '));

let heapPeak = 0;
let rssPeak = 0;
/** Peaks since the current build phase started (the overall peaks also cover generation and the bare passes). */
let phaseHeapPeak = 0;
let phaseRssPeak = 0;
const sample = () => {
  const { heapUsed, rss } = process.memoryUsage();
  heapPeak = Math.max(heapPeak, heapUsed);
  rssPeak = Math.max(rssPeak, rss);
  phaseHeapPeak = Math.max(phaseHeapPeak, heapUsed);
  phaseRssPeak = Math.max(phaseRssPeak, rss);
};
const sampler = setInterval(sample, 20);

await mkdir(values.dir, { recursive: true });
const file = join(values.dir, `baseline-${events}.duckdb`);
if (!values.reuse) await rm(file, { force: true });
const store = await openStore(file, { memoryLimit: values.memory, ...(values.threads ? { threads: Number(values.threads) } : {}) });
const { connection } = store;
await run(connection, sql`SET temp_directory = ${join(values.dir, 'duckdb-tmp')}`);
// A cap on the spill, so a run that outgrows the disk fails instead of filling a shared one.
await run(connection, sql`SET max_temp_directory_size = ${values['max-temp']}`);

const parquet = join(values.dir, `events-${events}.parquet`);
const [present] = (await connection.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM login_events')).getRowObjectsJS() as { n: number }[];
const reused = values.reuse && present?.n === events;
// Checked before anything is deleted: a --build-only run on the wrong store leaves it as it was.
if (values['build-only'] && !reused) throw new Error(`--build-only: ${file} does not hold the ${events} events; build it with --keep first`);
if (values.reuse) {
  // Whatever an earlier run built from the events goes, so the refresh and the build are timed in full.
  const derived = (await connection.runAndReadAll(
    "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND (table_name LIKE 'agg\\_%' ESCAPE '\\' OR table_name LIKE 'baseline\\_%' ESCAPE '\\')",
  )).getRowObjectsJS() as { table_name: string }[];
  for (const { table_name: table } of derived) await run(connection, sql`DELETE FROM ${ident(table)}`);
  if (!reused) await run(connection, sql`DELETE FROM login_events`);
}
const t0 = performance.now();
if (!reused) {
  await run(connection, sql`SELECT setseed(0.5)`);
  await run(
    connection,
    sql`COPY (
        WITH e AS (
          SELECT i, floor(i * ${days * 24} / ${events})::BIGINT AS h, floor(pow(random(), 2) * ${tenants})::BIGINT AS t,
                 floor(random() * 4)::BIGINT AS d, floor(random() * 3)::BIGINT AS a, random() AS u, random() AS v
          FROM range(${events}) r(i)
        )
        SELECT 'e' || i AS event_id, ${start}::TIMESTAMPTZ + to_hours(h) + to_seconds(floor(v * 3600)::BIGINT) AS ts,
               'u' || t || '-' || floor(u * 500)::BIGINT AS user_id, 't' || t AS tenant, 'idp' || d AS idp, 'app' || a AS app,
               'r' || (t % 3) AS region, 'legacy' AS provider,
               CASE WHEN v < 0.02 * (1 + 0.5 * sin(2 * pi() * h / 24)) * (1 + d / 4) THEN 'failure' ELSE 'success' END AS outcome,
               CASE WHEN v < 0.008 THEN 'invalid_grant' WHEN v < 0.03 THEN 'upstream_timeout' END AS error_code,
               exp(5 + 0.4 * (u + v - 1) + 0.1 * sin(2 * pi() * h / 24)) AS latency_ms, u < 0.3 AS mfa_challenged,
               NULL::VARCHAR AS shadow_outcome, 'bench' AS source_format, 'bench' AS ingest_run_id
        FROM e
      ) TO ${raw(`'${parquet.replaceAll("'", "''")}'`)} (FORMAT parquet)`,
  );
  const generated = (performance.now() - t0) / 1000;
  const tl = performance.now();
  await run(
    connection,
    sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
          latency_ms, mfa_challenged, shadow_outcome, source_format, ingest_run_id)
        SELECT event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
               latency_ms, mfa_challenged, shadow_outcome, source_format, ingest_run_id
        FROM read_parquet(${parquet})`,
  );
  await run(connection, sql`CHECKPOINT`);
  const loaded = (performance.now() - tl) / 1000;
  if (!values.keep) await rm(parquet, { force: true });
  console.log(`events ${events.toLocaleString('en-US')} over ${days} days, ${tenants} tenants: Parquet written in ${generated.toFixed(1)} s, loaded into login_events in ${loaded.toFixed(1)} s (DuckDB memory limit ${values.memory})`);
} else {
  await run(connection, sql`CHECKPOINT`);
  console.log(`events ${events.toLocaleString('en-US')} over ${days} days, ${tenants} tenants: reused the store's events (--reuse; DuckDB memory limit ${values.memory})`);
}


const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6; };
/** The bare passes' wall and CPU seconds: (1) the hourly counts, (2) the same statistics as agg_*. */
const bareTimes = async () => {
  const c1 = cpu();
  const t1 = performance.now();
  await run(
    connection,
    sql`CREATE TEMP TABLE bare AS
        SELECT to_timestamp(floor(epoch(ts) / 3600) * 3600) AS hour, tenant, idp, app, region, provider,
               count(*) AS attempts, count(*) FILTER (WHERE outcome = 'failure') AS failures,
               count(mfa_challenged) AS mfa_known, count(*) FILTER (WHERE mfa_challenged) AS mfa_challenged,
               count(*) FILTER (WHERE latency_ms > 0) AS latency_n, sum(ln(latency_ms)) FILTER (WHERE latency_ms > 0) AS latency_sum_log,
               sum(ln(latency_ms) * ln(latency_ms)) FILTER (WHERE latency_ms > 0) AS latency_sumsq_log,
               count(shadow_outcome) AS shadow_pairs
        FROM login_events GROUP BY ALL`,
  );
  const bare = (performance.now() - t1) / 1000;
  const bareCpu = cpu() - c1;

  console.log(`bare GROUP BY of the hourly counts (no user level, no bins): ${bare.toFixed(2)} s wall, ${bareCpu.toFixed(2)} s CPU`);

  // The same statistics as the three agg_* tables, written plainly into temp tables.
  const cell = 'to_timestamp(floor(epoch(ts) / 3600) * 3600) AS hour, tenant, idp, app, region, provider';
  const c1b = cpu();
  const t1b = performance.now();
  await run(
    connection,
    sql`CREATE TEMP TABLE bare_hourly AS
        WITH u AS (
          SELECT ${raw(cell)}, user_id, count(*) AS n, count(*) FILTER (WHERE outcome = 'failure') AS x,
                 count(mfa_challenged) AS mfa_known, count(*) FILTER (WHERE mfa_challenged) AS mfa_challenged,
                 count(*) FILTER (WHERE latency_ms > 0) AS latency_n, sum(ln(latency_ms)) FILTER (WHERE latency_ms > 0) AS latency_sum_log,
                 sum(ln(latency_ms) * ln(latency_ms)) FILTER (WHERE latency_ms > 0) AS latency_sumsq_log,
                 count(shadow_outcome) AS shadow_pairs, count(*) FILTER (WHERE shadow_outcome = 'mismatch') AS shadow_mismatches,
                 count(*) FILTER (WHERE shadow_outcome = 'shadow_error') AS shadow_errors,
                 count(*) FILTER (WHERE outcome = 'failure' AND shadow_outcome IN ('match', 'mismatch')) AS shadow_b,
                 count(*) FILTER (WHERE outcome <> 'failure' AND shadow_outcome = 'shadow_error') AS shadow_c
          FROM login_events GROUP BY ALL
        )
        SELECT hour, tenant, idp, app, region, provider, sum(n) AS attempts, sum(x) AS failures, sum(mfa_known) AS mfa_known,
               sum(mfa_challenged) AS mfa_challenged, sum(latency_n) AS latency_n, sum(latency_sum_log) AS latency_sum_log,
               sum(latency_sumsq_log) AS latency_sumsq_log, sum(shadow_pairs) AS shadow_pairs, sum(shadow_mismatches) AS shadow_mismatches,
               sum(shadow_errors) AS shadow_errors, sum(shadow_b) AS shadow_b, sum(shadow_c) AS shadow_c,
               count(*) AS users, sum(x * x) AS user_sxx, sum(n * n) AS user_snn, sum(n * x) AS user_sxn
        FROM u GROUP BY ALL`,
  );
  await run(
    connection,
    sql`CREATE TEMP TABLE bare_errors AS
        SELECT ${raw(cell)}, error_code, count(*) AS failures FROM login_events WHERE outcome = 'failure' GROUP BY ALL`,
  );
  await run(
    connection,
    sql`CREATE TEMP TABLE bare_latency AS
        SELECT ${raw(cell)}, least(greatest(floor(ln(latency_ms) / ln(1.05)), 0), 240)::SMALLINT AS bin, count(*) AS count
        FROM login_events WHERE latency_ms > 0 GROUP BY ALL`,
  );
  const bareSets = (performance.now() - t1b) / 1000;
  const bareSetsCpu = cpu() - c1b;
  console.log(`bare same statistics as agg_* (user level → K, Σx², Σn², Σxn per cell-hour; error codes; latency bins): ${bareSets.toFixed(2)} s wall, ${bareSetsCpu.toFixed(2)} s CPU`);
  await run(connection, sql`DROP TABLE bare; DROP TABLE bare_hourly; DROP TABLE bare_errors; DROP TABLE bare_latency`);
  return { bare, bareCpu, bareSets, bareSetsCpu };
};
const bareRun = values['build-only'] ? undefined : await bareTimes();


const c2 = cpu();
const t2 = performance.now();
/** Wall and CPU seconds of each phase of the build, printed as each ends. */
const phases: { name: string; wall: number; cpu: number }[] = [];
let last: { name: string; wall: number; cpu: number } | undefined;
let buildHeapPeak = 0;
let buildRssPeak = 0;
const mark = (name: string) => {
  const now = { name, wall: performance.now(), cpu: cpu() };
  sample();
  if (last) {
    const phase = { name: last.name, wall: (now.wall - last.wall) / 1000, cpu: now.cpu - last.cpu };
    phases.push(phase);
    buildHeapPeak = Math.max(buildHeapPeak, phaseHeapPeak);
    buildRssPeak = Math.max(buildRssPeak, phaseRssPeak);
    console.log(`  phase ${phase.name}: ${phase.wall.toFixed(2)} s wall, ${phase.cpu.toFixed(2)} s CPU (peak heap ${mb(phaseHeapPeak)}, RSS ${mb(phaseRssPeak)} in the phase)`);
  }
  last = now;
  phaseHeapPeak = 0;
  phaseRssPeak = 0;
};
const result = await buildBaseline(connection, check.plan, { toolkitVersion: 'bench', now: new Date(), onPhase: mark });
const ours = (performance.now() - t2) / 1000;
const oursCpu = cpu() - c2;
mark('end');
sample();
clearInterval(sampler);
store.close();

const refresh = phases.find((p) => p.name === 'refresh');
console.log(`buildBaseline (refresh + fit + write, ${result.cohorts} cohorts, ${result.rows} rows): ${ours.toFixed(2)} s wall, ${oursCpu.toFixed(2)} s CPU`);
if (bareRun) {
  const { bare, bareCpu, bareSets, bareSetsCpu } = bareRun;
  console.log(`ratio ours / bare hourly counts: ${(ours / bare).toFixed(2)} wall, ${(oursCpu / bareCpu).toFixed(2)} CPU`);
  console.log(`ratio ours / bare same statistics: ${(ours / bareSets).toFixed(2)} wall, ${(oursCpu / bareSetsCpu).toFixed(2)} CPU (target ≤ 1.25 at 100M)`);
  if (refresh) {
    console.log(`ratio our aggregate refresh / bare same statistics: ${(refresh.wall / bareSets).toFixed(2)} wall, ${(refresh.cpu / bareSetsCpu).toFixed(2)} CPU`);
  }
}
const cap = values.uncapped ? 'uncapped' : `capped at ${HEAP_CAP_MB} MB`;
console.log(`peak Node heap ${mb(heapPeak)} (target < 256 MB; ${cap}), peak RSS ${mb(rssPeak)}; during buildBaseline: heap ${mb(buildHeapPeak)}, RSS ${mb(buildRssPeak)}`);
// maxRSS covers the whole process, samples or not: with --build-only that is the store's opening and the build.
console.log(`process peak RSS (getrusage): ${mb(process.resourceUsage().maxRSS * 1024)}${values['build-only'] ? ' = the build alone' : ' (includes generation and the bare passes)'}`);
// --build-only keeps the store it was given: it exists to be measured again.
if (!values.keep && !values['build-only']) await rm(file, { force: true });
