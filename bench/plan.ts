/**
 * Stage-planning benchmark: `stagePlan` over synthetic baselines held in memory.
 *
 *   npx tsx bench/plan.ts [--cohorts 10000] [--stages 4]
 *
 * Builds N cohorts (everyone, tenants, idps, tenant × idp) × 5 metrics with hour-of-week volumes
 * spread over four orders of magnitude, then times `stagePlan` for every stage. Prints rows, time
 * and the share of rows detectable. Target: 10k cohorts × 5 metrics × 4 stages in < 2 s.
 */
import { parseArgs } from 'node:util';
import { checkPlan } from '../src/plan/plan.js';
import { stagePlan, type CohortTraffic } from '../src/plan/stage-plan.js';
import { seededRandom } from '../src/stats/random.js';
import type { CohortBaseline, Dimension } from '../src/types.js';

const { values } = parseArgs({ options: { cohorts: { type: 'string', default: '10000' }, stages: { type: 'string', default: '4' } } });
const cohortCount = Number(values.cohorts);
const stageCount = Number(values.stages);
const metrics = ['success_rate', 'error_rate:invalid_grant', 'mfa_rate', 'latency_p95', 'shadow_mismatch_rate'];
const tolerance: Record<string, number> = { success_rate: 0.005, 'error_rate:invalid_grant': 0.005, mfa_rate: 0.02, latency_p95: 0.1, shadow_mismatch_rate: 0.002 };
const check = checkPlan({
  name: 'bench',
  providers: { legacy: 'old', candidate: 'new' },
  dimensions: [['tenant'], ['idp'], ['tenant', 'idp']],
  metrics: metrics.map((name) => ({ name, tolerance: tolerance[name] })),
  baseline: { start: '2026-08-04', end: '2026-09-01' },
  stages: Array.from({ length: stageCount }, (_, i) => ({
    name: `stage-${i + 1}`, start: `2026-09-${String(1 + 7 * i).padStart(2, '0')}`, end: `2026-09-${String(8 + 7 * i).padStart(2, '0')}`,
    share: [0.01, 0.05, 0.25, 0.5, 1][i] ?? 1, unit: i % 2 === 0 ? 'user' : 'tenant',
  })),
});
if (!check.ok) throw new Error(check.problems.join('; '));
const plan = check.plan;

const random = seededRandom(7);
const cohorts: CohortBaseline[] = [];
const traffic = new Map<string, CohortTraffic>();
const shape = Float64Array.from({ length: 168 }, (_, h) => 1 + 0.6 * Math.sin((2 * Math.PI * (h % 24)) / 24));
for (let i = 0; i < cohortCount; i++) {
  const [dimensions, values]: [Dimension[], string[]] =
    i === 0 ? [[], []] : i < 400 ? [['tenant'], [`t${i}`]] : i < 410 ? [['idp'], [`idp${i}`]] : [['tenant', 'idp'], [`t${i % 400}`, `idp${i % 10}`]];
  const key = dimensions.map((d, k) => `${d}=${values[k]}`).join('|');
  const perHour = 10 ** (4 * random.uniform()) / 10;
  traffic.set(`${dimensions.join(',')}|${key}`, {
    attemptsPerHour: Float64Array.from(shape, (s) => s * perHour), designEffect: 1 + random.uniform(), tenants: 3, tenantsEffective: 2.5, logSd: 0.6,
  });
  for (const metric of metrics) {
    const mean = metric === 'latency_p95' ? 350 : metric === 'success_rate' ? 0.97 : 0.02;
    cohorts.push({
      snapshotId: 'bench', dimensions, cohort: Object.fromEntries(dimensions.map((d, k) => [d, values[k]])), cohortKey: key, metric,
      windows: 672, n: perHour * 672, x: perHour * 672 * (metric === 'latency_p95' ? 0.05 : mean), level: 0, trendPerDay: 0,
      tBar: new Date('2026-08-18T00:00:00Z'), varLevel: 1e-4, varTrend: 1e-7, covLevelTrend: 0, tau2: 0.02, phi: 1.3,
      shapeKey: '', shapeSource: 'global', shrunk: false, shrinkWeight: 1, mean,
    });
  }
}
const inputs = { cohorts, traffic, baselineFrom: plan.baseline.start, baselineTo: plan.baseline.end };
stagePlan(plan, { ...inputs, cohorts: cohorts.slice(0, 500) }); // warm up the JIT
const started = performance.now();
const rows = stagePlan(plan, inputs);
const ms = performance.now() - started;
const detectable = rows.filter((r) => r.detectable).length;
console.log(`stagePlan: ${cohortCount} cohorts × ${metrics.length} metrics × ${stageCount} stages = ${rows.length} rows in ${(ms / 1000).toFixed(2)} s (target < 2 s); ${((100 * detectable) / rows.length).toFixed(1)}% detectable; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
