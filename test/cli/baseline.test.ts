import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliStore, seed, stagewise, type CliStore } from '../baseline/cli-store.js';
import { openStore } from '../../src/store/open.js';
import { all } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { planInput } from '../baseline/plan-fixture.js';

let s: CliStore;
beforeEach(async () => {
  s = await cliStore();
});
afterEach(() => vi.restoreAllMocks());

describe('stagewise baseline', () => {
  it('builds a snapshot, exports it as JSON and Parquet, and a second run changes nothing', async () => {
    await seed(s);
    expect(await stagewise('baseline', '--db', s.db, '--plan', s.planFile, '--export', join(s.dir, 'b.json'))).toBe(0);
    expect(s.out.join('\n').split('\n')[0]).toMatch(/^built baseline bl-[0-9a-f]{16}$/);
    const exported = JSON.parse(await readFile(join(s.dir, 'b.json'), 'utf8')) as { cohorts: unknown[]; shapes: Record<string, number[]> };
    expect(exported.cohorts).toHaveLength((1 + 3 + 2 + 3) * 5);
    expect(Object.values(exported.shapes).every((s) => s.length === 168)).toBe(true);
    s.out.length = 0;
    expect(await stagewise('baseline', '--db', s.db, '--plan', s.planFile, '--export', join(s.dir, 'b.parquet'))).toBe(0);
    expect(s.out.join('\n').split('\n')[0]).toMatch(/^unchanged baseline bl-[0-9a-f]{16} \(same plan, data and toolkit: nothing written\)$/);
    const store = await openStore(s.db, { readOnly: true });
    try {
      const [row] = await all<{ n: bigint }>(store.connection, sql`SELECT count(*) AS n FROM read_parquet(${join(s.dir, 'b.parquet')})`);
      expect(row?.n).toBe(45n);
    } finally {
      store.close();
    }
  });

  it('reports backtest coverage as a table and JSON', async () => {
    await seed(s);
    expect(await stagewise('baseline', '--db', s.db, '--plan', s.planFile, '--backtest', '--backtest-json', join(s.dir, 'bt.json'))).toBe(0);
    expect(s.out.join('\n')).toMatch(/success_rate\s+all\s+\d+\s+\d+\.\d%\s+\d+\.\d%/);
    const report = JSON.parse(await readFile(join(s.dir, 'bt.json'), 'utf8')) as {
      rows: { metric: string; minAttempts: number; coverage: number; windows: number }[];
    };
    // 3 tenants × 6 attempts an hour: no window reaches 200 attempts, so one row per metric.
    expect(report.rows.map((r) => [r.metric, r.minAttempts])).toEqual([['error_rate:invalid_grant', 0], ['mfa_rate', 0], ['success_rate', 0]]);
    for (const r of report.rows) {
      expect(r.windows).toBe(14 * 24 * 9);
      expect(r.coverage).toBeGreaterThan(0.85);
    }
    // Stage-length line: every stored cohort (everyone, 3 tenants, 2 idps, 3 tenant × idp) pooled over the first 5 held-out days.
    expect(s.out.join('\n')).toMatch(/stage-length/);
    const stage = (JSON.parse(await readFile(join(s.dir, 'bt.json'), 'utf8')) as { stageRows: { metric: string; cohorts: number; coverage: number }[] }).stageRows;
    expect(stage.map((r) => r.metric)).toEqual(['error_rate:invalid_grant', 'mfa_rate', 'success_rate']);
    for (const r of stage) {
      expect(r.cohorts).toBe(9);
      expect(r.coverage).toBeGreaterThanOrEqual(0);
    }
  });

  it('says what to run on an empty store and writes nothing', async () => {
    await writeFile(s.planFile, JSON.stringify(planInput()));
    expect(await stagewise('baseline', '--db', s.db, '--plan', s.planFile)).toBe(1);
    expect(s.err).toEqual(["error: no events: run 'stagewise ingest' first"]);
  });

  it('refuses an export file of another kind', async () => {
    await seed(s, 24);
    expect(await stagewise('baseline', '--db', s.db, '--plan', s.planFile, '--export', join(s.dir, 'b.csv'))).toBe(1);
    expect(s.err).toEqual([`error: --export ${join(s.dir, 'b.csv')}: expected a .parquet or .json file`]);
  });
});

