import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBaseline, snapshotId } from '../../src/baseline/build-baseline.js';
import { loadBaseline } from '../../src/baseline/load-baseline.js';
import { loadTraffic } from '../../src/baseline/planning-inputs.js';
import { UserError } from '../../src/errors.js';
import { weightedLogitTrend } from '../../src/stats/weighted-logit-trend.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all, run } from '../../src/store/query.js';
import { ident, sql } from '../../src/store/sql.js';
import { insertEvents, insertHistory } from './events.js';
import { testPlan } from './plan-fixture.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

const options = { toolkitVersion: '0.1.0', now: new Date('2026-09-15T00:00:00Z') };
const history = { start: '2026-09-01T00:00:00Z', hours: 14 * 24, tenants: 4, perHour: 12, p: 0.05 };
const count = async (table: string) => (await all<{ n: bigint }>(store.connection, sql`SELECT count(*) AS n FROM ${ident(table)}`))[0]?.n;

describe('buildBaseline', () => {
  it('stores a row per cohort × metric for everyone and every dimension set, and loads it back', async () => {
    await insertHistory(store.connection, history);
    const result = await buildBaseline(store.connection, testPlan(), options);
    // everyone + 4 tenants + 2 idps + 4 tenant×idp = 11 cohorts, 5 metrics each
    expect(result).toMatchObject({ reused: false, events: 14 * 24 * 4 * 12, cohorts: 11, rows: 55 });
    const loaded = await loadBaseline(store.connection);
    expect(loaded.snapshot).toMatchObject({ snapshotId: result.snapshotId, planName: 'test migration', events: 16128, cohorts: 11 });
    expect(loaded.snapshot.dataFrom).toEqual(new Date('2026-09-01T00:00:00Z'));
    expect(loaded.snapshot.dataTo).toEqual(new Date('2026-09-15T00:00:00Z'));
    expect(loaded.cohorts).toHaveLength(55);
    const everyone = loaded.cohorts.find((c) => c.cohortKey === '' && c.metric === 'success_rate');
    expect(everyone).toMatchObject({ dimensions: [], cohort: {}, windows: 336, n: 16128 });
    expect(everyone?.mean).toBeCloseTo((everyone?.x ?? 0) / 16128, 12);
    const pair = loaded.cohorts.find((c) => c.cohortKey === 'tenant=t1|idp=azure' && c.metric === 'mfa_rate');
    expect(pair).toMatchObject({ dimensions: ['tenant', 'idp'], cohort: { tenant: 't1', idp: 'azure' } });
    for (const c of loaded.cohorts) {
      const shape = loaded.shapes.get(`${c.shapeKey}|${c.metric}`);
      expect(shape, `${c.shapeKey}|${c.metric}`).toHaveLength(168);
      expect(Math.abs([...(shape ?? [])].reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
    }
  });

  it('gives the same snapshot (id and numbers) for the same data and plan, and writes nothing the second time', async () => {
    await insertHistory(store.connection, history);
    const first = await buildBaseline(store.connection, testPlan(), options);
    const again = await buildBaseline(store.connection, testPlan(), { ...options, now: new Date('2026-09-16T00:00:00Z') });
    expect(again).toMatchObject({ snapshotId: first.snapshotId, reused: true, rows: 0 });
    expect(await count('baseline_snapshots')).toBe(1n);

    const other = await openStore(':memory:');
    try {
      await insertHistory(other.connection, history);
      const rebuilt = await buildBaseline(other.connection, testPlan(), options);
      expect(rebuilt.snapshotId).toBe(first.snapshotId);
      expect((await loadBaseline(other.connection)).cohorts).toEqual((await loadBaseline(store.connection)).cohorts);
    } finally {
      other.close();
    }
  });

  it('writes the same snapshot in many small INSERTs as in one', async () => {
    await insertHistory(store.connection, history);
    const whole = await buildBaseline(store.connection, testPlan(), options);
    const other = await openStore(':memory:');
    try {
      await insertHistory(other.connection, history);
      // 55 cohort rows in batches of 4 (the last one short), shape rows one per INSERT.
      const batched = await buildBaseline(other.connection, testPlan(), { ...options, writeBatch: 4 });
      expect(batched).toEqual(whole);
      const [a, b] = [await loadBaseline(store.connection), await loadBaseline(other.connection)];
      expect(b.cohorts).toHaveLength(55);
      expect(b.cohorts).toEqual(a.cohorts);
      expect(b.shapes.size).toBeGreaterThan(4);
      expect(b.shapes).toEqual(a.shapes);
    } finally {
      other.close();
    }
  });

  it('makes a new snapshot when the plan changes, keeping the old one', async () => {
    await insertHistory(store.connection, history);
    const first = await buildBaseline(store.connection, testPlan(), options);
    const second = await buildBaseline(store.connection, testPlan({ dimensions: [['idp']] }), options);
    expect(second.snapshotId).not.toBe(first.snapshotId);
    expect((await loadBaseline(store.connection, first.snapshotId)).cohorts).toHaveLength(55);
    expect((await loadBaseline(store.connection, second.snapshotId)).cohorts).toHaveLength(15);
  });

  it('fits the same level, drift and covariance as weightedLogitTrend when there is no extra variance', async () => {
    // Under-dispersed by construction (x_w = 2 or 3 of 40 every hour), so τ² = 0 and no window is flagged.
    const events = [];
    for (let h = 0; h < 48; h++) {
      const failures = h % 3 === 0 ? 3 : 2;
      for (let k = 0; k < 40; k++) {
        const ts = new Date(Date.parse('2026-09-01T00:00:00Z') + h * 3_600_000 + k * 60_000).toISOString();
        events.push({ ts, user: `u${k}`, failed: k < failures, error: 'invalid_grant', latencyMs: 100 + k, mfa: k % 2 === 0 });
      }
    }
    await insertEvents(store.connection, events);
    const plan = testPlan({ dimensions: [['tenant']], metrics: [{ name: 'error_rate:invalid_grant', tolerance: 0.01 }], baseline: { start: '2026-09-01', end: '2026-09-03' } });
    await buildBaseline(store.connection, plan, options);
    const { cohorts } = await loadBaseline(store.connection);
    const everyone = cohorts.find((c) => c.cohortKey === '');
    expect(everyone).toMatchObject({ tau2: 0, shapeSource: 'global', shrunk: false });
    const reference = weightedLogitTrend(
      Array.from({ length: 48 }, (_, h) => ({ x: h % 3 === 0 ? 3 : 2, n: 40, t: Date.parse('2026-09-01T00:00:00Z') / 86_400_000 + h / 24, offset: 0 })),
    );
    expect(everyone?.level).toBeCloseTo(reference.level, 9);
    expect(everyone?.trendPerDay).toBeCloseTo(reference.slope, 9);
    expect(everyone?.varLevel).toBeCloseTo(reference.varLevel, 9);
    expect(everyone?.varTrend).toBeCloseTo(reference.varSlope, 9);
    expect(everyone?.covLevelTrend).toBeCloseTo(reference.covLevelSlope, 9);
    expect(everyone?.tBar.getTime()).toBeCloseTo(reference.tBar * 86_400_000, 0);
  });

  it('learns the daily shape of a big cohort, the extra window-to-window variance, and leaves an incident out of the level', async () => {
    const noisy = { ...history, tenants: 2, perHour: 200, hourNoise: 0.3 };
    const plan = testPlan({ dimensions: [['idp']], metrics: [{ name: 'success_rate', tolerance: 0.01 }] });
    await insertHistory(store.connection, noisy);
    await buildBaseline(store.connection, plan, options);
    const clean = await loadBaseline(store.connection);
    const everyone = clean.cohorts.find((c) => c.cohortKey === '');
    expect(everyone?.shapeSource).toBe('own');
    // success is modelled, so the shape is high where the failure rate p(1 + 0.5 sin(2πh/24)) is low (h = 18) and low at h = 6.
    const shape = clean.shapes.get('|success_rate');
    expect((shape?.[18] ?? 0) - (shape?.[6] ?? 0)).toBeGreaterThan(0.7);
    // log-multiplier sd 0.3 per hour: τ² ≈ 0.09 on the logit scale.
    expect(everyone?.tau2).toBeGreaterThan(0.04);
    expect(everyone?.tau2).toBeLessThan(0.2);

    const other = await openStore(':memory:');
    try {
      await insertHistory(other.connection, noisy);
      // An incident: every login of one hour fails (400 failures, about 6% of the period's failures).
      await run(other.connection, sql`UPDATE login_events SET outcome = 'failure' WHERE ts >= '2026-09-05T04:00:00Z' AND ts < '2026-09-05T05:00:00Z'`);
      await buildBaseline(other.connection, plan, options);
      const withIncident = (await loadBaseline(other.connection)).cohorts.find((c) => c.cohortKey === '');
      expect(Math.abs((withIncident?.level ?? 0) - (everyone?.level ?? 0))).toBeLessThan(0.01);
      expect(Math.abs((withIncident?.tau2 ?? 0) - (everyone?.tau2 ?? 0))).toBeLessThan(0.01);
      expect(withIncident?.mean).toBeLessThan((everyone?.mean ?? 0) - 0.002);
    } finally {
      other.close();
    }
  });

  it('shrinks small cohorts toward their parent and says so', async () => {
    await insertHistory(store.connection, { ...history, tenants: 6, perHour: 1 });
    await buildBaseline(store.connection, testPlan({ dimensions: [['tenant']], metrics: [{ name: 'success_rate', tolerance: 0.01 }] }), options);
    const tenants = (await loadBaseline(store.connection)).cohorts.filter((c) => c.cohortKey.startsWith('tenant='));
    expect(tenants).toHaveLength(6);
    for (const t of tenants) {
      expect(t.shrunk).toBe(true);
      expect(t.shrinkWeight).toBeGreaterThanOrEqual(0);
      expect(t.shrinkWeight).toBeLessThan(1);
      expect(t.trendPerDay).toBe(0);
    }
  });
});

describe('buildBaseline on bad input', () => {
  const expectNothingWritten = async () => expect(await count('baseline_snapshots')).toBe(0n);

  it('refuses an empty store', async () => {
    await expect(buildBaseline(store.connection, testPlan(), options)).rejects.toThrow(new UserError("no events: run 'stagewise ingest' first"));
    await expectNothingWritten();
  });

  it('refuses a baseline period without events', async () => {
    await insertHistory(store.connection, history);
    const plan = testPlan({ baseline: { start: '2026-08-01', end: '2026-08-15' } });
    await expect(buildBaseline(store.connection, plan, options)).rejects.toThrow(/baseline period .* has no events/);
    await expectNothingWritten();
  });

  it('names the metric and the column when a metric has no values', async () => {
    await insertHistory(store.connection, history);
    await run(store.connection, sql`UPDATE login_events SET latency_ms = NULL`);
    await expect(buildBaseline(store.connection, testPlan(), options)).rejects.toThrow(
      'metric latency_p95: column latency_ms is NULL (or ≤ 0) in every legacy event of the baseline period',
    );
    await expectNothingWritten();
  });

  it('refuses a plan dimension without values', async () => {
    await insertHistory(store.connection, history);
    await run(store.connection, sql`UPDATE login_events SET region = NULL`);
    await expect(buildBaseline(store.connection, testPlan({ dimensions: [['region']] }), options)).rejects.toThrow(
      /dimension region has no values in the baseline period/,
    );
    await expectNothingWritten();
  });
});

describe('snapshotId', () => {
  it('changes with any input', () => {
    const inputs = { planHash: 'abc', from: new Date(0), to: new Date(1), fingerprint: '1|1|x', toolkitVersion: '0.1.0' };
    expect(snapshotId(inputs)).toMatch(/^bl-[0-9a-f]{16}$/);
    expect(snapshotId(inputs)).toBe(snapshotId({ ...inputs }));
    expect(snapshotId({ ...inputs, fingerprint: '2|1|x' })).not.toBe(snapshotId(inputs));
    expect(snapshotId({ ...inputs, toolkitVersion: '0.2.0' })).not.toBe(snapshotId(inputs));
  });
});

describe('loadTraffic', () => {
  it('gives each stored cohort its hour-of-week volume, design effect and tenant spread', async () => {
    await insertHistory(store.connection, history);
    const { snapshotId: id } = await buildBaseline(store.connection, testPlan(), options);
    const traffic = await loadTraffic(store.connection, id);
    expect([...traffic.keys()].sort()).toEqual([
      '|', 'idp|idp=azure', 'idp|idp=okta', 'tenant,idp|tenant=t0|idp=okta', 'tenant,idp|tenant=t1|idp=azure',
      'tenant,idp|tenant=t2|idp=okta', 'tenant,idp|tenant=t3|idp=azure', 'tenant|tenant=t0', 'tenant|tenant=t1', 'tenant|tenant=t2', 'tenant|tenant=t3',
    ].sort());
    // 4 tenants × 12 attempts every hour of the two weeks.
    expect([...(traffic.get('|')?.attemptsPerHour ?? [])]).toEqual(new Array(168).fill(48));
    expect([...(traffic.get('idp|idp=okta')?.attemptsPerHour ?? [])]).toEqual(new Array(168).fill(24));
    expect(traffic.get('|')).toMatchObject({ tenants: 4, tenantsEffective: 4 });
    expect(traffic.get('idp|idp=okta')).toMatchObject({ tenants: 2, tenantsEffective: 2 });
    expect(traffic.get('tenant|tenant=t1')).toMatchObject({ tenants: 1, tenantsEffective: 1 });
    // Latency is uniform on 50–250 ms: the sd of its log is about 0.4.
    expect(traffic.get('|')?.logSd).toBeGreaterThan(0.3);
    expect(traffic.get('|')?.logSd).toBeLessThan(0.5);
    expect(traffic.get('|')?.designEffect).toBeGreaterThan(0.5);
  });
});
