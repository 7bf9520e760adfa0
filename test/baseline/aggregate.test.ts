import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open.js';
import { all, run } from '../../src/store/query.js';
import { ident, sql } from '../../src/store/sql.js';
import {
  alignHour,
  cohortErrorsHourly,
  cohortHourly,
  cohortLatency,
  cohortTotals,
  eventChunks,
  refreshAggregates,
} from '../../src/baseline/aggregate.js';
import { insertEvents } from './events.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

const events = [
  { ts: '2026-09-01T10:05:00Z', user: 'a', failed: true, error: 'invalid_grant', latencyMs: 100, mfa: true },
  { ts: '2026-09-01T10:10:00Z', user: 'a', failed: true, error: 'invalid_grant', latencyMs: 200, mfa: false },
  { ts: '2026-09-01T10:20:00Z', user: 'a', latencyMs: 0 },
  { ts: '2026-09-01T10:30:00Z', user: 'b', failed: true, error: null, shadow: 'match' as const },
  { ts: '2026-09-01T10:40:00Z', user: null, failed: true, error: 'timeout', shadow: 'shadow_error' as const },
  { ts: '2026-09-01T10:50:00Z', user: null, shadow: 'shadow_error' as const },
  { ts: '2026-09-01T11:00:00Z', user: 'a', tenant: null, provider: 'candidate', shadow: 'mismatch' as const },
];

describe('refreshAggregates', () => {
  it('writes the hourly sums, user-level sums, error codes and latency bins', async () => {
    await insertEvents(store.connection, events);
    const result = await refreshAggregates(store.connection);
    expect(result).toMatchObject({ rebuilt: true, events: 7, rows: 2 });
    const rows = await all<Record<string, unknown>>(
      store.connection,
      sql`SELECT * EXCLUDE (hour, latency_sum_log, latency_sumsq_log), epoch(hour) AS epoch, latency_sum_log, latency_sumsq_log
          FROM agg_hourly ORDER BY hour`,
    );
    expect(rows[0]).toMatchObject({
      tenant: 't1', provider: 'legacy', attempts: 6n, failures: 4n, mfa_known: 2n, mfa_challenged: 1n, latency_n: 2n,
      shadow_pairs: 3n, shadow_mismatches: 0n, shadow_errors: 2n, shadow_live_fail_legacy_ok: 1n, shadow_live_ok_legacy_fail: 1n,
      // users: a (n=3, x=2), b (n=1, x=1), and two anonymous events counted as one unit each
      users: 4n, user_sxx: 4 + 1 + 1, user_snn: 9 + 1 + 2, user_sxn: 6 + 1 + 1,
      epoch: Date.parse('2026-09-01T10:00:00Z') / 1000,
    });
    // Log latency is summed in a fixed point of 10⁻⁶ per event.
    expect(rows[0]?.['latency_sum_log']).toBeCloseTo(Math.log(100) + Math.log(200), 5);
    expect(rows[0]?.['latency_sumsq_log']).toBeCloseTo(Math.log(100) ** 2 + Math.log(200) ** 2, 5);
    expect(rows[1]).toMatchObject({ tenant: '(none)', provider: 'candidate', attempts: 1n, shadow_mismatches: 1n });
    const errors = await all(store.connection, sql`SELECT error_code, failures FROM agg_hourly_errors ORDER BY error_code`);
    expect(errors).toEqual([
      { error_code: '(none)', failures: 1n },
      { error_code: 'invalid_grant', failures: 2n },
      { error_code: 'timeout', failures: 1n },
    ]);
    const bins = await all(store.connection, sql`SELECT bin, count FROM agg_hourly_latency ORDER BY bin`);
    expect(bins).toEqual([
      { bin: Math.floor(Math.log(100) / Math.log(1.05)), count: 1n },
      { bin: Math.floor(Math.log(200) / Math.log(1.05)), count: 1n },
    ]);
  });

  it('does nothing on a re-run without new events, and rebuilds after new ones', async () => {
    await insertEvents(store.connection, events);
    await refreshAggregates(store.connection);
    expect((await refreshAggregates(store.connection)).rebuilt).toBe(false);
    await insertEvents(store.connection, [{ ts: '2026-09-01T10:55:00Z', user: 'c' }]);
    const again = await refreshAggregates(store.connection);
    expect(again.rebuilt).toBe(true);
    const [row] = await all<{ attempts: bigint; n: bigint }>(
      store.connection,
      sql`SELECT sum(attempts)::BIGINT AS attempts, count(*) AS n FROM agg_hourly`,
    );
    expect(row).toEqual({ attempts: 8n, n: 2n });
  });

  it('rebuilds only the hours of a period, leaving the others as they were', async () => {
    await insertEvents(store.connection, events);
    await refreshAggregates(store.connection);
    await run(store.connection, sql`DELETE FROM login_events WHERE ts >= '2026-09-01T11:00:00Z'`);
    const result = await refreshAggregates(store.connection, {
      from: new Date('2026-09-01T10:30:00Z'),
      to: new Date('2026-09-01T10:45:00Z'),
    });
    expect(result).toMatchObject({ rebuilt: true, from: new Date('2026-09-01T10:00:00Z'), to: new Date('2026-09-01T11:00:00Z') });
    const rows = await all(store.connection, sql`SELECT provider, attempts FROM agg_hourly ORDER BY hour`);
    expect(rows).toEqual([
      { provider: 'legacy', attempts: 6n },
      { provider: 'candidate', attempts: 1n },
    ]);
  });

  it('gives the same bits on every run', async () => {
    await insertEvents(store.connection, events);
    await refreshAggregates(store.connection);
    const first = await all(store.connection, sql`SELECT * FROM agg_hourly ORDER BY hour`);
    await run(store.connection, sql`DELETE FROM agg_state`);
    await refreshAggregates(store.connection);
    expect(await all(store.connection, sql`SELECT * FROM agg_hourly ORDER BY hour`)).toEqual(first);
  });

  it('gives the same tables when it aggregates a day at a time', async () => {
    const days = [...events, ...events.map((e) => ({ ...e, ts: e.ts.replace('09-01', '09-02') })), { ts: '2026-09-04T23:59:00Z', user: 'a' }];
    await insertEvents(store.connection, days);
    const tables = async () =>
      Promise.all(
        ['agg_hourly', 'agg_hourly_errors', 'agg_hourly_latency'].map((t) =>
          all(store.connection, sql`SELECT * FROM ${ident(t)} ORDER BY ALL`),
        ),
      );
    await refreshAggregates(store.connection);
    const whole = await tables();
    expect(await eventChunks(store.connection, { from: null, to: null }, 1)).toEqual([
      { from: null, to: new Date('2026-09-02T00:00:00Z') },
      { from: new Date('2026-09-02T00:00:00Z'), to: new Date('2026-09-04T00:00:00Z') },
      { from: new Date('2026-09-04T00:00:00Z'), to: null },
    ]);
    await run(store.connection, sql`DELETE FROM agg_state`);
    await refreshAggregates(store.connection, undefined, { chunkEvents: 1 });
    expect(await tables()).toEqual(whole);
    const period = { from: new Date('2026-09-01T10:30:00Z'), to: new Date('2026-09-04T12:00:00Z') };
    expect(await eventChunks(store.connection, period, 8)).toEqual([
      { from: period.from, to: new Date('2026-09-02T00:00:00Z') },
      { from: new Date('2026-09-02T00:00:00Z'), to: period.to },
    ]);
  });
});

