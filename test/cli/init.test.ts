import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliStore, seed, stagewise, type CliStore } from '../baseline/cli-store.js';
import { openStore } from '../../src/store/open.js';

let s: CliStore;
beforeEach(async () => {
  s = await cliStore();
});
afterEach(() => vi.restoreAllMocks());

describe('stagewise init', () => {
  it('writes a commented YAML plan that stagewise reads back', async () => {
    await seed(s, 24 * 3);
    const file = join(s.dir, 'start.yaml');
    expect(await stagewise('init', '--db', s.db, '--out', file)).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# Starting plan written by `stagewise init`/);
    expect(text).toContain('legacy: legacy');
    s.out.length = 0;
    // The plan it wrote is good enough to baseline the store it came from.
    expect(await stagewise('baseline', '--db', s.db, '--plan', file)).toBe(0);
    expect(await stagewise('init', '--db', s.db, '--out', file)).toBe(1);
    expect(s.err.at(-1)).toBe(`error: ${file} exists: pass --force to overwrite it`);
  });

  it('says what to run on an empty store', async () => {
    const store = await openStore(s.db);
    store.close();
    expect(await stagewise('init', '--db', s.db, '--out', join(s.dir, 'p.yaml'))).toBe(1);
    expect(s.err).toEqual(["error: no events: run 'stagewise ingest' first"]);
  });
});
