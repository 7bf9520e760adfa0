import { describe, expect, it } from 'vitest';
import { hourOfWeek } from '../../src/evaluate/projection.js';
import { evaluatedSets, stageInputs, type StageData } from '../../src/evaluate/stage-inputs.js';
import { checkPlan, type Plan } from '../../src/plan/plan.js';
import { histogramQuantile } from '../../src/stats/histogram-quantile.js';
import { woodruffInterval } from '../../src/stats/woodruff-interval.js';
import { LATENCY_BIN_COUNT } from '../../src/stats/latency-histogram.js';
import type { CohortBaseline } from '../../src/types.js';
import { cellRows, latencyRows } from './window-rows.js';

const DAY_MS = 86_400_000;

function plan(share: number, unit: 'user' | 'tenant' = 'user', dimensions: string[][] = [['tenant']]): Plan {
  const checked = checkPlan({
    name: 'p', providers: { legacy: 'old', candidate: 'new' }, dimensions, metrics: [{ name: 'latency_p95', tolerance: 0.1 }],
    baseline: { start: '2026-09-01', end: '2026-09-29' },
    stages: [{ name: 's1', start: '2026-10-05', end: '2026-10-10', share, unit }],
  });
  if (!checked.ok) throw new Error(checked.problems.join('\n'));
  return checked.plan;
}

const tBar = new Date('2026-09-15T00:00:00Z');
const baseline = (dimensions: CohortBaseline['dimensions'], cohortKey: string, extra: Partial<CohortBaseline> = {}): CohortBaseline => ({
  snapshotId: 'bl-1', dimensions, cohort: cohortKey ? { tenant: 't1' } : {}, cohortKey, metric: 'latency_p95', windows: 672, n: 1e5, x: 0,
  level: 6.2, trendPerDay: 0.001, tBar, varLevel: 1e-4, varTrend: 1e-6, covLevelTrend: -2e-6, tau2: 0.01, phi: 1,
  shapeKey: 'shape', shapeSource: 'own', shrunk: false, shrinkWeight: 1, mean: 500, ...extra,
});

/** A 100% stage (baseline_projection): tenant t1 on the candidate for 4 hours, 300 observations an hour in bin 130. */
function data(own: CohortBaseline): StageData {
  const p = plan(1);
  const stage = p.stages[0]!;
  const from = stage.start;
  const sets = evaluatedSets(p);
  const tenantSet = sets.find((s) => s.dimensions.length === 1)!;
  const hours = [0, 1, 2, 3].map((h) => from.getTime() / 1000 + h * 3600);
  const shape = Float64Array.from({ length: 168 }, (_, how) => 0.1 * Math.sin(how / 10));
  return {
    plan: p, stage, window: { from, to: new Date(from.getTime() + 4 * 3_600_000) },
    baseline: { cohorts: [baseline([], ''), own], shapes: new Map([['shape|latency_p95', shape]]) },
    cells: cellRows(hours.map((t) => ({ t, tenant: 't1', provider: 'new', attempts: 300, failures: 0, mfa_known: 0, mfa_challenged: 0, users: 300, user_sxx: 0, user_snn: 300, user_sxn: 0 }))),
    errors: [],
    latency: latencyRows(hours.map((t) => ({ set_id: tenantSet.id, cohort_key: 'tenant=t1', t, provider: 'new', bin: 130, count: 300 }))),
    baselineHistograms: [120, 125, 130, 135].map((bin) => ({ dimensions: 'tenant', cohort_key: 'tenant=t1', bin, count: 1000 })),
    units: [],
  };
}

describe('stageInputs', () => {
  it('projects a latency quantile from the pooled baseline histogram plus s(how) − s̄_base plus the trend', () => {
    const own = baseline(['tenant'], 'tenant=t1', { shapeMeanBaseline: 0.03, placeboFactor: 2 });
    const stageData = data(own);
    const input = stageInputs(stageData).inputs.find((i) => i.cohort.tenant === 't1')!;
    expect(input.design).toBe('baseline_projection');
    const histogram = new Array<number>(LATENCY_BIN_COUNT).fill(0);
    for (const bin of [120, 125, 130, 135]) histogram[bin] = 1000;
    const logQ = Math.log(histogramQuantile(histogram, 0.95));
    const shape = stageData.baseline.shapes.get('shape|latency_p95')!;
    const expectation = input.latency!.expectation!;
    for (let h = 0; h < 4; h++) {
      const ms = stageData.window.from.getTime() + h * 3_600_000;
      const days = (ms - tBar.getTime()) / DAY_MS;
      expect(expectation.logOffset[h]).toBeCloseTo(logQ + (shape[hourOfWeek(ms)] ?? 0) - 0.03 + 0.001 * days, 12);
    }
    // Equal counts per hour: the candidate's mean instant is hour 1.5; the variance is k (level + Δ² trend + 2Δ cov).
    const mid = (stageData.window.from.getTime() + 1.5 * 3_600_000 - tBar.getTime()) / DAY_MS;
    expect(expectation.varOffset).toBeCloseTo(2 * (1e-4 + mid * mid * 1e-6 - 2 * mid * 2e-6), 14);
  });
  it('takes s̄_base = 0 and k = 1 for a snapshot without them (model 1)', () => {
    const stageData = data(baseline(['tenant'], 'tenant=t1'));
    const expectation = stageInputs(stageData).inputs.find((i) => i.cohort.tenant === 't1')!.latency!.expectation!;
    const mid = (stageData.window.from.getTime() + 1.5 * 3_600_000 - tBar.getTime()) / DAY_MS;
    expect(expectation.varOffset).toBeCloseTo(1e-4 + mid * mid * 1e-6 - 2 * mid * 2e-6, 14);
  });
});