describe('alignHour', () => {
  it('rounds down and up to whole UTC hours', () => {
    expect(alignHour(new Date('2026-09-01T10:17:00Z'), 'floor')).toEqual(new Date('2026-09-01T10:00:00Z'));
    expect(alignHour(new Date('2026-09-01T10:17:00Z'), 'ceil')).toEqual(new Date('2026-09-01T11:00:00Z'));
    expect(alignHour(new Date('2026-09-01T10:00:00Z'), 'ceil')).toEqual(new Date('2026-09-01T10:00:00Z'));
  });
});

describe('cohort roll-ups', () => {
  const period = { from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-09-02T00:00:00Z') };

  it('roll agg_hourly up to a cohort, hour and provider', async () => {
    await insertEvents(store.connection, events);
    await refreshAggregates(store.connection);
    const rows = await all<Record<string, unknown>>(store.connection, cohortHourly({ dimensions: ['tenant', 'idp'], period }));
    expect(rows.map((r) => [r['cohort_key'], r['provider'], r['attempts'], r['failures']])).toEqual([
      ['tenant=(none)|idp=okta', 'candidate', 1n, 0n],
      ['tenant=t1|idp=okta', 'legacy', 6n, 4n],
    ]);
    const everyone = await all<Record<string, unknown>>(
      store.connection,
      cohortTotals({ dimensions: [], period, providers: ['legacy'] }),
    );
    expect(everyone).toHaveLength(1);
    expect(everyone[0]).toMatchObject({ cohort_key: '', provider: 'legacy', hours: 1n, attempts: 6n, users: 4n });
  });

  it('roll error codes and latency bins up', async () => {
    await insertEvents(store.connection, events);
    await refreshAggregates(store.connection);
    const errors = await all(store.connection, cohortErrorsHourly({ dimensions: ['idp'], period, errorCode: 'invalid_grant' }));
    expect(errors).toEqual([
      { idp: 'okta', cohort_key: 'idp=okta', hour: expect.anything(), provider: 'legacy', failures: 2n },
    ]);
    const latency = await all<{ count: bigint }>(store.connection, cohortLatency({ dimensions: ['region'], period }));
    expect(latency.map((r) => r.count)).toEqual([1n, 1n]);
  });

  it('build SQL that DuckDB accepts for every dimension count', async () => {
    for (const dimensions of [[], ['tenant'], ['tenant', 'idp', 'app']] as const) {
      for (const query of [
        cohortHourly({ dimensions, period, providers: ['a', 'b'] }),
        cohortTotals({ dimensions, period }),
        cohortLatency({ dimensions, period, byHour: true }),
      ]) {
        await expect(all(store.connection, sql`EXPLAIN ${query}`)).resolves.toBeDefined();
      }
    }
  });
});
