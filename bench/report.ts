// Bench: a report for 1,000 cohorts × 5 metrics renders in < 3 s and is < 3 MB.
// Run: npx tsx bench/report.ts   (prints time and size; exits 1 when a budget is missed)
import { writeFileSync } from 'node:fs';
import { renderReport } from '../src/report/render-report.js';
import type { ReportInput } from '../src/report/report-input.js';
import type { CohortResult, CohortSeries, Evaluation, StagePlanRow, Verdict } from '../src/types.js';

const COHORTS = 1000;
const METRICS = ['success_rate', 'error_rate:invalid_grant', 'mfa_rate', 'latency_p95', 'shadow_mismatch_rate'] as const;
const TIME_BUDGET_MS = 3000;
const SIZE_BUDGET_BYTES = 3 * 1024 * 1024;

/** A fixed linear congruential generator, so every run renders the same page. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function result(tenant: string, metric: string, u: () => number): CohortResult {
  const latency = metric.startsWith('latency');
  const expected = latency ? 200 + 600 * u() : metric === 'shadow_mismatch_rate' ? 0.003 : 0.9 + 0.09 * u();
  const effect = (u() - 0.5) * (latency ? 0.2 : 0.01);
  const half = (latency ? 0.05 : 0.004) * (0.5 + u());
  const verdict: Verdict = effect - half > (latency ? 0.02 : 0.002) ? 'regression' : Math.abs(effect) < half ? 'pass' : 'inconclusive';
  return {
    cohort: { tenant }, metric, design: metric === 'shadow_mismatch_rate' ? 'shadow_paired' : 'within_cohort_split', verdict,
    observed: latency ? expected * (1 + effect) : expected + effect, expected, effect, ci: [effect - half, effect + half],
    p_value: u(), p_adjusted: u(), n: Math.round(1000 + 50000 * u()), n_control: Math.round(3000 + 150000 * u()),
    tolerance: latency ? 0.1 : 0.005, method: 'mSPRT, delta-method variance',
  };
}

function syntheticInput(): ReportInput {
  const u = random(7);
  const tenants = Array.from({ length: COHORTS }, (_, i) => `t${String(i).padStart(4, '0')}`);
  const results = tenants.flatMap((t) => METRICS.map((m) => result(t, m, u)));
  const regressions = results.map((r, i) => [r, i] as const).filter(([r]) => r.verdict === 'regression');
  const evaluation: Evaluation = {
    schema: 'stagewise.evaluation/v1', evaluation_id: 'ev-bench', created_at: '2026-10-23T18:00:00Z', toolkit_version: '0.1.0',
    baseline_id: 'bs-bench', plan_name: 'bench', plan_hash: 'f'.repeat(64), stage: 'stage-2',
    window: { start: '2026-10-21T00:00:00Z', end: '2026-10-23T18:00:00Z' }, alpha: 0.05,
    sequential: { method: 'mSPRT normal mixture', tuned_at: '0.5 pp at 72 looks', note: '' },
    srm: tenants.slice(0, 20).map((t) => ({ cohort: { tenant: t }, unit: 'user', expected_share: 0.25, observed_share: 0.25 + (u() - 0.5) * 0.01, units_candidate: 5000, units_total: 20000, p_value: u(), mismatch: false })),
    results,
    rollback: { rules: regressions.map(([r, i]) => ({ cohort: r.cohort, justified_by: [i] })), flagd: { flags: {} } },
  };
  const stagePlan: StagePlanRow[] = ['stage-1', 'stage-2'].flatMap((stage) =>
    results.map((r) => ({ stage, dimensions: ['tenant'], cohort: r.cohort, metric: r.metric, expected_n_candidate: r.n, expected_n_legacy: r.n_control, baseline_value: r.expected ?? 0, mde_fixed: 0.003, mde_sequential: 0.004 + 0.004 * u(), tolerance: r.tolerance, detectable: u() > 0.2 })),
  );
  const start = Date.parse('2026-10-14T00:00:00Z');
  // A week of baseline and the stages so far, hourly; both providers from stage-1 on (as the store gives them).
  const stage1 = Date.parse('2026-10-19T00:00:00Z');
  const series: CohortSeries[] = regressions.slice(0, 12).map(([r]) => ({
    cohort: r.cohort, metric: r.metric,
    points: Array.from({ length: 234 }, (_, h) => start + h * 3_600_000).flatMap((t) =>
      (t >= stage1 ? ['auth0', 'keycloak'] : ['auth0']).map((provider) => ({
        hour: new Date(t).toISOString(), provider, observed: (r.expected ?? 0) * (1 + (u() - 0.5) * 0.01), n: 500,
        expected: r.expected ?? 0, lower: (r.expected ?? 0) * 0.99, upper: (r.expected ?? 0) * 1.01,
      })),
    ),
  }));
  return {
    plan: {
      name: 'bench', providers: { legacy: 'auth0', candidate: 'keycloak' }, hash: 'f'.repeat(64), alpha: 0.05, power: 0.8,
      stages: [
        { name: 'stage-1', start: '2026-10-19T00:00:00Z', end: '2026-10-21T00:00:00Z', share: 0.05, unit: 'user' },
        { name: 'stage-2', start: '2026-10-21T00:00:00Z', end: '2026-10-24T00:00:00Z', share: 0.25, unit: 'user' },
      ],
      metrics: METRICS.map((name) => ({ name, direction: 'lower_is_better' as const, tolerance: name.startsWith('latency') ? 0.1 : 0.005 })),
    },
    evaluations: [evaluation], decisions: [], stagePlan, series, baseline: null,
    generatedAt: '2026-10-23T19:00:00Z', toolkitVersion: '0.1.0',
  };
}

const input = syntheticInput();
await renderReport(input); // warm-up: module loading and JIT are not what the budget is about
const started = performance.now();
const cpuStarted = process.cpuUsage();
const page = await renderReport(input);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
// BENCH_OUT=file keeps the page, to look at what was measured.
if (process.env['BENCH_OUT']) writeFileSync(process.env['BENCH_OUT'], page);
const bytes = Buffer.byteLength(page);
const regressions = input.evaluations[0]?.results.filter((r) => r.verdict === 'regression').length ?? 0;
console.log(`report: ${COHORTS.toLocaleString('en-US')} cohorts × ${METRICS.length} metrics (${regressions} regressions), stage plan for 2 stages, 12 flagged series (8 drawn)`);
// CPU time says what the render costs when other processes share the cores; the budget is on wall time.
console.log(`render: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (budget ${TIME_BUDGET_MS} ms)`);
console.log(`size:   ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes.toLocaleString('en-US')} bytes; budget 3 MB)`);
if (ms >= TIME_BUDGET_MS || bytes >= SIZE_BUDGET_BYTES) process.exitCode = 1;