describe('stageInputs latency DiD (tenant routing)', () => {
  it('compares each arm with the baseline of its own cells: expected log ratio log Q_T,base − log Q_L,base', () => {
    // t1 moved (candidate), t2 stayed (legacy). In the baseline t1 was faster (bins 110–120) than t2 (bins 125–135).
    const p = plan(0.5, 'tenant');
    const stage = p.stages[0]!;
    const from = stage.start;
    const hours = [0, 1, 2, 3].map((h) => from.getTime() / 1000 + h * 3600);
    const sets = evaluatedSets(p);
    const cell = (tenant: string, provider: string) => hours.map((t) => ({ t, tenant, provider, attempts: 300, failures: 0, mfa_known: 0, mfa_challenged: 0, users: 300, user_sxx: 0, user_snn: 300, user_sxn: 0 }));
    const latency = sets.flatMap((set) => [['t1', 'new'], ['t2', 'old']].flatMap(([tenant, provider]) => hours.map((t) => ({
      set_id: set.id, cohort_key: set.dimensions.length ? `tenant=${tenant}` : '', t, provider: provider!, bin: 130, count: 300,
    }))));
    const t1 = [110, 115, 120];
    const t2 = [125, 130, 135];
    const stageData: StageData = {
      plan: p, stage, window: { from, to: new Date(from.getTime() + 4 * 3_600_000) },
      baseline: { cohorts: [baseline([], ''), baseline(['tenant'], 'tenant=t1'), { ...baseline(['tenant'], 'tenant=t2'), cohort: { tenant: 't2' } }], shapes: new Map() },
      cells: cellRows([...cell('t1', 'new'), ...cell('t2', 'old')]),
      errors: [],
      latency: latencyRows(latency),
      baselineHistograms: [],
      units: [],
      baselineCells: [...t1.map((bin) => ({ tenant: 't1', bin, count: 2000 })), ...t2.map((bin) => ({ tenant: 't2', bin, count: 1000 }))],
    };
    const histogram = (bins: readonly number[], count: number) => {
      const h = new Array<number>(LATENCY_BIN_COUNT).fill(0);
      for (const bin of bins) h[bin] = count;
      return h;
    };
    const [qT, qL] = [woodruffInterval(histogram(t1, 2000), 0.95, 0.95), woodruffInterval(histogram(t2, 1000), 0.95, 0.95)];
    for (const cohort of [{}, { tenant: 't1' }]) {
      const input = stageInputs(stageData).inputs.find((i) => i.metric.name === 'latency_p95' && JSON.stringify(i.cohort) === JSON.stringify(cohort))!;
      expect(input.design).toBe('difference_in_differences');
      const expectation = input.latency!.expectation!;
      expect(expectation.logOffset[2]).toBeCloseTo(Math.log(qT.estimate) - Math.log(qL.estimate), 12);
      expect(expectation.varOffset).toBeCloseTo((qT.se / qT.estimate) ** 2 + (qL.se / qL.estimate) ** 2, 14);
    }
  });
});

