import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readPlan } from '../../src/plan/read-plan.js';

let dir: string;
const SMALL = ['--days', '14', '--tenants', '5', '--events-per-day', '400'];

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'stagewise', 'simulate', ...args]);
    return { code, out: out.join('\n'), err: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagewise-cli-simulate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stagewise simulate', () => {
  it('writes events, plan and truth with the default regressions, and prints a one-paragraph summary', async () => {
    const out = join(dir, 'default');
    const { code, out: stdout } = await cli('--out', out, ...SMALL);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toHaveLength(1);
    expect(stdout).toMatch(/^Simulated [\d,]+ login events of [\d,]+ users in 5 tenants over 14 days from 2026-09-01 \(seed 7/);
    expect(stdout).toContain('tenant=t003 success_rate -0.02 from stage-2');
    expect((await readdir(out)).sort()).toEqual(['events-week-01.parquet', 'events-week-02.parquet', 'plan.json', 'truth.json']);
    const plan = await readPlan(join(out, 'plan.json'));
    expect(plan.stages.map((s) => s.unit)).toEqual(['user', 'user', 'user', 'user', 'user']);
    const truth = JSON.parse(await readFile(join(out, 'truth.json'), 'utf8'));
    expect(truth.injections.map((i: { metric: string }) => i.metric)).toEqual([
      'success_rate',
      'latency_p95',
      'error_rate:upstream_timeout',
    ]);
  });

  it('injects nothing with --no-regression, and takes injections from --inject and --inject-file', async () => {
    const aa = join(dir, 'aa');
    expect((await cli('--out', aa, ...SMALL, '--no-regression', '--routing', 'tenant', '--format', 'jsonl')).code).toBe(0);
    const truth = JSON.parse(await readFile(join(aa, 'truth.json'), 'utf8'));
    expect(truth.injections).toEqual([]);
    expect(truth.options.routing).toBe('tenant');
    expect((await readdir(aa)).filter((f) => f.endsWith('.jsonl'))).toHaveLength(2);

    const file = join(dir, 'injections.json');
    await writeFile(file, JSON.stringify(['app=ios:mfa_rate:0.1@stage-4', { cohort: { idp: 'okta-oidc' }, metric: 'latency_p95', effect: 0.5, stage: 'post' }]));
    const given = join(dir, 'given');
    const run = await cli('--out', given, ...SMALL, '--inject', 'tenant=t001:success_rate:-0.01@stage-3', '--inject-file', file);
    expect(run.code).toBe(0);
    const injections = JSON.parse(await readFile(join(given, 'truth.json'), 'utf8')).injections;
    expect(injections.map((i: { metric: string; stage: string }) => `${i.metric}@${i.stage}`)).toEqual([
      'success_rate@stage-3',
      'mfa_rate@stage-4',
      'latency_p95@post',
    ]);
  });

  it('writes files that stagewise ingest loads completely, from the events-* glob', async () => {
    const out = join(dir, 'default');
    const truth = JSON.parse(await readFile(join(out, 'truth.json'), 'utf8'));
    expect(truth.options.days).toBe(14);
    // ingest does not create the store's folder before its pseudonym key (reported); make it here.
    await mkdir(join(dir, 'store'), { recursive: true });
    const db = join(dir, 'store', 'sim.duckdb');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    let code: number;
    try {
      code = await main(['node', 'stagewise', 'ingest', join(out, 'events-*.parquet'), '--db', db]);
    } finally {
      log.mockRestore();
    }
    expect(code).toBe(0);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const loaded = (await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM login_events')).getRowObjectsJson();
    const written = (
      await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM read_parquet(?)', [join(out, 'events-*.parquet')])
    ).getRowObjectsJson();
    connection.closeSync();
    instance.closeSync();
    expect(loaded).toEqual(written);
  });

  it('rejects a malformed --inject with a usage error naming the problem', async () => {
    const { code, err } = await cli('--out', join(dir, 'bad'), ...SMALL, '--inject', 'tenant=t001:p99:0.2@stage-2');
    expect(code).toBe(1);
    expect(err).toMatch(/metric must be/);
  });

  it('rejects --no-regression together with --inject, and an unknown stage, as user errors', async () => {
    const both = await cli('--out', join(dir, 'both'), ...SMALL, '--no-regression', '--inject', 'app=ios:mfa_rate:0.1@stage-2');
    expect(both.code).toBe(1);
    expect(both.err).toBe('error: --no-regression cannot be combined with --inject or --inject-file');
    const stage = await cli('--out', join(dir, 'stage'), ...SMALL, '--inject', 'app=ios:mfa_rate:0.1@stage-7');
    expect(stage.code).toBe(1);
    expect(stage.err).toMatch(/^error: injection stage "stage-7" is not one of stage-1, .*post$/);
  });

  it('rejects a --start that is not a UTC midnight', async () => {
    const { code, err } = await cli('--out', join(dir, 'noon'), ...SMALL, '--start', '2026-09-01T12:00:00Z');
    expect(code).toBe(1);
    expect(err).toMatch(/starts at UTC midnight/);
  });

  it('rejects fewer days than the schedule needs', async () => {
    const { code, err } = await cli('--out', join(dir, 'short'), '--days', '5');
    expect(code).toBe(1);
    expect(err).toMatch(/at least 7 days/);
  });
});
