import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../src/store/open.js';
import { sourceUrl, startNode } from '../store/child-process.js';
import { canonicalFixture, ingest, tableCounts, tempDir } from './helpers.js';

describe('ingestFile after the process dies mid-run', () => {
  it('leaves the store as before, and a second run completes the ingest', async () => {
    const db = join(await tempDir(), 'store.duckdb');
    const file = canonicalFixture('logins.csv');
    // The child is killed (SIGKILL, no cleanup) just before it records the run: the rows are inserted but not committed.
    const child = startNode(`
      import { openStore } from ${JSON.stringify(sourceUrl('src/store/open.ts'))};
      import { ingestFile } from ${JSON.stringify(sourceUrl('src/ingest/ingest-file.ts'))};
      import { canonical } from ${JSON.stringify(sourceUrl('src/ingest/formats/canonical.ts'))};
      const store = await openStore(${JSON.stringify(db)});
      const connection = new Proxy(store.connection, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (property === 'run') return (text, values) => {
            if (String(text).includes('INSERT INTO ingest_runs')) process.kill(process.pid, 'SIGKILL');
            return value.call(target, text, values);
          };
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      await ingestFile(connection, { file: ${JSON.stringify(file)}, format: canonical, sha256: 'x' }, { pseudonymKey: 'k'.repeat(16) });
      console.log('not killed');`);
    const { signal } = await child.exited;
    expect(signal, child.output()).toBe('SIGKILL');

    await withStore(db, {}, async ({ connection }) => {
      expect(await tableCounts(connection)).toEqual({ login_events: 0, ingest_runs: 0, quarantine: 0, skipped: 0 });
      expect(await ingest(connection, file)).toMatchObject({ rowsRead: 4, loaded: 4 });
      expect(await tableCounts(connection)).toMatchObject({ login_events: 4, ingest_runs: 1 });
    });
  });
});
