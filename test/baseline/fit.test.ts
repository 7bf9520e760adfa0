import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBaseline } from '../../src/baseline/build-baseline.js';
import { loadBaseline } from '../../src/baseline/load-baseline.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all, run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { insertDayShocks, insertHistory } from './events.js';
import { testPlan } from './plan-fixture.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

const options = { toolkitVersion: '0.1.0', now: new Date('2026-09-15T00:00:00Z') };

interface TrendRow {
  cohort_key: string;
  trend_per_day: number;
  trend_raw: number;
  var_trend: number;
  var_trend_raw: number;
  var_trend_model: number;
  trend_weight: number;
}

describe('fittedParams and shrinkTrends in a build', () => {
  it('widens the trend variance of day-level shocks and shrinks each tenant trend towards the set', async () => {
    await insertDayShocks(store.connection, { tenants: 6, days: 14 });
    await buildBaseline(store.connection, testPlan({ dimensions: [['tenant']], metrics: [{ name: 'success_rate', tolerance: 0.01 }] }), options);
    const rows = await all<TrendRow>(
      store.connection,
      sql`SELECT cohort_key, trend_per_day, trend_raw, var_trend, var_trend_raw, var_trend_model, trend_weight
          FROM baseline_cohorts WHERE dimensions = 'tenant' ORDER BY cohort_key`,
    );
    expect(rows).toHaveLength(6);
    // Hours within a day carry the same shock: the day-clustered variance is several times the hourly-independent one.
    for (const r of rows) expect(r.var_trend_raw).toBeGreaterThanOrEqual(r.var_trend_model);
    expect(Math.max(...rows.map((r) => r.var_trend_raw / r.var_trend_model))).toBeGreaterThan(3);
    // b* = b̄ + w (b − b̄) with one b̄ for the set; every tenant moves towards it.
    const [first] = rows;
    const prior = first && first.trend_weight < 1 ? (first.trend_per_day - first.trend_weight * first.trend_raw) / (1 - first.trend_weight) : 0;
    for (const r of rows) {
      expect(r.trend_weight).toBeLessThan(1);
      expect(r.trend_per_day).toBeCloseTo(prior + r.trend_weight * (r.trend_raw - prior), 12);
      expect(Math.abs(r.trend_per_day - prior)).toBeLessThanOrEqual(Math.abs(r.trend_raw - prior));
      expect(r.var_trend).toBeLessThan(r.var_trend_raw);
    }
    // What evaluate reads is the shrunk trend.
    const loaded = (await loadBaseline(store.connection)).cohorts.filter((c) => c.dimensions.length === 1);
    expect(loaded.map((c) => c.trendPerDay)).toEqual(rows.map((r) => r.trend_per_day));
  });

  it('stores the n-weighted mean of each cohort shape over its baseline windows', async () => {
    await insertHistory(store.connection, { start: '2026-09-01T00:00:00Z', hours: 14 * 24, tenants: 2, perHour: 200, p: 0.05 });
    // Slow working hours (08–15 UTC, 2× latency) and a thin night (half the traffic before 06 UTC): traffic-weighted, the shape is above its 168-hour mean.
    await run(store.connection, sql`UPDATE login_events SET latency_ms = latency_ms * 2 WHERE hour(ts) BETWEEN 8 AND 15`);
    await run(store.connection, sql`DELETE FROM login_events WHERE hour(ts) < 6 AND second(ts) % 2 = 0`);
    await buildBaseline(store.connection, testPlan({ dimensions: [['idp']], metrics: [{ name: 'latency_p95', tolerance: 0.1 }] }), options);
    const { cohorts, shapes } = await loadBaseline(store.connection);
    const counts = await all<{ how: number; n: number }>(
      store.connection,
      sql`SELECT ((isodow(ts) - 1) * 24 + hour(ts))::INT AS how, count(*)::DOUBLE AS n FROM login_events GROUP BY how`,
    );
    const everyone = cohorts.find((c) => c.cohortKey === '');
    expect(everyone?.shapeSource).toBe('own');
    // A daily latency pattern is not an incident (incidents are judged against the same hour of day).
    expect(await all(store.connection, sql`SELECT * FROM bl_incident_hours`)).toEqual([]);
    const shape = shapes.get('|latency_p95') ?? new Float64Array(168);
    const expected = counts.reduce((s, c) => s + c.n * (shape[c.how] ?? 0), 0) / counts.reduce((s, c) => s + c.n, 0);
    // By hand: slow hours +ln 2 (8 of 24), the rest −0.23; night (6 h) at half weight → Σns/Σn ≈ 0.69/21 ≈ 0.033.
    expect(expected).toBeGreaterThan(0.02);
    expect(everyone?.shapeMeanBaseline).toBeCloseTo(expected, 9);
  });
});
