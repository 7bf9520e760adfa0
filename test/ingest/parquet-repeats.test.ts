import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open.js';
import { run } from '../../src/store/query.js';
import { raw, sql } from '../../src/store/sql.js';
import { ingest, rows, tempDir } from './helpers.js';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

describe('ingestFile on Parquet (read twice)', () => {
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

});
