import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBaseline } from '../../src/baseline/build-baseline.js';
import { loadBaseline } from '../../src/baseline/load-baseline.js';
import { MAX_PLACEBO_FACTOR, placeboFactor, placeboOrigins, type PooledResidual } from '../../src/baseline/placebo.js';
import { openStore, type Store } from '../../src/store/open.js';
import { insertDayShocks } from './events.js';
import { testPlan } from './plan-fixture.js';

const residual = (r: number, hourly: number, projection: number): PooledResidual => ({ setId: 1, metric: 'm', cohortKey: '', residual: r, hourly, projection });

describe('placeboFactor', () => {
  it('finds the k that makes the mean square of the standardised residuals one', () => {
    // mean of 4/(1 + k) and 16/(2 + 2k) = 6/(1 + k) = 1 → k = 5.
    expect(placeboFactor([residual(2, 1, 1), residual(4, 2, 2)])).toBeCloseTo(5, 10);
    // Unequal parts: 1/(1 + k) + 9/(1 + 4k) = 2 → 8k² − 3k − 8 = 0 → k = (3 + √265)/16.
    expect(placeboFactor([residual(1, 1, 1), residual(3, 1, 4)])).toBeCloseTo((3 + Math.sqrt(265)) / 16, 10);
  });

  it('is one when the residuals are no larger than their variance says, and capped when the projection cannot explain them', () => {
    expect(placeboFactor([residual(0.5, 1, 1), residual(1, 1, 0.5)])).toBe(1);
    expect(placeboFactor([residual(10, 1, 0.001)])).toBe(MAX_PLACEBO_FACTOR);
  });

  it('throws a RangeError when no residual has a variance', () => {
    expect(() => placeboFactor([residual(1, 0, 0)])).toThrow(RangeError);
  });
});

describe('placeboFactors in a build', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(() => store.close());
  const options = { toolkitVersion: '0.1.0', now: new Date('2026-09-29T00:00:00Z') };
  const plan = testPlan({
    dimensions: [['tenant']],
    metrics: [{ name: 'success_rate', tolerance: 0.01 }],
    baseline: { start: '2026-09-01', end: '2026-09-29' },
    stages: [{ name: 'all', start: '2026-09-29', end: '2026-10-04', share: 1 }],
  });
  const factor = async () => {
    await buildBaseline(store.connection, plan, options);
    const cohorts = (await loadBaseline(store.connection)).cohorts;
    return { tenant: cohorts.find((c) => c.cohortKey === 'tenant=t0')?.placeboFactor, everyone: cohorts.find((c) => c.cohortKey === '')?.placeboFactor };
  };

  it('widens the projection of tenants whose days carry shocks the four-week fit reads as level and trend', async () => {
    // Two origins (day 14 → 19, day 21 → 26), 8 tenants: stage means move by e^{1.2 z(day)} averaged over 5 days.
    await insertDayShocks(store.connection, { tenants: 8, days: 28, shock: 1.2 });
    const { tenant, everyone } = await factor();
    expect(tenant).toBeGreaterThan(2);
    // everyone has one residual per origin: it takes the factor of all the metric's residuals (8 tenants × 2 + 2), not its own.
    expect(everyone).toBeGreaterThan(1);
    expect(everyone).not.toBe(tenant);
  });

  it('is one without day shocks', async () => {
    await insertDayShocks(store.connection, { tenants: 8, days: 28, shock: 0 });
    expect((await factor()).tenant).toBe(1);
  });
});

describe('buildBaseline with a short baseline', () => {
  it('leaves the placebo factor out when the period has no room for a placebo stage', async () => {
    const store = await openStore(':memory:');
    try {
      await insertDayShocks(store.connection, { tenants: 3, days: 14 });
      await buildBaseline(store.connection, testPlan({ dimensions: [['tenant']], metrics: [{ name: 'success_rate', tolerance: 0.01 }] }), {
        toolkitVersion: '0.1.0',
        now: new Date('2026-09-15T00:00:00Z'),
      });
      for (const c of (await loadBaseline(store.connection)).cohorts) expect(c.placeboFactor).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

describe('placeboOrigins', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 7, 1) + d * 86_400_000);
  const days = (period: { from: Date; to: Date }) => placeboOrigins(period).map((o) => (o - period.from.getTime()) / 86_400_000);

  it('starts two weeks in, steps a week and leaves room for a five-day stage', () => {
    expect(days({ from: day(0), to: day(28) })).toEqual([14, 21]);
    expect(days({ from: day(0), to: day(18) })).toEqual([]);
    expect(days({ from: day(0), to: day(19) })).toEqual([14]);
  });

  it('keeps the latest four of a long period', () => {
    // 90 days: origins 14, 21, …, 84 (eleven); the fits of the last four are the longest.
    expect(days({ from: day(0), to: day(90) })).toEqual([63, 70, 77, 84]);
  });
});
