// Synthetic report inputs, deterministic (a fixed generator), for bench/report.ts and the report's size test:
// - benchInput(): 1,000 cohorts × 5 metrics in one stage, a two-stage stage plan and 12 series (the 3 s / 3 MB budget);
// - demoInput(): shaped like the simulated demo store (simulate --seed 7 --days 56 --tenants 40, five stages),
//   with its counts: 121 cohorts × 4 metrics per stage, the verdict mix of each stage, 3,025 stage-plan rows,
//   the shared "no legacy traffic left" note at 100%, and its 7 regressions' series over the week before their stage and the stage (the 500 KB budget).
import type { ReportInput, ReportStage } from '../src/report/report-input.js';
import type { Cohort, CohortResult, CohortSeries, Evaluation, StagePlanRow, Verdict } from '../src/types.js';

/** A fixed linear congruential generator, so every run renders the same page. */
export function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function result(cohort: Cohort, metric: string, u: () => number, verdict?: Verdict): CohortResult {
  const latency = metric.startsWith('latency');
  const expected = latency ? 200 + 600 * u() : metric === 'shadow_mismatch_rate' ? 0.003 : 0.9 + 0.09 * u();
  const effect = (u() - 0.5) * (latency ? 0.2 : 0.01);
  const half = (latency ? 0.05 : 0.004) * (0.5 + u());
  const judged: Verdict = verdict ?? (effect - half > (latency ? 0.02 : 0.002) ? 'regression' : Math.abs(effect) < half ? 'pass' : 'inconclusive');
  const base = {
    cohort, metric, design: metric === 'shadow_mismatch_rate' ? 'shadow_paired' : 'within_cohort_split', verdict: judged,
    tolerance: latency ? 0.1 : 0.005, method: 'mSPRT, delta-method variance',
  } as const;
  if (judged === 'insufficient_data') {
    const n = Math.round(5 + 60 * u());
    return { ...base, observed: null, expected, effect: null, ci: null, p_value: null, p_adjusted: null, n, n_control: Math.round(50 * u()), note: `${n} candidate logins; needs about ${(1000 + Math.round(4000 * u())).toLocaleString('en-US')} to detect 0.5 pp` };
  }
  return {
    ...base, observed: latency ? expected * (1 + effect) : expected + effect, expected, effect, ci: [effect - half, effect + half],
    p_value: u(), p_adjusted: u(), n: Math.round(1000 + 50000 * u()), n_control: Math.round(3000 + 150000 * u()),
  };
}

function evaluation(stage: string, window: { start: string; end: string }, results: CohortResult[], srm: Evaluation['srm']): Evaluation {
  const regressions = results.map((r, i) => [r, i] as const).filter(([r]) => r.verdict === 'regression');
  return {
    schema: 'stagewise.evaluation/v1', evaluation_id: `ev-${stage}`, created_at: window.end, toolkit_version: '0.1.0',
    baseline_id: 'bs-bench', plan_name: 'bench', plan_hash: 'f'.repeat(64), stage, window, alpha: 0.05,
    sequential: { method: 'mSPRT normal mixture', tuned_at: '0.5 pp at 72 looks', note: '' },
    srm, results,
    rollback: { rules: regressions.map(([r, i]) => ({ cohort: r.cohort, justified_by: [i] })), flagd: { flags: {} } },
  };
}

/** Hourly points over `hours` from `start`, both providers from `candidateFrom` on (as the store gives them). */
function series(result: CohortResult, start: number, hours: number, candidateFrom: number, u: () => number): CohortSeries {
  const expected = result.expected ?? 0;
  return {
    cohort: result.cohort, metric: result.metric,
    points: Array.from({ length: hours }, (_, h) => start + h * 3_600_000).flatMap((t) =>
      (t >= candidateFrom ? ['auth0', 'keycloak'] : ['auth0']).map((provider) => ({
        hour: new Date(t).toISOString(), provider, observed: expected * (1 + (u() - 0.5) * 0.01), n: 500,
        expected, lower: expected * 0.99, upper: expected * 1.01,
      })),
    ),
  };
}

const METRICS = ['success_rate', 'error_rate:invalid_grant', 'mfa_rate', 'latency_p95', 'shadow_mismatch_rate'] as const;