describe('stageInputs latency DiD reference', () => {
  it('takes the legacy traffic of the candidate\'s own IdP as the reference when the plan has an idp set', () => {
    // t1 (okta) moved; t2 (okta) and t3 (azure, slow, an incident in the window) stayed.
    const p = plan(0.5, 'tenant', [['tenant'], ['idp']]);
    const stage = p.stages[0]!;
    const from = stage.start;
    const hours = [0, 1, 2, 3].map((h) => from.getTime() / 1000 + h * 3600);
    const sets = evaluatedSets(p);
    const who = [['t1', 'okta', 'new', 130], ['t2', 'okta', 'old', 130], ['t3', 'azure', 'old', 160]] as const;
    const cells = who.flatMap(([tenant, idp, provider]) => hours.map((t) => ({ t, tenant, idp, provider, attempts: 300, failures: 0, mfa_known: 0, mfa_challenged: 0, users: 300, user_sxx: 0, user_snn: 300, user_sxn: 0 })));
    const keyOf = (dims: readonly string[], tenant: string, idp: string) => dims.map((d) => (d === 'tenant' ? `tenant=${tenant}` : `idp=${idp}`)).join('|');
    const latency = sets.flatMap((set) => who.flatMap(([tenant, idp, provider, bin]) => hours.map((t) => ({ set_id: set.id, cohort_key: keyOf(set.dimensions, tenant, idp), t, provider, bin, count: 300 }))))
      .sort((a, b) => a.set_id - b.set_id || (a.cohort_key < b.cohort_key ? -1 : a.cohort_key > b.cohort_key ? 1 : 0));
    const t1Bins = [110, 115, 120];
    const t2Bins = [125, 130, 135];
    const t1 = { ...baseline(['tenant'], 'tenant=t1') };
    const stageData: StageData = {
      plan: p, stage, window: { from, to: new Date(from.getTime() + 4 * 3_600_000) },
      baseline: { cohorts: [baseline([], ''), t1], shapes: new Map() },
      cells: cellRows(cells), errors: [], latency: latencyRows(latency), baselineHistograms: [], units: [],
      baselineCells: [
        ...t1Bins.map((bin) => ({ tenant: 't1', idp: 'okta', bin, count: 2000 })),
        ...t2Bins.map((bin) => ({ tenant: 't2', idp: 'okta', bin, count: 1000 })),
        ...[140, 145].map((bin) => ({ tenant: 't3', idp: 'azure', bin, count: 1000 })),
      ],
    };
    const histogram = (bins: readonly number[], count: number) => {
      const h = new Array<number>(LATENCY_BIN_COUNT).fill(0);
      for (const bin of bins) h[bin] = count;
      return h;
    };
    const [qT, qL] = [woodruffInterval(histogram(t1Bins, 2000), 0.95, 0.95), woodruffInterval(histogram(t2Bins, 1000), 0.95, 0.95)];
    const input = stageInputs(stageData).inputs.find((i) => i.metric.name === 'latency_p95' && JSON.stringify(i.cohort) === '{"tenant":"t1"}')!;
    expect(input.latency!.expectation!.logOffset[0]).toBeCloseTo(Math.log(qT.estimate) - Math.log(qL.estimate), 12);
    expect([...input.latency!.legacy!.counts].reduce((a, c) => a + c, 0)).toBe(4 * 300); // t2's traffic only, not t3's
  });
});

describe('stageInputs roll-up', () => {
  it('sums each cohort\'s cells hour by hour, a cohort of every union dimension being its one cell', () => {
    const checked = checkPlan({
      name: 'p', providers: { legacy: 'old', candidate: 'new' }, dimensions: [['tenant'], ['tenant', 'idp']], metrics: [{ name: 'success_rate', tolerance: 0.01 }],
      baseline: { start: '2026-09-01', end: '2026-09-29' },
      stages: [{ name: 's1', start: '2026-10-05', end: '2026-10-10', share: 0.5 }],
    });
    if (!checked.ok) throw new Error(checked.problems.join('\n'));
    const p = checked.plan;
    const stage = p.stages[0]!;
    const t0 = stage.start.getTime() / 1000;
    const row = (h: number, idp: string, provider: string, attempts: number, failures: number) => ({
      t: t0 + h * 3600, tenant: 't1', idp, provider, attempts, failures, mfa_known: 0, mfa_challenged: 0, users: attempts, user_sxx: failures, user_snn: attempts, user_sxn: failures,
    });
    const stageData: StageData = {
      plan: p, stage, window: { from: stage.start, to: new Date(stage.start.getTime() + 2 * 3_600_000) },
      baseline: { cohorts: [], shapes: new Map() },
      // The last row is an hour past the window: left out.
      cells: cellRows([row(0, 'okta', 'new', 10, 1), row(1, 'okta', 'new', 20, 2), row(1, 'azure', 'new', 5, 1), row(0, 'okta', 'old', 30, 0), row(1, 'azure', 'old', 40, 4), row(2, 'okta', 'new', 99, 9)]),
      errors: [], latency: [], baselineHistograms: [], units: [],
    };
    const candidate = (cohort: object) => {
      const input = stageInputs(stageData).inputs.find((i) => JSON.stringify(i.cohort) === JSON.stringify(cohort))!;
      return { design: input.design, n: [...input.rate!.candidate.n], x: [...input.rate!.candidate.x] };
    };
    expect(candidate({})).toEqual({ design: 'within_cohort_split', n: [10, 25], x: [9, 22] });
    expect(candidate({ tenant: 't1' })).toEqual({ design: 'within_cohort_split', n: [10, 25], x: [9, 22] });
    expect(candidate({ tenant: 't1', idp: 'okta' })).toEqual({ design: 'within_cohort_split', n: [10, 20], x: [9, 18] });
    expect(candidate({ tenant: 't1', idp: 'azure' })).toEqual({ design: 'within_cohort_split', n: [0, 5], x: [0, 4] });
  });
});
