import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { planIngest } from '../../src/ingest/plan-ingest.js';
import { openStore, type Store } from '../../src/store/open.js';
import { canonicalFixture, tempDir } from './helpers.js';

let store: Store;
let dir: string;
beforeAll(async () => {
  store = await openStore(':memory:');
  dir = await tempDir();
  await mkdir(join(dir, 'day', '.hidden'), { recursive: true });
  await writeFile(join(dir, 'day', 'b.csv'), 'ts,user_id,outcome\n2026-10-01T00:00:00Z,u,success\n');
  await writeFile(join(dir, 'day', 'a.csv'), 'ts,user_id,outcome\n2026-10-01T00:00:00Z,u,success\n');
  await writeFile(join(dir, 'day', '.hidden', 'c.csv'), 'ts,user_id,outcome\n');
  await writeFile(join(dir, 'vendor.json'), '[{"published":"2026-10-01T00:00:00Z","eventType":"user.session.start"}]');
  await writeFile(join(dir, 'broken.parquet'), 'this is not parquet');
});
afterAll(() => store.close());

const plan = (inputs: string[], choice: Parameters<typeof planIngest>[2] = 'auto') =>
  planIngest(store.connection, inputs, choice, {});

describe('planIngest', () => {
  it('detects the format of each file and says why', async () => {
    const [planned] = await plan([canonicalFixture('logins.csv')]);
    expect(planned?.format.name).toBe('canonical');
    expect(planned?.chosenBecause).toMatch(/^detected: /);
  });

  it('expands a directory (sorted, hidden files left out) and a glob', async () => {
    const fromDir = await plan([join(dir, 'day')]);
    expect(fromDir.map(p => p.file)).toEqual([join(dir, 'day', 'a.csv'), join(dir, 'day', 'b.csv')]);
    const fromGlob = await plan([join(dir, 'day', '*.csv')]);
    expect(fromGlob.map(p => p.file)).toEqual([join(dir, 'day', 'a.csv'), join(dir, 'day', 'b.csv')]);
  });

  it('names a missing file, an empty glob and a file of no known format', async () => {
    await expect(plan([join(dir, 'nope.csv')])).rejects.toThrow(new UserError(`${join(dir, 'nope.csv')}: no such file or directory`));
    await expect(plan([join(dir, '*.tsv')])).rejects.toThrow(/\*\.tsv: the pattern matches no file/);
    await expect(plan([join(dir, 'vendor.json')], 'canonical')).rejects.toThrow(/vendor\.json is not canonical: expected/);
  });

  it('names a file DuckDB cannot read in the format', async () => {
    await expect(plan([join(dir, 'broken.parquet')])).rejects.toThrow(/broken\.parquet cannot be read as canonical: /);
  });

  it('rejects the whole plan when any one input is bad', async () => {
    await expect(plan([canonicalFixture('logins.csv'), join(dir, 'nope.csv')])).rejects.toBeInstanceOf(UserError);
  });
});
