import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortSets } from '../../src/baseline/cohort-sets.js';
import { CELL_SERIES_FIELDS, type CellRow } from '../../src/evaluate/cohort-rollup.js';
import { windowCells, windowUserSums } from '../../src/evaluate/evaluate-sql.js';
import { incidentNotes, upstreamIncidents } from '../../src/evaluate/upstream-incidents.js';
import { openStore, type Store } from '../../src/store/open.js';
import { allJson, run } from '../../src/store/query.js';
import { join, sql } from '../../src/store/sql.js';

let store: Store;
const T0 = Date.parse('2026-10-10T00:00:00Z') / 1000;
const period = { from: new Date(T0 * 1000), to: new Date((T0 + 30 * 3600) * 1000) };
const iso = (h: number) => new Date((T0 + h * 3600) * 1000).toISOString();

// okta: 30 hours of 1,000 attempts at 2% failures, except hours 10–11 (an outage: 30%); azure: 30 quiet hours.
beforeAll(async () => {
  store = await openStore(':memory:');
  const rows = Array.from({ length: 30 }, (_, h) => [
    sql`(${iso(h)}::TIMESTAMPTZ, 't1', 'okta', 'web', 'eu', 'new', 1000, ${h === 10 || h === 11 ? 300 : 20 + (h % 3)}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000, 20, 1000, 20)`,
    sql`(${iso(h)}::TIMESTAMPTZ, 't2', 'azure', 'web', 'eu', 'new', 500, ${5 + (h % 2)}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500, 5, 500, 5)`,
  ]).flat();
  await run(store.connection, sql`INSERT INTO agg_hourly VALUES ${join(rows, ', ')}`);
  await run(store.connection, sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, provider, outcome, source_format, ingest_run_id)
    VALUES ('a', ${iso(10)}::TIMESTAMPTZ + INTERVAL 5 MINUTE, 'u1', 't1', 'okta', 'new', 'failure', 'x', 'r'),
           ('b', ${iso(12)}::TIMESTAMPTZ + INTERVAL 5 MINUTE, 'u1', 't1', 'okta', 'new', 'success', 'x', 'r'),
           ('c', ${iso(10)}::TIMESTAMPTZ + INTERVAL 9 MINUTE, 'u2', 't2', 'azure', 'new', 'success', 'x', 'r')`);
});
afterAll(() => store.close());

describe('upstreamIncidents', () => {
  it('finds the outage in the IdP-hours of agg_hourly, and the evaluate SQL leaves exactly those cells out', async () => {
    const found = await upstreamIncidents(store.connection, ['new'], period);
    expect(found.incidents).toEqual([
      { idp: 'okta', start: iso(10), end: iso(12), hours: 2, attempts: 2000, failures: 600, expectedFailures: expect.closeTo(43, 0) },
    ]);
    expect(found.excluded).toEqual([{ idp: 'okta', hour: T0 + 36_000 }, { idp: 'okta', hour: T0 + 39_600 }]);
    const hoursOf = async (exclude: typeof found.excluded) => {
      const cells = await allJson<CellRow>(store.connection, windowCells(['idp'], period, ['new'], exclude));
      return Object.fromEntries(cells.map((c) => [c.idp, c.series.length / CELL_SERIES_FIELDS.length]));
    };
    expect(await hoursOf([])).toEqual({ okta: 30, azure: 30 });
    expect(await hoursOf(found.excluded)).toEqual({ okta: 28, azure: 30 });
    const users = await allJson<{ cohort_key: string; n: number }>(store.connection, windowUserSums(cohortSets({ dimensions: [['idp']] }).filter((s) => s.stored), period, ['new'], found.excluded));
    expect(users.map(({ cohort_key, n }) => ({ cohort_key, n }))).toEqual([{ cohort_key: '', n: 2 }, { cohort_key: 'idp=azure', n: 1 }, { cohort_key: 'idp=okta', n: 1 }]);
    expect(incidentNotes(found, 'every result')[0]).toBe(
      "Upstream incidents left out of every result (transient failure bursts of one IdP, which hit both providers; check them against the IdP's status page): okta 2026-10-10 10h UTC, 2 hours, 600 failures where 43 were typical.",
    );
  });
});
