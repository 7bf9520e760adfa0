import normal from '@stdlib/stats-base-dists-normal';
import { describe, expect, it } from 'vitest';
import { hourOfWeekCounts, stagePlan, type CohortTraffic, type PlanningInputs } from '../../src/plan/stage-plan.js';
import { mdeBaselineOnly } from '../../src/stats/mde-baseline-only.js';
import { mdeTwoProportions } from '../../src/stats/mde-two-proportions.js';
import { sequentialMdeFactor } from '../../src/stats/sequential-mde-factor.js';
import type { CohortBaseline, Dimension } from '../../src/types.js';
import { testPlan } from '../baseline/plan-fixture.js';

const plan = testPlan({
  dimensions: [['tenant'], ['idp'], ['tenant', 'idp']],
  metrics: [{ name: 'success_rate', tolerance: 0.01 }],
  baseline: { start: '2026-08-31', end: '2026-09-14' },
  stages: [
    { name: 'canary', start: '2026-09-14', end: '2026-09-21', share: 0.1 },
    { name: 'all', start: '2026-09-21', end: '2026-09-28', share: 1 },
  ],
});

function cohort(dimensions: Dimension[], values: string[], mean: number, n: number, extra: Partial<CohortBaseline> = {}): CohortBaseline {
  const c = Object.fromEntries(dimensions.map((d, i) => [d, values[i] ?? ''])) as CohortBaseline['cohort'];
  return {
    snapshotId: 'bl-test', dimensions, cohort: c, cohortKey: dimensions.map((d, i) => `${d}=${values[i]}`).join('|'),
    metric: 'success_rate', windows: 336, n, x: Math.round(n * mean), level: Math.log(mean / (1 - mean)), trendPerDay: 0,
    tBar: new Date('2026-09-07T00:00:00Z'), varLevel: 1e-4, varTrend: 0, covLevelTrend: 0, tau2: 0.01, phi: 1.2,
    shapeKey: '', shapeSource: 'global', shrunk: false, shrinkWeight: 1, mean, ...extra,
  };
}
const flat = (perHour: number): CohortTraffic => ({
  attemptsPerHour: new Float64Array(168).fill(perHour), designEffect: 1.5, tenants: 1, tenantsEffective: 1, logSd: 0.5,
});
const inputs = (cohorts: CohortBaseline[], traffic: Record<string, CohortTraffic>): PlanningInputs => ({
  cohorts, traffic: new Map(Object.entries(traffic)),
  baselineFrom: new Date('2026-08-31T00:00:00Z'), baselineTo: new Date('2026-09-14T00:00:00Z'),
});

describe('hourOfWeekCounts', () => {
  it('counts Monday 00:00 UTC as hour 0 and a whole week once each', () => {
    const week = hourOfWeekCounts(new Date('2026-09-07T00:00:00Z'), new Date('2026-09-14T00:00:00Z'));
    expect([...week].every((c) => c === 1)).toBe(true);
    const mondayMorning = hourOfWeekCounts(new Date('2026-09-07T00:00:00Z'), new Date('2026-09-07T02:00:00Z'));
    expect([mondayMorning[0], mondayMorning[1], mondayMorning[2]]).toEqual([1, 1, 0]);
    const sundayNight = hourOfWeekCounts(new Date('2026-09-06T23:00:00Z'), new Date('2026-09-07T00:00:00Z'));
    expect(sundayNight[167]).toBe(1);
  });
});