function plan(name: string, stages: ReportStage[], metrics: readonly string[]): ReportInput['plan'] {
  return {
    name, providers: { legacy: 'auth0', candidate: 'keycloak' }, hash: 'f'.repeat(64), alpha: 0.05, power: 0.8, stages,
    metrics: metrics.map((m) => ({ name: m, direction: m === 'success_rate' ? 'higher_is_better' as const : 'lower_is_better' as const, tolerance: m.startsWith('latency') ? 0.1 : 0.005 })),
  };
}

/** 1,000 cohorts × 5 metrics in stage-2, a stage plan for two stages and 12 flagged series. */
export function benchInput(cohorts = 1000): ReportInput {
  const u = random(7);
  const tenants = Array.from({ length: cohorts }, (_, i) => `t${String(i).padStart(4, '0')}`);
  const results = tenants.flatMap((t) => METRICS.map((m) => result({ tenant: t }, m, u)));
  const srm = tenants.slice(0, 20).map((t) => ({ cohort: { tenant: t }, unit: 'user' as const, expected_share: 0.25, observed_share: 0.25 + (u() - 0.5) * 0.01, units_candidate: 5000, units_total: 20000, p_value: u(), mismatch: false }));
  const stagePlan: StagePlanRow[] = ['stage-1', 'stage-2'].flatMap((stage) =>
    results.map((r) => ({ stage, dimensions: ['tenant'], cohort: r.cohort, metric: r.metric, expected_n_candidate: r.n, expected_n_legacy: r.n_control, baseline_value: r.expected ?? 0, mde_fixed: 0.003, mde_sequential: 0.004 + 0.004 * u(), mde_sequential_bh: 0.012, family_size: results.length, tolerance: r.tolerance, detectable: u() > 0.2 })),
  );
  const start = Date.parse('2026-10-14T00:00:00Z');
  const stage1 = Date.parse('2026-10-19T00:00:00Z');
  const flagged = results.filter((r) => r.verdict === 'regression').slice(0, 12);
  return {
    plan: plan('bench', [
      { name: 'stage-1', start: '2026-10-19T00:00:00Z', end: '2026-10-21T00:00:00Z', share: 0.05, unit: 'user' },
      { name: 'stage-2', start: '2026-10-21T00:00:00Z', end: '2026-10-24T00:00:00Z', share: 0.25, unit: 'user' },
    ], METRICS),
    evaluations: [evaluation('stage-2', { start: '2026-10-21T00:00:00Z', end: '2026-10-23T18:00:00Z' }, results, srm)],
    decisions: [], stagePlan, series: flagged.map((r) => series(r, start, 234, stage1, u)), baseline: null,
    generatedAt: '2026-10-23T19:00:00Z', toolkitVersion: '0.1.0',
  };
}

/** The demo store's five stages: name, start day (from 2026-09-29), length in days, share, and its verdict counts. */
const DEMO_STAGES = [
  { day: 0, days: 3, share: 0.02, verdicts: { regression: 2, improvement: 1, inconclusive: 121, pass: 8, insufficient_data: 328 }, detectable: 6 },
  { day: 3, days: 4, share: 0.05, verdicts: { regression: 2, improvement: 3, inconclusive: 137, pass: 31, insufficient_data: 307 }, detectable: 17 },
  { day: 7, days: 5, share: 0.25, verdicts: { regression: 0, improvement: 0, inconclusive: 266, pass: 81, insufficient_data: 137 }, detectable: 80 },
  { day: 12, days: 5, share: 0.5, verdicts: { regression: 0, improvement: 0, inconclusive: 252, pass: 105, insufficient_data: 127 }, detectable: 104 },
  { day: 17, days: 5, share: 1, verdicts: { regression: 3, improvement: 37, inconclusive: 250, pass: 102, insufficient_data: 92 }, detectable: 188 },
] as const;
const DEMO_METRICS = ['success_rate', 'latency_p95', 'mfa_rate', 'error_rate:upstream_timeout'] as const;
const DAY_MS = 86_400_000;
const NO_LEGACY = 'no legacy traffic left: population drift and incidents are not removed (statistics.md 2.3), so a verdict here can be drift; keep a holdback (statistics.md 9)';

