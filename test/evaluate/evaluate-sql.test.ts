import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortSets } from '../../src/baseline/cohort-sets.js';
import { incidentHoursTable } from '../../src/baseline/series.js';
import {
  baselineCellLatency, baselineHistograms, insertEvaluation, routedUnits, windowCells, windowErrors, windowExtent, windowLatency, windowUserSums,
} from '../../src/evaluate/evaluate-sql.js';
import { CELL_SERIES_FIELDS, type CellRow, type ErrorRow, type LatencyRow } from '../../src/evaluate/cohort-rollup.js';
import { openStore, type Store } from '../../src/store/open.js';
import { allJson, run } from '../../src/store/query.js';
import { sql, type Sql } from '../../src/store/sql.js';

let store: Store;
beforeAll(async () => {
  store = await openStore(':memory:');
});
afterAll(() => store.close());

const period = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-02T00:00:00Z') };
const sets = cohortSets({ dimensions: [['tenant'], ['idp'], ['tenant', 'idp']] }).filter((s) => s.stored);
const providers = ['new', 'old'];
const accepts = (query: Sql) => run(store.connection, sql`EXPLAIN ${query}`);

describe('evaluate SQL builders', () => {
  it('bind every value and quote every name', () => {
    const query = windowCells(['tenant', 'idp'], period, providers);
    expect(query.text).toContain('"tenant", "idp", provider');
    expect(query.values).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z', 'new', 'old']);
    expect(windowErrors(['tenant'], period, providers, ["it's"]).values).toContain("it's");
  });
  it('are accepted by DuckDB against the store schema', async () => {
    const tenantsOnly = cohortSets({ dimensions: [['tenant']] }).filter((s) => s.stored);
    for (const query of [
      windowLatency(tenantsOnly, period, providers),
      routedUnits(tenantsOnly, period, providers, 'user'),
      windowUserSums(tenantsOnly, period, providers),
      windowExtent(period, 'new'),
      windowCells(['tenant', 'idp'], period, providers),
      windowCells([], period, providers),
      windowErrors(['tenant', 'idp'], period, providers, ['invalid_grant']),
      windowLatency(sets, period, providers),
      routedUnits(sets, period, providers, 'user'),
      routedUnits(sets, period, providers, 'tenant'),
      windowUserSums(sets, period, providers),
      baselineHistograms('bl-1'),
    ]) {
      await expect(accepts(query)).resolves.toBeUndefined();
    }
  });
  it('read the baseline cells\' latency without the incident hours the baseline found', async () => {
    await run(store.connection, incidentHoursTable('old', period));
    const query = baselineCellLatency(['tenant', 'idp'], period, 'old');
    expect(query.text).toContain('NOT EXISTS (SELECT 1 FROM bl_incident_hours');
    await expect(accepts(query)).resolves.toBeUndefined();
  });
  it('tell the cohort sets apart by their GROUPING mask over the dimensions in use', async () => {
    await run(store.connection, sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, provider, outcome, source_format, ingest_run_id)
      VALUES ('e1', '2026-10-01T01:00:00Z', 'u1', 't1', 'okta', 'new', 'success', 'x', 'r'),
             ('e2', '2026-10-01T02:00:00Z', 'u2', 't1', 'okta', 'old', 'failure', 'x', 'r'),
             ('e3', '2026-10-01T02:00:00Z', 'u3', 't2', 'okta', 'old', 'success', 'x', 'r')`);
    const rows = await allJson<{ set_id: number; cohort_key: string; provider: string; units: number }>(store.connection, routedUnits(sets, period, providers, 'user'));
    expect(rows).toEqual([
      { set_id: 0, cohort_key: '', provider: 'new', units: 1 },
      { set_id: 0, cohort_key: '', provider: 'old', units: 2 },
      { set_id: 1, cohort_key: 'tenant=t1', provider: 'new', units: 1 },
      { set_id: 1, cohort_key: 'tenant=t1', provider: 'old', units: 1 },
      { set_id: 1, cohort_key: 'tenant=t2', provider: 'old', units: 1 },
      { set_id: 2, cohort_key: 'idp=okta', provider: 'new', units: 1 },
      { set_id: 2, cohort_key: 'idp=okta', provider: 'old', units: 2 },
      { set_id: 3, cohort_key: 'tenant=t1|idp=okta', provider: 'new', units: 1 },
      { set_id: 3, cohort_key: 'tenant=t1|idp=okta', provider: 'old', units: 1 },
      { set_id: 3, cohort_key: 'tenant=t2|idp=okta', provider: 'old', units: 1 },
    ]);
  });
  it('sum each user once per cohort in windowUserSums, however many cells they use', async () => {
    // u9 logs in to t9 through two IdPs (one failure); u8 once. Tenant t9: 2 users, not 3 user-cells.
    await run(store.connection, sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, provider, outcome, source_format, ingest_run_id)
      VALUES ('f1', '2026-10-03T01:00:00Z', 'u9', 't9', 'okta', 'new', 'failure', 'x', 'r'),
             ('f2', '2026-10-03T05:00:00Z', 'u9', 't9', 'azure', 'new', 'success', 'x', 'r'),
             ('f3', '2026-10-03T06:00:00Z', 'u8', 't9', 'okta', 'new', 'success', 'x', 'r')`);
    const day3 = { from: new Date('2026-10-03T00:00:00Z'), to: new Date('2026-10-04T00:00:00Z') };
    const rows = await allJson<{ set_id: number; cohort_key: string; users: number; n: number; f: number; ff: number; nn: number; fn: number }>(
      store.connection, windowUserSums(sets, day3, providers));
    const pick = ({ set_id, cohort_key, users, n, f, ff, nn, fn }: (typeof rows)[number]) => ({ set_id, cohort_key, users, n, f, ff, nn, fn });
    expect(rows.map(pick)).toEqual([
      { set_id: 0, cohort_key: '', users: 2, n: 3, f: 1, ff: 1, nn: 5, fn: 2 },
      { set_id: 1, cohort_key: 'tenant=t9', users: 2, n: 3, f: 1, ff: 1, nn: 5, fn: 2 },
      { set_id: 2, cohort_key: 'idp=azure', users: 1, n: 1, f: 0, ff: 0, nn: 1, fn: 0 },
      { set_id: 2, cohort_key: 'idp=okta', users: 2, n: 2, f: 1, ff: 1, nn: 2, fn: 1 },
      { set_id: 3, cohort_key: 'tenant=t9|idp=azure', users: 1, n: 1, f: 0, ff: 0, nn: 1, fn: 0 },
      { set_id: 3, cohort_key: 'tenant=t9|idp=okta', users: 2, n: 2, f: 1, ff: 1, nn: 2, fn: 1 },
    ]);
  });
  it('return one row per cell (or cohort) and provider, its hours as one flat series', async () => {
    // Two hours of t5 on the candidate, split over two apps in the first; one hour on legacy.
    await run(store.connection, sql`INSERT INTO agg_hourly VALUES
      ('2026-10-04T00:00:00Z', 't5', 'okta', 'web', 'eu', 'new', 4, 1, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 10, 3),
      ('2026-10-04T00:00:00Z', 't5', 'okta', 'ios', 'eu', 'new', 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 4, 0),
      ('2026-10-04T01:00:00Z', 't5', 'okta', 'web', 'eu', 'new', 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1),
      ('2026-10-04T01:00:00Z', 't5', 'okta', 'web', 'eu', 'old', 3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0)`);
    await run(store.connection, sql`INSERT INTO agg_hourly_errors VALUES
      ('2026-10-04T00:00:00Z', 't5', 'okta', 'web', 'eu', 'new', 'invalid_grant', 1),
      ('2026-10-04T01:00:00Z', 't5', 'okta', 'web', 'eu', 'new', 'invalid_grant', 1)`);
    await run(store.connection, sql`INSERT INTO agg_hourly_latency VALUES
      ('2026-10-04T00:00:00Z', 't5', 'okta', 'web', 'eu', 'new', 100, 3),
      ('2026-10-04T00:00:00Z', 't5', 'okta', 'ios', 'eu', 'new', 100, 2),
      ('2026-10-04T01:00:00Z', 't5', 'okta', 'web', 'eu', 'old', 101, 3)`);
    const day4 = { from: new Date('2026-10-04T00:00:00Z'), to: new Date('2026-10-05T00:00:00Z') };
    const [h0, h1] = [day4.from.getTime() / 1000, day4.from.getTime() / 1000 + 3600];
    const hoursOf = (series: readonly number[], stride: number) => Array.from({ length: series.length / stride }, (_, i) => series.slice(i * stride, (i + 1) * stride))
      .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
    const cells = await allJson<CellRow>(store.connection, windowCells(['tenant'], day4, providers));
    expect(cells.map((r) => ({ ...r, series: hoursOf(r.series, CELL_SERIES_FIELDS.length) }))).toEqual([
      { tenant: 't5', provider: 'new', series: [[h0, 6, 1, 6, 3, 3, 1, 14, 3], [h1, 1, 1, 1, 1, 1, 1, 1, 1]] },
      { tenant: 't5', provider: 'old', series: [[h1, 3, 0, 3, 0, 3, 0, 3, 0]] },
    ]);
    const errors = await allJson<ErrorRow>(store.connection, windowErrors(['tenant'], day4, providers, ['invalid_grant']));
    expect(errors.map((r) => ({ ...r, series: hoursOf(r.series, 2) }))).toEqual([
      { tenant: 't5', provider: 'new', error_code: 'invalid_grant', series: [[h0, 1], [h1, 1]] },
    ]);
    const latency = await allJson<LatencyRow>(store.connection, windowLatency(cohortSets({ dimensions: [['tenant']] }).filter((s) => s.stored), day4, providers));
    expect(latency.map((r) => ({ ...r, series: hoursOf(r.series, 3) }))).toEqual([
      { set_id: 0, cohort_key: '', provider: 'new', series: [[h0, 100, 5]] },
      { set_id: 0, cohort_key: '', provider: 'old', series: [[h1, 101, 3]] },
      { set_id: 1, cohort_key: 'tenant=t5', provider: 'new', series: [[h0, 100, 5]] },
      { set_id: 1, cohort_key: 'tenant=t5', provider: 'old', series: [[h1, 101, 3]] },
    ]);
  });
  it('insert an evaluation row', async () => {
    await run(store.connection, insertEvaluation({
      evaluationId: 'ev-1', createdAt: period.to, stage: 's1', planHash: 'h', baselineId: 'bl-1', window: period, regressions: 2, document: '{"schema":"stagewise.evaluation/v1"}',
    }));
    const rows = await allJson(store.connection, sql`SELECT regressions, document->>'schema' AS schema FROM evaluations`);
    expect(rows).toEqual([{ regressions: 2, schema: 'stagewise.evaluation/v1' }]);
  });
});
