import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/open.js';
import { all } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { insertHistory } from '../baseline/events.js';
import { planInput } from '../baseline/plan-fixture.js';
import { tempDir } from '../ingest/helpers.js';

let dir: string;
let db: string;
let planFile: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  dir = await tempDir();
  db = join(dir, 'store.duckdb');
  planFile = join(dir, 'plan.json');
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
});
afterEach(() => vi.restoreAllMocks());

const stagewise = (...args: string[]): Promise<number> => main(['node', 'stagewise', ...args]);

async function seed(hours = 28 * 24): Promise<void> {
  const store = await openStore(db);
  try {
    await insertHistory(store.connection, { start: '2026-09-01T00:00:00Z', hours, tenants: 3, perHour: 6, p: 0.05 });
  } finally {
    store.close();
  }
  await writeFile(planFile, JSON.stringify(planInput({ baseline: { start: '2026-09-01', end: '2026-09-29' }, stages: [{ name: 's1', start: '2026-09-29', end: '2026-10-02', share: 0.1 }] })));
}

describe('stagewise baseline', () => {
  it('builds a snapshot, exports it as JSON and Parquet, and a second run changes nothing', async () => {
    await seed();
    expect(await stagewise('baseline', '--db', db, '--plan', planFile, '--export', join(dir, 'b.json'))).toBe(0);
    expect(out.join('\n').split('\n')[0]).toMatch(/^built baseline bl-[0-9a-f]{16}$/);
    const exported = JSON.parse(await readFile(join(dir, 'b.json'), 'utf8')) as { cohorts: unknown[]; shapes: Record<string, number[]> };
    expect(exported.cohorts).toHaveLength((1 + 3 + 2 + 3) * 5);
    expect(Object.values(exported.shapes).every((s) => s.length === 168)).toBe(true);
    out = [];
    expect(await stagewise('baseline', '--db', db, '--plan', planFile, '--export', join(dir, 'b.parquet'))).toBe(0);
    expect(out.join('\n').split('\n')[0]).toMatch(/^unchanged baseline bl-[0-9a-f]{16} \(same plan, data and toolkit: nothing written\)$/);
    const store = await openStore(db, { readOnly: true });
    try {
      const [row] = await all<{ n: bigint }>(store.connection, sql`SELECT count(*) AS n FROM read_parquet(${join(dir, 'b.parquet')})`);
      expect(row?.n).toBe(45n);
    } finally {
      store.close();
    }
  });

  it('reports backtest coverage as a table and JSON', async () => {
    await seed();
    expect(await stagewise('baseline', '--db', db, '--plan', planFile, '--backtest', '--backtest-json', join(dir, 'bt.json'))).toBe(0);
    expect(out.join('\n')).toMatch(/success_rate\s+\d+\s+\d+\.\d%\s+\d+\.\d%/);
    const report = JSON.parse(await readFile(join(dir, 'bt.json'), 'utf8')) as { rows: { metric: string; coverage: number; windows: number }[] };
    expect(report.rows.map((r) => r.metric)).toEqual(['error_rate:invalid_grant', 'mfa_rate', 'success_rate']);
    for (const r of report.rows) {
      expect(r.windows).toBe(14 * 24 * 9);
      expect(r.coverage).toBeGreaterThan(0.85);
    }
  });

  it('says what to run on an empty store and writes nothing', async () => {
    await writeFile(planFile, JSON.stringify(planInput()));
    expect(await stagewise('baseline', '--db', db, '--plan', planFile)).toBe(1);
    expect(err).toEqual(["error: no events: run 'stagewise ingest' first"]);
  });

  it('refuses an export file of another kind', async () => {
    await seed(24);
    expect(await stagewise('baseline', '--db', db, '--plan', planFile, '--export', join(dir, 'b.csv'))).toBe(1);
    expect(err).toEqual([`error: --export ${join(dir, 'b.csv')}: expected a .parquet or .json file`]);
  });
});

describe('stagewise plan', () => {
  it('prints per stage and metric how many cohorts are detectable, and writes every row as JSON', async () => {
    await seed();
    expect(await stagewise('baseline', '--db', db, '--plan', planFile)).toBe(0);
    out = [];
    expect(await stagewise('plan', '--db', db, '--plan', planFile, '--json', join(dir, 'plan-rows.json'))).toBe(0);
    expect(out.join('\n')).toMatch(/^s1:\n {2}metric +cohorts +detectable +median MDE \(seq\.\)\n {2}error_rate:invalid_grant +9 +\d+/);
    const doc = JSON.parse(await readFile(join(dir, 'plan-rows.json'), 'utf8')) as { rows: { stage: string; detectable: boolean; advice?: string }[] };
    expect(doc.rows).toHaveLength(45);
    expect(doc.rows.filter((r) => !r.detectable).every((r) => typeof r.advice === 'string')).toBe(true);
  });

  it('names the stages when asked for one the plan lacks', async () => {
    await seed(24);
    expect(await stagewise('plan', '--db', db, '--plan', planFile, '--stage', 'nope')).toBe(1);
    expect(err).toEqual([`error: no stage nope in ${planFile}: stages are s1`]);
  });
});

describe('stagewise init', () => {
  it('writes a commented YAML plan that stagewise reads back', async () => {
    await seed(24 * 3);
    const file = join(dir, 'start.yaml');
    expect(await stagewise('init', '--db', db, '--out', file)).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# Starting plan written by `stagewise init`/);
    expect(text).toContain('legacy: legacy');
    out = [];
    // The plan it wrote is good enough to baseline the store it came from.
    expect(await stagewise('baseline', '--db', db, '--plan', file)).toBe(0);
    expect(await stagewise('init', '--db', db, '--out', file)).toBe(1);
    expect(err.at(-1)).toBe(`error: ${file} exists: pass --force to overwrite it`);
  });

  it('says what to run on an empty store', async () => {
    const store = await openStore(db);
    store.close();
    expect(await stagewise('init', '--db', db, '--out', join(dir, 'p.yaml'))).toBe(1);
    expect(err).toEqual(["error: no events: run 'stagewise ingest' first"]);
  });
});
