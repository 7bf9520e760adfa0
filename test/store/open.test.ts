import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/errors.js';
import { openStore, withStore } from '../../src/store/open.js';
import { allJson } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { tempDir } from '../ingest/helpers.js';
import { sourceUrl, startNode, waitForOutput } from './child-process.js';

afterEach(() => vi.restoreAllMocks());

describe('openStore', () => {
  it('refuses a store another process has open, naming it as in use', async () => {
    const db = join(await tempDir(), 'store.duckdb');
    const holder = startNode(`
      import { openStore } from ${JSON.stringify(sourceUrl('src/store/open.ts'))};
      const store = await openStore(${JSON.stringify(db)});
      console.log('ready');
      process.stdin.on('end', () => { store.close(); process.exit(0); });
      process.stdin.resume();`);
    try {
      await waitForOutput(holder, 'ready');
      const opening = openStore(db);
      await expect(opening).rejects.toBeInstanceOf(UserError);
      await expect(opening).rejects.toThrow(/^store is in use: another process \(PID \d+\) has .*store\.duckdb open/);
      await expect(openStore(db, { readOnly: true })).rejects.toThrow(/^store is in use/);

      const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
      expect(await main(['node', 'stagewise', 'status', '--db', db])).toBe(1);
      expect(stderr.mock.calls[0]?.[0]).toMatch(/^error: store is in use: /);
    } finally {
      holder.child.stdin?.end();
      await holder.exited;
    }
    // Once the holder has gone, the store opens.
    await withStore(db, {}, async () => {});
  });

  it('refuses a second open of the same file in this process until the first is closed', async () => {
    const db = join(await tempDir(), 'store.duckdb');
    const first = await openStore(db);
    try {
      await expect(openStore(db)).rejects.toThrow(`store is in use: this process already has ${db} open`);
      await expect(openStore(join(db, '..', 'store.duckdb'), { readOnly: true })).rejects.toThrow(/^store is in use/);
    } finally {
      first.close();
    }
    await withStore(db, { readOnly: true }, async () => {});
  });

  it('reads timestamps without a zone as UTC', async () => {
    const [row] = await withStore(':memory:', {}, ({ connection }) =>
      allJson<{ ts: string }>(connection, sql`SELECT strftime('2026-10-01 08:00:00'::TIMESTAMPTZ, '%Y-%m-%dT%H:%M:%S%z') AS ts`));
    expect(row?.ts).toBe('2026-10-01T08:00:00+00');
  });

  it('names a read-only store that does not exist', async () => {
    const db = join(await tempDir(), 'missing.duckdb');
    await expect(openStore(db, { readOnly: true })).rejects.toThrow(`no store at ${db}`);
  });
});
