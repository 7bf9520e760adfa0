import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliStore, seed, stagewise, type CliStore } from '../baseline/cli-store.js';

let s: CliStore;
beforeEach(async () => {
  s = await cliStore();
});
afterEach(() => vi.restoreAllMocks());

describe('stagewise plan', () => {
  it('prints per stage and metric how many cohorts are detectable, and writes every row as JSON', async () => {
    await seed(s);
    expect(await stagewise('baseline', '--db', s.db, '--plan', s.planFile)).toBe(0);
    s.out.length = 0;
    expect(await stagewise('plan', '--db', s.db, '--plan', s.planFile, '--json', join(s.dir, 'plan-rows.json'))).toBe(0);
    expect(s.out.join('\n')).toMatch(/^s1 \(BH over 45 results\):\n {2}metric +cohorts +detectable +median MDE \(seq\.\) +after BH +detectable after BH\n {2}error_rate:invalid_grant +9 +\d+/);
    const doc = JSON.parse(await readFile(join(s.dir, 'plan-rows.json'), 'utf8')) as { rows: { stage: string; detectable: boolean; advice?: string; mde_sequential: number; mde_sequential_bh: number; family_size: number }[] };
    expect(doc.rows).toHaveLength(45);
    expect(doc.rows.every((r) => r.family_size === 45 && !(r.mde_sequential_bh < r.mde_sequential))).toBe(true);
    expect(doc.rows.filter((r) => !r.detectable).every((r) => typeof r.advice === 'string')).toBe(true);
  });

  it('names the stages when asked for one the plan lacks', async () => {
    await seed(s, 24);
    expect(await stagewise('plan', '--db', s.db, '--plan', s.planFile, '--stage', 'nope')).toBe(1);
    expect(s.err).toEqual([`error: no stage nope in ${s.planFile}: stages are s1`]);
  });
});

