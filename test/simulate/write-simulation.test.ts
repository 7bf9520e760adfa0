import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlan } from '../../src/plan/read-plan.js';
import { allJson } from '../../src/store/query.js';
import { raw, sql } from '../../src/store/sql.js';
import type { SimulateOptions } from '../../src/simulate/options.js';
import { parseInjection } from '../../src/simulate/injection.js';
import { writeSimulation } from '../../src/simulate/write-simulation.js';

const OPTIONS: SimulateOptions = {
  seed: 3,
  days: 14,
  tenants: 6,
  start: new Date('2026-09-01T00:00:00Z'),
  eventsPerDay: 1500,
  routing: 'user',
  injections: [parseInjection('tenant=t002:success_rate:-0.05@stage-3')],
};

let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Count and an order-independent hash of every column but ts, which text formats write as a string. */
async function content(reader: string, files: readonly string[]): Promise<{ n: number; h: string; first: string }> {
  const [row] = await allJson<{ n: number; h: string; first: string }>(
    connection,
    sql`SELECT count(*)::INTEGER AS n,
               bit_xor(hash(event_id, user_id, tenant, idp, app, region, provider, outcome, error_code,
                            latency_ms::DOUBLE, mfa_challenged, shadow_outcome, shadow_diff))::VARCHAR AS h,
               min(ts::TIMESTAMPTZ)::VARCHAR AS first
        FROM ${raw(reader)}(${listValue([...files])})`,
  );
  if (!row) throw new Error('no row');
  return row;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagewise-simulate-'));
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  connection = await instance.connect();
});

afterAll(async () => {
  connection.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

describe('writeSimulation', () => {
  it('writes one parquet file per week, plan.json and truth.json, byte-identical when run again', async () => {
    const first = await writeSimulation(connection, OPTIONS, join(dir, 'a'));
    const second = await writeSimulation(connection, OPTIONS, join(dir, 'b'));
    expect((await readdir(join(dir, 'a'))).sort()).toEqual([
      'events-week-01.parquet',
      'events-week-02.parquet',
      'plan.json',
      'truth.json',
    ]);
    for (const [a, b] of first.files.map((file, i) => [file, second.files[i] ?? ''] as const)) {
      expect(await sha256(b)).toBe(await sha256(a));
    }
    expect(first.counts.events).toBeGreaterThan(OPTIONS.eventsPerDay * OPTIONS.days * 0.85);
    expect(first.counts.users).toBeGreaterThan(100);
  });

  it('writes a plan file that readPlan accepts and a truth file naming the seed and injections', async () => {
    const plan = await readPlan(join(dir, 'a', 'plan.json'));
    expect(plan.providers).toEqual({ legacy: 'legacy-idp', candidate: 'nova-auth' });
    expect(plan.stages).toHaveLength(5);
    const truth = JSON.parse(await readFile(join(dir, 'a', 'truth.json'), 'utf8'));
    expect(truth.seed).toBe(3);
    expect(truth.injections).toEqual([
      { cohort: { tenant: 't002' }, metric: 'success_rate', effect: -0.05, stage: 'stage-3', start: plan.stages[2]?.start.toISOString() },
    ]);
  });

  it('writes the same events as csv and jsonl, with ts as an ISO-8601 UTC string', async () => {
    const parquet = await writeSimulation(connection, OPTIONS, join(dir, 'p'), 'parquet');
    const csv = await writeSimulation(connection, OPTIONS, join(dir, 'c'), 'csv');
    const jsonl = await writeSimulation(connection, OPTIONS, join(dir, 'j'), 'jsonl');
    const reference = await content('read_parquet', parquet.files.slice(0, -2));
    expect(await content('read_csv', csv.files.slice(0, -2))).toEqual(reference);
    expect(await content('read_json', jsonl.files.slice(0, -2))).toEqual(reference);
    const line = (await readFile(jsonl.files[0] ?? '', 'utf8')).split('\n', 1)[0] ?? '';
    expect(JSON.parse(line).ts).toMatch(/^2026-09-01T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('removes event files of an earlier, longer run so a glob reads this run only', async () => {
    const out = join(dir, 'reuse');
    await writeSimulation(connection, { ...OPTIONS, days: 21 }, out);
    await writeFile(join(out, 'notes.txt'), 'kept');
    await writeSimulation(connection, OPTIONS, out);
    expect((await readdir(out)).sort()).toEqual([
      'events-week-01.parquet',
      'events-week-02.parquet',
      'notes.txt',
      'plan.json',
      'truth.json',
    ]);
  });
});
