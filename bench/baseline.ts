/**
 * Baseline benchmark: a bare DuckDB GROUP BY of the hourly counts vs the full `buildBaseline`
 * (aggregate refresh + every cohort's fit + snapshot write) on the same generated events.
 *
 *   npx tsx bench/baseline.ts [--events 1000000] [--days 28] [--tenants 200] [--dir /tmp/stagewise-bench] [--threads N]
 *
 * Generates N login events in DuckDB with one SQL statement (tenants × 4 IdPs × 3 apps × 3
 * regions, a daily cycle, per-hour noise, user retries, log-normal latency), then times, in the
 * same store: (1) bare — `CREATE TEMP TABLE AS SELECT hour, cell, count(*), failures, mfa, latency
 * sums … GROUP BY` (the counts of agg_hourly, without the user level); (1b) bare — one GROUPING SETS
 * pass computing the same counts as the three agg_* tables; (2) ours — `buildBaseline`
 * for a plan with tenant, idp, tenant × idp and five metrics. Prints wall and CPU seconds (CPU is
 * the fairer ratio on a shared machine), the ratios, peak Node heap and RSS. Targets at 100M events: ours ≤ 1.25 × bare, heap < 256 MB.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBaseline } from '../src/baseline/build-baseline.js';
import { checkPlan } from '../src/plan/plan.js';
import { openStore } from '../src/store/open.js';
import { run } from '../src/store/query.js';
import { sql } from '../src/store/sql.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '28' },
    tenants: { type: 'string', default: '200' },
    dir: { type: 'string', default: '/tmp/stagewise-bench' },
    threads: { type: 'string' },
  },
});
const events = Number(values.events);
const days = Number(values.days);
const tenants = Number(values.tenants);
const start = '2026-08-01T00:00:00Z';

let heapPeak = 0;
let rssPeak = 0;
const sample = () => {
  const { heapUsed, rss } = process.memoryUsage();
  heapPeak = Math.max(heapPeak, heapUsed);
  rssPeak = Math.max(rssPeak, rss);
};
const sampler = setInterval(sample, 20);

await mkdir(values.dir, { recursive: true });
const file = join(values.dir, `baseline-${events}.duckdb`);
await rm(file, { force: true });
const store = await openStore(file, values.threads ? { threads: Number(values.threads) } : {});
const { connection } = store;

const t0 = performance.now();
await run(connection, sql`SELECT setseed(0.5)`);
await run(
  connection,
  sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
        latency_ms, mfa_challenged, shadow_outcome, source_format, ingest_run_id)
      WITH e AS (
        SELECT i, floor(random() * ${days * 24})::BIGINT AS h, floor(pow(random(), 2) * ${tenants})::BIGINT AS t,
               floor(random() * 4)::BIGINT AS d, floor(random() * 3)::BIGINT AS a, random() AS u, random() AS v
        FROM range(${events}) r(i)
      )
      SELECT 'e' || i, ${start}::TIMESTAMPTZ + to_hours(h) + to_seconds(floor(v * 3600)::BIGINT),
             'u' || t || '-' || floor(u * 500)::BIGINT, 't' || t, 'idp' || d, 'app' || a, 'r' || (t % 3), 'legacy',
             CASE WHEN v < 0.02 * (1 + 0.5 * sin(2 * pi() * h / 24)) * (1 + d / 4) THEN 'failure' ELSE 'success' END,
             CASE WHEN v < 0.008 THEN 'invalid_grant' WHEN v < 0.03 THEN 'upstream_timeout' END,
             exp(5 + 0.4 * (u + v - 1) + 0.1 * sin(2 * pi() * h / 24)), u < 0.3, NULL, 'bench', 'bench'
      FROM e`,
);
const generated = (performance.now() - t0) / 1000;

const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6; };
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

// The same counts as the three agg_* tables (user level, error codes, latency bins) in one bare GROUPING SETS pass.
const c1b = cpu();
const t1b = performance.now();
await run(
  connection,
  sql`CREATE TEMP TABLE bare_sets AS
      WITH e AS (
        SELECT to_timestamp(floor(epoch(ts) / 3600) * 3600) AS hour, tenant, idp, app, region, provider, user_id,
               CASE WHEN outcome = 'failure' THEN error_code END AS err,
               CASE WHEN latency_ms > 0 THEN least(greatest(floor(ln(latency_ms) / ln(1.05)), 0), 240)::SMALLINT END AS bin,
               outcome = 'failure' AS failed, mfa_challenged, latency_ms
        FROM login_events
      )
      SELECT hour, tenant, idp, app, region, provider, user_id, err, bin, count(*) AS attempts, count(*) FILTER (WHERE failed) AS failures,
             count(mfa_challenged) AS mfa_known, count(*) FILTER (WHERE mfa_challenged) AS mfa_challenged,
             sum(ln(latency_ms)) FILTER (WHERE latency_ms > 0) AS latency_sum_log
      FROM e
      GROUP BY GROUPING SETS ((hour, tenant, idp, app, region, provider, user_id), (hour, tenant, idp, app, region, provider, err),
                              (hour, tenant, idp, app, region, provider, bin))`,
);
const bareSets = (performance.now() - t1b) / 1000;
const bareSetsCpu = cpu() - c1b;

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
  baseline: { start: '2026-08-01', end: new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10) },
  stages: [{ name: 's1', start: '2026-10-01', end: '2026-10-05', share: 0.05 }],
});
if (!check.ok) throw new Error(check.problems.join('; '));
const c2 = cpu();
const t2 = performance.now();
const result = await buildBaseline(connection, check.plan, { toolkitVersion: 'bench', now: new Date() });
const ours = (performance.now() - t2) / 1000;
const oursCpu = cpu() - c2;
sample();
clearInterval(sampler);
store.close();

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
console.log(`events ${events.toLocaleString('en-US')} over ${days} days, ${tenants} tenants (generated in ${generated.toFixed(1)} s)`);
console.log(`bare GROUP BY of the hourly counts: ${bare.toFixed(2)} s wall, ${bareCpu.toFixed(2)} s CPU`);
console.log(`bare GROUPING SETS of the same counts as agg_* (user level, error codes, bins): ${bareSets.toFixed(2)} s wall, ${bareSetsCpu.toFixed(2)} s CPU`);
console.log(`buildBaseline (refresh + fit + write, ${result.cohorts} cohorts, ${result.rows} rows): ${ours.toFixed(2)} s wall, ${oursCpu.toFixed(2)} s CPU`);
console.log(`ratio ours / bare hourly counts: ${(ours / bare).toFixed(2)} wall, ${(oursCpu / bareCpu).toFixed(2)} CPU (target ≤ 1.25 at 100M)`);
console.log(`ratio ours / bare same counts: ${(ours / bareSets).toFixed(2)} wall, ${(oursCpu / bareSetsCpu).toFixed(2)} CPU`);
console.log(`peak Node heap ${mb(heapPeak)} (target < 256 MB), peak RSS ${mb(rssPeak)}`);