describe('stagePlan', () => {
  const everyone = cohort([], [], 0.95, 14 * 24 * 1000);
  const traffic = { '|': { ...flat(1000), tenants: 40, tenantsEffective: 30 } };

  it('expects share × the hour-of-week volume over the stage, and the Fleiss normal MDE with the design effect', () => {
    const [row] = stagePlan(plan, inputs([everyone], traffic), { stage: 'canary' });
    expect(row?.expected_n_candidate).toBeCloseTo(0.1 * 168 * 1000, 6);
    expect(row?.expected_n_legacy).toBeCloseTo(0.9 * 168 * 1000, 6);
    const z = normal.quantile(0.975, 0, 1) + normal.quantile(0.8, 0, 1);
    const expected = z * Math.sqrt(1.5 * 0.95 * 0.05 * (1 / 16800 + 1 / 151200));
    expect(row?.mde_fixed).toBeCloseTo(expected, 12);
    expect(row?.mde_sequential).toBeCloseTo(expected * sequentialMdeFactor(0.05, 0.8).mdeRatio, 12);
    expect(row?.detectable).toBe(true);
    // The normal form is within 5% of solving the power equation (mdeTwoProportions).
    const solved = mdeTwoProportions({ p0: 0.95, nT: 16800, nC: 151200, alpha: 0.05, power: 0.8, designEffect: 1.5, direction: 'decrease' });
    expect(Math.abs((row?.mde_fixed ?? 0) / solved.mde - 1)).toBeLessThan(0.05);
  });

  it('gives the sequential MDE after Benjamini–Hochberg over the results of a stage: the same formula at level α/m', () => {
    const cohorts = [everyone, ...['t1', 't2', 't3'].map((t) => cohort(['tenant'], [t], 0.95, 14 * 24 * 300))];
    const byTenant = Object.fromEntries(['t1', 't2', 't3'].map((t) => [`tenant|tenant=${t}`, flat(300)]));
    const rows = stagePlan(plan, inputs(cohorts, { ...traffic, ...byTenant }), { stage: 'canary' });
    const row = rows.find((r) => r.dimensions.length === 0);
    expect(row?.family_size).toBe(4);
    const z = normal.quantile(0.975, 0, 1) + normal.quantile(0.8, 0, 1);
    const zBh = normal.quantile(1 - 0.05 / 8, 0, 1) + normal.quantile(0.8, 0, 1);
    const expected = ((row?.mde_fixed ?? NaN) / z) * zBh * sequentialMdeFactor(0.05 / 4, 0.8).mdeRatio;
    expect(row?.mde_sequential_bh).toBeCloseTo(expected, 12);
    expect(row?.mde_sequential_bh).toBeGreaterThan((row?.mde_sequential ?? Infinity) * 1.1); // 1.12 at m = 4
  });

  it('judges a stage at full share against the projected baseline, with its τ² floor', () => {
    const [row] = stagePlan(plan, inputs([everyone], traffic), { stage: 'all' });
    const pq = 0.95 * 0.05;
    const expected = mdeBaselineOnly({
      p0: 0.95, nPerWindow: 1000, windows: 168, tau2: 0.01 * pq * pq, varianceBaseline: 1e-4 * pq * pq, alpha: 0.05, power: 0.8,
    });
    expect(row?.expected_n_legacy).toBe(0);
    expect(row?.mde_fixed).toBeCloseTo(expected.mde, 12);
  });

  it('keeps the shadow mismatch test one-sided after BH: z_{1−α/m}, not z_{1−α/(2m)}', () => {
    const shadowPlan = testPlan({ ...plan.file, metrics: [{ name: 'success_rate', tolerance: 0.01 }, { name: 'shadow_mismatch_rate', tolerance: 0.002 }] });
    const shadow = { ...everyone, metric: 'shadow_mismatch_rate' };
    const rows = stagePlan(shadowPlan, inputs([everyone, shadow], traffic), { stage: 'canary' });
    const row = rows.find((r) => r.metric === 'shadow_mismatch_rate');
    const zOne = normal.quantile(0.95, 0, 1) + normal.quantile(0.8, 0, 1);
    const zOneBh = normal.quantile(1 - 0.05 / 2, 0, 1) + normal.quantile(0.8, 0, 1); // m = 2 results
    expect(row?.family_size).toBe(2);
    expect(row?.mde_sequential_bh).toBeCloseTo(((row?.mde_fixed ?? NaN) / zOne) * zOneBh * sequentialMdeFactor(0.05 / 2, 0.8).mdeRatio, 12);
  });

  it('adds the trend extrapolated to the stage middle and the placebo factor to the projected baseline, as evaluate does', () => {
    const drifting = { ...everyone, varTrend: 1e-6, covLevelTrend: 0, placeboFactor: 2 };
    const [row] = stagePlan(plan, inputs([drifting], traffic), { stage: 'all' });
    const pq = 0.95 * 0.05;
    const days = (Date.parse('2026-09-24T12:00:00Z') - Date.parse('2026-09-07T00:00:00Z')) / 86_400_000; // tBar → middle of 'all'
    const expected = mdeBaselineOnly({
      p0: 0.95, nPerWindow: 1000, windows: 168, tau2: 0.01 * pq * pq, varianceBaseline: 2 * (1e-4 + days * days * 1e-6) * pq * pq, alpha: 0.05, power: 0.8,
    });
    expect(row?.mde_fixed).toBeCloseTo(expected.mde, 12);
  });

  it('moves a tenant whole under tenant routing, so the tenant cohort has no concurrent control', () => {
    const tenantPlan = testPlan({
      ...plan.file,
      stages: [{ name: 'canary', start: '2026-09-14', end: '2026-09-21', share: 0.1, unit: 'tenant' }],
    });
    const t1 = cohort(['tenant'], ['t1'], 0.95, 14 * 24 * 100);
    const rows = stagePlan(tenantPlan, inputs([t1], { '|': flat(0), 'tenant|tenant=t1': flat(100) }));
    const pq = 0.95 * 0.05;
    const expected = mdeBaselineOnly({
      p0: 0.95, nPerWindow: 100, windows: 168, tau2: 0.01 * pq * pq, varianceBaseline: 1e-4 * pq * pq, alpha: 0.05, power: 0.8,
    });
    expect(rows[0]?.expected_n_candidate).toBeCloseTo(0.1 * 16800, 6);
    expect(rows[0]?.mde_fixed).toBeCloseTo(expected.mde, 12);
  });

  it('advises a longer stage for a near miss and the parent for a cohort too small for any length', () => {
    const idp = cohort(['idp'], ['okta'], 0.95, 14 * 24 * 200);
    const pair = cohort(['tenant', 'idp'], ['t1', 'okta'], 0.95, 14 * 24 * 2);
    const rows = stagePlan(
      plan,
      inputs([everyone, idp, pair], { '|': traffic['|'], 'idp|idp=okta': flat(200), 'tenant,idp|tenant=t1|idp=okta': flat(2) }),
      { stage: 'canary' },
    );
    const [all, okta, small] = rows;
    expect(all?.detectable).toBe(true);
    expect(okta?.detectable).toBe(false);
    expect(okta?.advice).toMatch(/^lengthen canary to ~\d+ days$/);
    const days = Number(/~(\d+)/.exec(okta?.advice ?? '')?.[1]);
    // MDE ∝ 1/√n: the days needed are about 7 × (MDE_seq / tolerance)², rounded up to the 1.25× grid.
    expect(days).toBeGreaterThanOrEqual(7 * ((okta?.mde_sequential ?? 0) / 0.01) ** 2);
    expect(small?.detectable).toBe(false);
    expect(small?.advice).toBe('judge through parent everyone');
  });

  it('plans only the stage asked for', () => {
    expect(stagePlan(plan, inputs([everyone], traffic), { stage: 'all' }).map((r) => r.stage)).toEqual(['all']);
    expect(stagePlan(plan, inputs([everyone], traffic)).map((r) => r.stage)).toEqual(['canary', 'all']);
  });
});
