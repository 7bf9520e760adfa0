// Bench: a report for 1,000 cohorts × 5 metrics renders in < 3 s and is < 3 MB; a demo-sized one is < 500 KB.
// Run: npx tsx bench/report.ts   (prints time and size; exits 1 when a budget is missed)
import { writeFileSync } from 'node:fs';
import { renderReport } from '../src/report/render-report.js';
import { SERIES_CHARTS } from '../src/report/sections/charts-section.js';
import { benchInput, demoInput } from './report-input.js';

const COHORTS = 1000;
const METRICS = 5;
const TIME_BUDGET_MS = 3000;
const SIZE_BUDGET_BYTES = 3 * 1024 * 1024;
/** The demo-sized report (five stages of the simulated store) must stay under 500 KB; test/report/report-size.test.ts asserts it too. */
const DEMO_BUDGET_BYTES = 500 * 1024;

const input = benchInput(COHORTS);
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
console.log(`report: ${COHORTS.toLocaleString('en-US')} cohorts × ${METRICS} metrics (${regressions} regressions), stage plan for 2 stages, 12 flagged series (${SERIES_CHARTS} drawn)`);
// CPU time says what the render costs when other processes share the cores; the budget is on wall time.
console.log(`render: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (budget ${TIME_BUDGET_MS} ms)`);
console.log(`size:   ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes.toLocaleString('en-US')} bytes; budget 3 MB)`);
const demo = Buffer.byteLength(await renderReport(demoInput()));
console.log(`demo:   ${(demo / 1024).toFixed(0)} KB (${demo.toLocaleString('en-US')} bytes; budget 500 KB) for five stages of ~480 results and 3,025 stage-plan rows`);
if (ms >= TIME_BUDGET_MS || bytes >= SIZE_BUDGET_BYTES || demo >= DEMO_BUDGET_BYTES) process.exitCode = 1;
