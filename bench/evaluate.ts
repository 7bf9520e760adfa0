// Bench: the pure statistics of `stagewise evaluate` (evaluateStage: the mSPRT over every hourly look
// for every cohort × metric, BH, SRM, scoped rollback) for 10,000 cohorts × 5 metrics in one stage
// take < 2 s of CPU beyond the aggregation scan. Also printed: the JS roll-up of the scan's rows to
// the cohorts (stageInputs), which grows with the number of rows the scan returns.
// Run: npx tsx bench/evaluate.ts [cohorts, default 10000] [hours, default 72]
import { evaluateStage } from '../src/evaluate/evaluate-stage.js';
import type { CellRow, LatencyRow } from '../src/evaluate/cohort-rollup.js';
import { stageInputs, type StageData } from '../src/evaluate/stage-inputs.js';
import { checkPlan } from '../src/plan/plan.js';
import { seededRandom } from '../src/stats/random.js';

const COHORTS = Number(process.argv[2] ?? 10_000);
const HOURS = Number(process.argv[3] ?? 72);
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

// Synthetic aggregate rows as the store returns them: every tenant × hour × provider, sparse latency bins.
const random = seededRandom(5);
const cells: CellRow[] = [];
const errors: StageData['errors'][number][] = [];
const latency: LatencyRow[] = [];
for (let c = 0; c < COHORTS; c++) {
  const tenant = `t${String(c).padStart(5, '0')}`;
  const volume = 20 * Math.exp(random.normal());
  for (let h = 0; h < HOURS; h++) {
    const t = start.getTime() / 1000 + h * 3600;
    for (const [provider, share] of [['new', 0.25], ['old', 0.75]] as const) {
      // Stochastic rounding keeps both providers at the same expected rates (an A/A stage).
      const draw = (mean: number) => Math.floor(mean + random.uniform());
      const attempts = Math.max(1, draw(volume * share));
      const failures = draw(attempts * 0.05);
      cells.push({ t, tenant, provider, attempts, failures, mfa_known: attempts, mfa_challenged: draw(attempts * 0.3), users: Math.ceil(attempts / 2), user_sxx: failures * 1.5, user_snn: attempts * 2.5, user_sxn: failures * 2.2 });
      errors.push({ t, tenant, provider, error_code: 'invalid_grant', failures: draw(failures / 2) });
      for (let k = 0; k < 6; k++) latency.push({ set_id: 1, cohort_key: `tenant=${tenant}`, t, provider, bin: 110 + 3 * k + Math.floor(3 * random.uniform()), count: draw(attempts / 6) });
    }
  }
}
const data: StageData = {
  plan, stage, window: { from: start, to: new Date(start.getTime() + HOURS * 3_600_000) },
  baseline: { cohorts: [], shapes: new Map() }, cells, errors, latency, baselineHistograms: [],
  units: Array.from({ length: COHORTS }, (_, c) => [['new', 25], ['old', 75]].map(([provider, units]) => ({ set_id: 1, cohort_key: `tenant=t${String(c).padStart(5, '0')}`, provider: String(provider), units: Number(units) }))).flat(),
};

// CPU time of this process (user + system), so a busy shared machine does not inflate the figure.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const t0 = cpuMs();
const prepared = stageInputs(data);
const t1 = cpuMs();
const findings = evaluateStage({ inputs: prepared.inputs, metrics: plan.metrics, alpha: plan.alpha, providers: plan.providers, share: stage.share, unit: stage.unit, units: prepared.units, unjudged: prepared.unjudged });
const t2 = cpuMs();
const total = t2 - t1;
console.log(`evaluate (pure part): ${COHORTS.toLocaleString('en-US')} cohorts + everyone × ${plan.metrics.length} metrics, ${HOURS} hourly looks, ${cells.length.toLocaleString('en-US')} cell rows, ${latency.length.toLocaleString('en-US')} latency rows`);
console.log(`CPU time: rollup to cohorts (stageInputs) ${(t1 - t0).toFixed(0)} ms; mSPRT over every look + BH + SRM + rollback (evaluateStage) ${(t2 - t1).toFixed(0)} ms`);
console.log(`evaluateStage ${total.toFixed(0)} ms of CPU (budget ${BUDGET_MS} ms); ${findings.results.length.toLocaleString('en-US')} results, ${findings.srm.length.toLocaleString('en-US')} SRM checks`);
if (total >= BUDGET_MS) process.exitCode = 1;