/** The demo store's 121 cohorts: everyone, 40 tenants, 5 IdPs, 5 apps, 5 regions and 65 tenant × IdP pairs. */
function demoCohorts(): Cohort[] {
  const idps = ['okta-oidc', 'azure-ad-saml', 'google-oidc', 'pingfed-saml', 'adfs-saml'];
  const tenants = Array.from({ length: 40 }, (_, i) => `t${String(i + 1).padStart(3, '0')}`);
  return [
    {},
    ...tenants.map((tenant) => ({ tenant })),
    ...idps.map((idp) => ({ idp })),
    ...['web', 'ios', 'android', 'cli', 'admin-portal'].map((app) => ({ app })),
    ...['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south'].map((region) => ({ region })),
    ...Array.from({ length: 65 }, (_, i) => ({ tenant: tenants[i % 40] as string, idp: idps[(i * 3 + Math.floor(i / 40)) % 5] as string })),
  ];
}

/** A report input with the demo store's shape and counts (see the file comment); no decision, no SRM check. */
export function demoInput(): ReportInput {
  const u = random(11);
  const cohorts = demoCohorts();
  const first = Date.parse('2026-09-29T00:00:00Z');
  const iso = (t: number) => new Date(t).toISOString();
  const stages: ReportStage[] = DEMO_STAGES.map((s, i) => ({ name: `stage-${i + 1}`, start: iso(first + s.day * DAY_MS), end: iso(first + (s.day + s.days) * DAY_MS), share: s.share, unit: 'user' }));
  const evaluations = DEMO_STAGES.map((s, i) => {
    const verdicts = Object.entries(s.verdicts).flatMap(([v, n]) => Array.from({ length: n }, () => v as Verdict));
    const results = cohorts
      .flatMap((cohort) => DEMO_METRICS.map((metric) => ({ cohort, metric })))
      .slice(0, verdicts.length)
      .map(({ cohort, metric }, j) => result(cohort, metric, u, verdicts[(j * 7) % verdicts.length]));
    // At 100% there is no legacy traffic left: most results are projections carrying the same note.
    if (s.share === 1) for (const r of results) if (r.verdict !== 'insufficient_data') Object.assign(r, { design: 'baseline_projection', n_control: 0, note: NO_LEGACY });
    const stage = stages[i] as ReportStage;
    return evaluation(stage.name, { start: stage.start, end: stage.end }, results, []);
  });
  const advice = (stage: string, cohort: Cohort, k: number) =>
    k % 4 === 0 ? 'judge through parent everyone' : k % 4 === 1 ? `untestable in ${stage}, even through a parent: raise the share or aggregate` : k % 4 === 2 ? `judge through parent idp=${cohort.idp ?? 'okta-oidc'}` : `lengthen ${stage} to ~${5 + (k % 17)} days`;
  const stagePlan: StagePlanRow[] = DEMO_STAGES.flatMap((s, i) => {
    const stage = `stage-${i + 1}`;
    return cohorts.flatMap((cohort, c) => [...DEMO_METRICS, 'shadow_mismatch_rate'].map((metric, m): StagePlanRow => {
      const k = c * 5 + m;
      const detectable = (k * 37) % 605 < s.detectable;
      return {
        stage, dimensions: Object.keys(cohort) as StagePlanRow['dimensions'], cohort, metric, expected_n_candidate: 100 + 10000 * u(), expected_n_legacy: 50000 * u(),
        baseline_value: 0.9, mde_fixed: 0.003 + 0.02 * u(), mde_sequential: 0.004 + 0.03 * u(), mde_sequential_bh: 0.01 + 0.05 * u(), family_size: cohorts.length * 6, tolerance: metric.startsWith('latency') ? 0.1 : 0.005, detectable,
        ...(detectable ? {} : { advice: advice(stage, cohort, k) }),
      };
    }));
  });
  // Flagged series: the week before the flagging stage and that stage (as `stagewise report` reads them).
  const flagged = evaluations.flatMap((e, i) => e.results.filter((r) => r.verdict === 'regression').map((r) => ({ r, s: DEMO_STAGES[i] as (typeof DEMO_STAGES)[number] })));
  const seriesList = flagged.slice(0, 8).map(({ r, s }) => series(r, first + (s.day - 7) * DAY_MS, (7 + s.days) * 24, first, u));
  return {
    plan: plan('simulated migration (demo-sized)', stages, DEMO_METRICS),
    evaluations, decisions: [], stagePlan, series: seriesList, baseline: null,
    generatedAt: '2026-10-21T06:00:00Z', toolkitVersion: '0.1.0',
  };
}
