import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCounts, errorCodeTotals, newValues, postLooks } from '../../src/post-rollout/hunt-sql.js';
import { plannedHourly, providerAttempts } from '../../src/post-rollout/planned-sql.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all, run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import type { PlanMetric } from '../../src/plan/plan.js';

// A hand-made world: tenant t1, idp i1, apps a1 and a2, regions r1 and r2; two baseline weeks
// (legacy) and two post days (candidate). Each cell-day is one agg_hourly row at noon.
const BASELINE = { from: new Date('2026-09-07T00:00:00Z'), to: new Date('2026-09-21T00:00:00Z') };
const WINDOW = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-03T00:00:00Z') };
const cells: [string, string, number, number][] = [
  // app, region, attempts per day, failures per day
  ['a1', 'r1', 100, 2], ['a1', 'r2', 300, 6], ['a2', 'r1', 200, 2], ['a2', 'r2', 400, 8],
];
let store: Store;

beforeAll(async () => {
  store = await openStore(':memory:');
  const rows: string[] = [];
  const add = (day: Date, provider: string, app: string, region: string, n: number, x: number) =>
    rows.push(`('${new Date(day.getTime() + 12 * 3600_000).toISOString()}'::TIMESTAMPTZ, 't1', 'i1', '${app}', '${region}', '${provider}', ${n}, ${x}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`);
  for (let d = 0; d < 14; d++) {
    const day = new Date(BASELINE.from.getTime() + d * 86_400_000);
    for (const [app, region, n, x] of cells) add(day, 'legacy', app, region, n, x + (d < 7 && app === 'a1' && region === 'r1' ? 1 : 0));
  }
  for (let d = 0; d < 2; d++) {
    const day = new Date(WINDOW.from.getTime() + d * 86_400_000);
    for (const [app, region, n, x] of cells) add(day, 'candidate', app === 'a2' && region === 'r2' && d === 1 ? 'a3' : app, region, n, app === 'a1' && region === 'r1' ? x + 10 : x);
  }
  await store.connection.run(`INSERT INTO agg_hourly VALUES ${rows.join(', ')}`);
  await store.connection.run(`INSERT INTO agg_hourly_errors VALUES
    ('2026-09-08T12:00:00Z', 't1', 'i1', 'a1', 'r1', 'legacy', 'invalid_grant', 2),
    ('2026-10-01T12:00:00Z', 't1', 'i1', 'a1', 'r1', 'candidate', 'invalid_grant', 3),
    ('2026-10-02T12:00:00Z', 't1', 'i1', 'a1', 'r1', 'candidate', 'brand_new', 4)`);
});
afterAll(() => store.close());

describe('baselineCounts', () => {
  it('counts a combination against each parent, with the weekly Pearson X² of its share', async () => {
    const rows = await all<Record<string, number | string>>(store.connection, baselineCounts([['app', 'region']], 'legacy', BASELINE));
    const row = rows.find((r) => r.cohort_key === 'app=a1|region=r1' && r.parent_key === 'app=a1' && r.metric === '');
    // a1×r1: 14 days × 100 attempts, 14 × 2 + 7 failures; parent a1: + a1×r2 (14 × 300, 14 × 6).
    expect(row).toMatchObject({ weeks: 2, n: 1400, x: 35, parent_n: 5600, parent_x: 119 });
    // By hand: rate 35/1400, rest 84/4200, θ_w = 700·0.025/(700·0.025 + 2100·0.02) = 0.29412 both weeks;
    // weeks (x, X) = (21, 63) and (14, 56): X² = Σ (x − Xθ)²/(Xθ(1 − θ)).
    const theta = (700 * 0.025) / (700 * 0.025 + 2100 * 0.02);
    const x2 = [[21, 63], [14, 56]].reduce((s, [x, X]) => s + ((x! - X! * theta) ** 2) / (X! * theta * (1 - theta)), 0);
    expect(row?.x2 as number).toBeCloseTo(x2, 10);
    expect(row?.sum_parent_x2).toBe(63 * 63 + 56 * 56);
    const code = rows.find((r) => r.cohort_key === 'app=a1|region=r1' && r.parent_key === 'region=r1' && r.metric === 'invalid_grant');
    expect(code).toMatchObject({ x: 2, parent_x: 2, weeks: 1 });
  });
});

describe('postLooks', () => {
  it('cumulates a combination and its parent by day since the window start', async () => {
    const rows = await all<Record<string, number | string>>(store.connection, postLooks([['app', 'region']], 'candidate', WINDOW));
    const looks = rows.filter((r) => r.cohort_key === 'app=a1|region=r1' && r.parent_key === 'app=a1' && r.metric === '');
    expect(looks.map(({ day, n, x, parent_n, parent_x }) => ({ day, n, x, parent_n, parent_x }))).toEqual([
      { day: 0, n: 100, x: 12, parent_n: 400, parent_x: 18 },
      { day: 1, n: 200, x: 24, parent_n: 800, parent_x: 36 },
    ]);
    expect(rows.filter((r) => r.cohort_key === 'app=a1|region=r1' && r.parent_key === 'app=a1' && r.metric === 'brand_new')).toMatchObject([{ day: 1, x: 4, parent_x: 4 }]);
  });
});

describe('newValues and errorCodeTotals', () => {
  it('reports a dimension value and an error code the baseline never saw', async () => {
    expect(await all(store.connection, newValues('legacy', 'candidate', BASELINE, WINDOW))).toEqual([{ dimension: 'app', value: 'a3', n: 400, x: 8 }]);
    expect(await all(store.connection, errorCodeTotals('legacy', 'candidate', BASELINE, WINDOW))).toEqual([
      { metric: 'brand_new', baseline_x: 0, post_x: 4 },
      { metric: 'invalid_grant', baseline_x: 2, post_x: 3 },
    ]);
  });
});

describe('plannedHourly', () => {
  it('rolls hours up to the plan sets in the baseline convention (successes for success_rate)', async () => {
    const metrics: PlanMetric[] = [
      { name: 'success_rate', family: 'rate', tolerance: 0.005, direction: 'higher_is_better' },
      { name: 'error_rate:invalid_grant', family: 'rate', errorCode: 'invalid_grant', tolerance: 0.005, direction: 'lower_is_better' },
    ];
    const rows = await all<Record<string, number | string>>(store.connection, plannedHourly([[], ['app']], metrics, ['candidate'], WINDOW));
    const firstHour = Date.parse('2026-10-01T12:00:00Z') / 1000;
    expect(rows.filter((r) => r.cohort_key === 'app=a1' && r.hour === firstHour)).toEqual([
      { g: 13, cohort_key: 'app=a1', provider: 'candidate', metric: 'error_rate:invalid_grant', hour: firstHour, n: 400, x: 3 },
      { g: 13, cohort_key: 'app=a1', provider: 'candidate', metric: 'success_rate', hour: firstHour, n: 400, x: 382 },
    ]);
    expect(await all(store.connection, providerAttempts(WINDOW))).toEqual([{ provider: 'candidate', attempts: 2000 }]);
  });
});
