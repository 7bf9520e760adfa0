import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/plan/plan.js';
import { allJson } from '../../src/store/query.js';
import { ident, sql } from '../../src/store/sql.js';
import { parseInjection } from '../../src/simulate/injection.js';
import type { SimulateOptions } from '../../src/simulate/options.js';
import { simulate, type SimulationResult } from '../../src/simulate/simulate.js';

const OPTIONS: SimulateOptions = {
  seed: 7,
  days: 56,
  tenants: 20,
  start: new Date('2026-09-01T00:00:00Z'),
  eventsPerDay: 8000,
  routing: 'user',
  injections: [parseInjection('tenant=t002:success_rate:-0.03@stage-2'), parseInjection('region=ap-south:latency_p95:0.3@stage-3')],
};

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let result: SimulationResult;

async function rows<Row>(query: ReturnType<typeof sql>): Promise<Row[]> {
  return allJson<Row>(connection, query);
}

function checksum(table: string) {
  return sql`SELECT count(*)::BIGINT AS n,
                    bit_xor(hash(event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
                                 latency_ms, mfa_challenged, shadow_outcome, shadow_diff))::VARCHAR AS h
             FROM ${ident(table)}`;
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  connection = await instance.connect();
  result = await simulate(connection, OPTIONS, 'events');
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

describe('simulate', () => {
  it('gives the same events for the same seed and options, and different ones for another seed', async () => {
    await simulate(connection, OPTIONS, 'again');
    await simulate(connection, { ...OPTIONS, seed: 8 }, 'other');
    const [a] = await rows<{ n: number; h: string }>(checksum('events'));
    const [b] = await rows<{ n: number; h: string }>(checksum('again'));
    const [c] = await rows<{ n: number; h: string }>(checksum('other'));
    expect(b).toEqual(a);
    expect(c?.h).not.toEqual(a?.h);
  });

  it('writes a plan that passes checkPlan, with the stages of the schedule', () => {
    const check = checkPlan(result.plan);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.plan.stages.map((s) => s.share)).toEqual([0.02, 0.05, 0.25, 0.5, 1]);
    expect(check.plan.baseline.end.toISOString()).toBe('2026-09-29T00:00:00.000Z');
    expect(check.plan.postRollout?.end.toISOString()).toBe('2026-10-27T00:00:00.000Z');
    expect(check.plan.metrics.map((m) => m.name)).toContain('error_rate:upstream_timeout');
  });

  it('produces about events-per-day events a day, each with the canonical columns', async () => {
    expect(result.events / OPTIONS.days).toBeGreaterThan(OPTIONS.eventsPerDay * 0.9);
    expect(result.events / OPTIONS.days).toBeLessThan(OPTIONS.eventsPerDay * 1.1);
    const columns = await rows<{ column_name: string }>(sql`SELECT column_name FROM (DESCRIBE events)`);
    expect(columns.map((c) => c.column_name)).toEqual([
      'event_id', 'ts', 'user_id', 'tenant', 'idp', 'app', 'region', 'provider', 'outcome', 'error_code',
      'latency_ms', 'mfa_challenged', 'shadow_outcome', 'shadow_diff',
    ]);
    const [ids] = await rows<{ n: number; distinct_ids: number }>(
      sql`SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS distinct_ids FROM events`,
    );
    expect(ids?.distinct_ids).toBe(ids?.n);
  });

  it('keeps success rates per IdP between 95% and 99.5% on legacy traffic in the baseline', async () => {
    const byIdp = await rows<{ idp: string; rate: number }>(sql`
      SELECT idp, avg((outcome = 'success')::INTEGER) AS rate FROM events
      WHERE ts < TIMESTAMPTZ '2026-09-29 00:00:00+00' GROUP BY idp ORDER BY idp`);
    expect(byIdp.length).toBeGreaterThanOrEqual(3);
    for (const { rate } of byIdp) {
      expect(rate).toBeGreaterThan(0.95);
      expect(rate).toBeLessThan(0.995);
    }
  });
});
