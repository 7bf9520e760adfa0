import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshAggregates } from '../../src/baseline/aggregate.js';
import { cohortSeries } from '../../src/baseline/cohort-series.js';
import { cohortSets } from '../../src/baseline/cohort-sets.js';
import { fitCohortsAt } from '../../src/baseline/fit-cohorts.js';
import { errorCodes, holdoutTable, hourlyTable, incidentHoursTable } from '../../src/baseline/series.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all, run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { insertHistory } from './events.js';
import { testPlan } from './plan-fixture.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

interface SqlWindow {
  set_id: number;
  metric: string;
  cohort_key: string;
  t: number;
  how: number;
  n: number;
  x: number;
  s2: number | null;
}

describe('cohortSeries', () => {
  it('reads every metric from bl_sorted exactly as the SQL series does (metricRead is the twin of metricColumns)', async () => {
    await insertHistory(store.connection, { start: '2026-09-01T00:00:00Z', hours: 10 * 24, tenants: 4, perHour: 12, p: 0.1, hourNoise: 0.4 });
    // Thin hours: latency needs ≥ 5 observations, so some hours have rates but no latency window.
    await run(store.connection, sql`UPDATE login_events SET latency_ms = NULL WHERE tenant = 't1' AND hour(ts) % 2 = 0 AND second(ts) > 3`);
    const plan = testPlan({ baseline: { start: '2026-09-01', end: '2026-09-11' }, stages: [{ name: 's', start: '2026-09-11', end: '2026-09-12', share: 0.1 }] });
    const sets = cohortSets(plan);
    const period = { from: plan.baseline.start, to: plan.baseline.end };
    const codes = errorCodes(plan.metrics);
    await refreshAggregates(store.connection, period);
    await run(store.connection, incidentHoursTable(plan.providers.legacy, period));
    await run(store.connection, hourlyTable(sets, codes, plan.providers.legacy, period));
    const modelled = plan.metrics.filter((m) => m.family !== 'shadow');
    await run(store.connection, holdoutTable(modelled, codes, period.to, period.from));
    const expected = await all<SqlWindow>(
      store.connection,
      sql`SELECT set_id, metric, cohort_key, t, how::INTEGER AS how, n, x, coalesce(s2, 0) AS s2 FROM bl_holdout ORDER BY set_id, metric, cohort_key, t`,
    );
    const { streamed } = await fitCohortsAt(store.connection, plan, sets, [period.to]);
    const got: SqlWindow[] = [];
    for await (const { cid, series } of cohortSeries(store.connection, streamed)) {
      const c = streamed[cid]!;
      for (let i = 0; i < series.length; i++) {
        got.push({ set_id: c.setId, metric: c.metric, cohort_key: c.cohortKey, t: series.t[i]!, how: series.how[i]!, n: series.n[i]!, x: series.x[i]!, s2: series.s2[i]! });
      }
    }
    const key = (w: SqlWindow) => [String(w.set_id).padStart(3, '0'), w.metric, w.cohort_key, w.t.toFixed(6)].join('|');
    got.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    expected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    expect(new Set(expected.map((w) => w.metric))).toEqual(new Set(modelled.map((m) => m.name)));
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected);
  });
});
