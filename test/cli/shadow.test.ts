import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { ShadowReport } from '../../src/shadow/shadow-report.js';
import { withStore } from '../../src/store/open.js';
import { insertShadowDay, testPlan } from '../shadow/shadow-store.js';

let dir: string;
let out: string[];
let err: string[];

async function store(name: string, shadow: boolean): Promise<string> {
  const db = join(dir, name);
  await withStore(db, {}, ({ connection }) => insertShadowDay(connection, 1000, shadow));
  return db;
}

async function plan(content: unknown): Promise<string> {
  const file = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(content));
  return file;
}

const shadow = (...args: string[]) => main(['node', 'stagewise', 'shadow', ...args]);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagewise-shadow-'));
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('stagewise shadow', () => {
  it('exits 3 on a regression, names the cohort, its mismatch kinds and where mismatches concentrate, and writes JSON', async () => {
    const db = await store('s.duckdb', true);
    const json = join(dir, 'shadow.json');
    expect(await shadow('--db', db, '--plan', await plan(testPlan()), '--stage', 'stage-1', '--json', json)).toBe(3);
    expect(err).toEqual([]);
    const report = JSON.parse(await readFile(json, 'utf8')) as ShadowReport;
    const verdicts = Object.fromEntries(report.results.map((r) => [Object.entries(r.cohort).map(([k, v]) => `${k}=${v}`).join('|'), r.verdict]));
    // t4: 10% mismatches over 24 000 pairs, all on okta (even ordinals); t1–t3: 0.1% (below the 0.2% floor).
    expect(verdicts).toMatchObject({
      '': 'regression', 'tenant=t4': 'regression', 'tenant=t1': 'pass', 'tenant=t2': 'pass', 'tenant=t3': 'pass',
      'tenant=t4|idp=okta': 'regression', 'tenant=t4|idp=entra': 'pass', 'tenant=t1|idp=okta': 'pass',
    });
    expect(report.results).toHaveLength(1 + 4 + 8);
    expect(report.results.every((r) => r.p_adjusted !== null && r.design === 'shadow_paired')).toBe(true);
    expect(report.results[0]).toMatchObject({ n: 96_000, mismatches: 2472, shadow_errors: 96, paired: { b: 192, c: 96 } });
    expect(report.kinds.overall.map((k) => [k.kind, k.mismatches])).toEqual([['sub', 816], ['aud', 792], ['claims', 792], ['exp', 72]]);
    expect(report.kinds.flagged.map((f) => f.cohort)).toEqual([{ tenant: 't4' }, { tenant: 't4', idp: 'okta' }]);
    // Ranked by excess over m0 · pairs: t4 × okta holds all of t4's mismatches in half its pairs.
    expect(report.concentration.cohorts.slice(0, 2)).toMatchObject([
      { cohort: { tenant: 't4', idp: 'okta' }, pairs: 12_000, mismatches: 2400, excess: 2400 - 24 },
      { cohort: { tenant: 't4' }, pairs: 24_000, mismatches: 2400, excess: 2400 - 48 },
    ]);
    expect(report.regressions).toBe(3);
    const text = out.join('\n');
    expect(text).toContain('Mismatch kinds, tenant=t4: sub 816 (34%), aud 792 (33%), claims 792 (33%)');
    expect(text).toMatch(/^tenant=t4 +24000 +2400 +24 +10\.000%/m);
    expect(text).toContain('3 regression(s) against the noise floor.');
  });

  it('exits 0 when no cohort exceeds a higher noise floor, looking only at hours before --at', async () => {
    const db = await store('s.duckdb', true);
    const file = await plan(testPlan([{ name: 'shadow_mismatch_rate', tolerance: 0.3 }]));
    const json = join(dir, 'shadow.json');
    expect(await shadow('--db', db, '--plan', file, '--stage', 'stage-1', '--at', '2026-10-04T06:30:00Z', '--json', json)).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as ShadowReport;
    expect(report.window).toEqual({ start: '2026-10-04T00:00:00.000Z', end: '2026-10-04T06:00:00.000Z' });
    expect(report.results[0]?.n).toBe(6 * 4000);
    expect(report.results.every((r) => r.verdict === 'pass')).toBe(true);
    expect(out.join('\n')).toContain('No regression against the noise floor.');
  });

  it('fails with a UserError naming the stage when the candidate traffic carries no shadow tokens', async () => {
    const db = await store('none.duckdb', false);
    expect(await shadow('--db', db, '--plan', await plan(testPlan()), '--stage', 'stage-1')).toBe(1);
    expect(err).toEqual([
      'error: stage stage-1 (2026-10-04T00:00:00.000Z to 2026-10-05T00:00:00.000Z) has no shadow pairs: the candidate traffic ' +
        '(provider nova, 96000 candidate attempts) carries no shadow tokens; ingest events with shadow_outcome set, or check that dual-write is on for the candidate',
    ]);
  });

  it('exits 1 for a stage the plan lacks, and for a plan without the shadow metric', async () => {
    const db = await store('s.duckdb', true);
    expect(await shadow('--db', db, '--plan', await plan(testPlan()), '--stage', 'stage-9')).toBe(1);
    expect(err[0]).toBe('error: stage "stage-9" is not in plan shadow test; its stages are stage-1');
    const file = await plan(testPlan([{ name: 'success_rate', tolerance: 0.005 }]));
    expect(await shadow('--db', db, '--plan', file, '--stage', 'stage-1')).toBe(1);
    expect(err[1]).toMatch(/^error: plan .* has no shadow_mismatch_rate metric/);
  });
});

describe('stagewise shadow on simulated history (simulate → ingest → shadow)', () => {
  it('finds the injected mismatch regression in tenant t002 only where it was injected', async () => {
    const sim = join(dir, 'sim');
    const db = join(dir, 'sim.duckdb');
    const inject = 'tenant=t002:shadow_mismatch_rate:+0.03@stage-3';
    expect(await main(['node', 'stagewise', 'simulate', '--out', sim, '--seed', '3', '--days', '14', '--tenants', '6',
      '--events-per-day', '8000', '--inject', inject])).toBe(0);
    expect(await main(['node', 'stagewise', 'ingest', '--db', db, join(sim, '*.parquet')])).toBe(0);
    const planFile = join(sim, 'plan.json');
    // Before the injection (stage-2) nothing is flagged; from stage-3 on t002 is.
    expect(await shadow('--db', db, '--plan', planFile, '--stage', 'stage-2')).toBe(0);
    const json = join(dir, 'stage-4.json');
    expect(await shadow('--db', db, '--plan', planFile, '--stage', 'stage-4', '--json', json)).toBe(3);
    const report = JSON.parse(await readFile(json, 'utf8')) as ShadowReport;
    const regressions = report.results.filter((r) => r.verdict === 'regression');
    expect(regressions.map((r) => r.cohort)).toContainEqual({ tenant: 't002' });
    // Every flagged cohort with a tenant is t002; the others are parents holding t002's pairs.
    expect(regressions.every((r) => r.cohort.tenant === undefined || r.cohort.tenant === 't002')).toBe(true);
    expect(report.concentration.cohorts[0]?.cohort.tenant).toBe('t002');
    expect(err).toEqual([]);
  });
});
