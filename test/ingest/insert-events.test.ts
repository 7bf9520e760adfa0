import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkedRows } from '../../src/ingest/checked-rows.js';
import { canonical } from '../../src/ingest/formats/canonical.js';
import { droppedRows, insertEvents } from '../../src/ingest/ingest-sql.js';
import { openStore, type Store } from '../../src/store/open.js';
import { run } from '../../src/store/query.js';
import { raw, sql } from '../../src/store/sql.js';
import { ingest, rows, tempDir } from './helpers.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('insertEvents', () => {
  it('leaves out repeats and known ids of a Parquet file, keeping the first occurrence and file order', async () => {
    const file = join(await tempDir(), 'repeats.parquet');
    // COPY cannot bind its target; the path is one this test made.
    await run(store.connection, sql`COPY (
      SELECT event_id, '2026-10-01T00:00:0' || n || 'Z' AS ts, 'u' || n AS user_id, 'success' AS outcome
      FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'k'), (5, 'c'), (6, 'b'), (7, 'k'), (8, 'd')) v(n, event_id)
      ORDER BY n) TO ${raw(`'${file}'`)} (FORMAT parquet)`);
    const known = join(await tempDir(), 'known.csv');
    await run(store.connection, sql`COPY (SELECT 'k' AS event_id, '2026-09-01T00:00:00Z' AS ts, 'u0' AS user_id, 'success' AS outcome)
      TO ${raw(`'${known}'`)} (FORMAT csv, HEADER)`);
    expect((await ingest(store.connection, known)).loaded).toBe(1);
    expect(await ingest(store.connection, file)).toMatchObject({ rowsRead: 8, loaded: 4, duplicates: 4 });
    const loaded = await rows<{ event_id: string; ts: string }>(store.connection, sql`
      SELECT event_id, strftime(ts, '%S') AS ts FROM login_events WHERE source_format = 'canonical' AND ts > '2026-09-30'`);
    expect(loaded).toEqual([{ event_id: 'a', ts: '01' }, { event_id: 'b', ts: '02' }, { event_id: 'c', ts: '05' }, { event_id: 'd', ts: '08' }]);
  });

  it('is planned as a batch insert (every thread, file order), not a single-threaded one behind a join', async () => {
    const file = join(await tempDir(), 'plan.parquet');
    await run(store.connection, sql`COPY (SELECT 'e1' AS event_id, '2026-10-01T00:00:00Z' AS ts, 'u1' AS user_id, 'success' AS outcome)
      TO ${raw(`'${file}'`)} (FORMAT parquet)`);
    const checked = checkedRows(canonical.stage(file, {}), { format: 'canonical', pseudonymKey: 'test-key-0123456789abcdef',
      quarantineRecord: canonical.quarantineRecord?.(sql`record`, file) });
    await run(store.connection, sql`CREATE TEMP TABLE ingest_checked AS SELECT source_row, skip_reason, problem, event_id FROM (${checked})`);
    await run(store.connection, sql`CREATE TEMP TABLE ingest_repeats (source_row BIGINT)`);
    await run(store.connection, sql`CREATE TEMP TABLE ingest_known (event_id VARCHAR)`);
    await run(store.connection, droppedRows(1));
    const plan = await rows<Record<string, string>>(store.connection, sql`EXPLAIN ${insertEvents('r', 'canonical', checked)}`);
    const text = plan.map(row => Object.values(row).join('\n')).join('\n');
    expect(text).toContain('BATCH_INSERT');
    expect(text).not.toContain('JOIN');
  });
});
