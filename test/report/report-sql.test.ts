import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourlyLatencyQuantile, hourlyRate, latestEvaluations, type EvaluationDocumentRow, type HourlyRow } from '../../src/report/report-sql.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all } from '../../src/store/query.js';
import type { Evaluation } from '../../src/types.js';
import { fixtureInput } from './report-fixture.js';
import { ensureEvaluationsTable, insertEvaluation, seedAggregates } from './report-store.js';

let store: Store;
const period = { from: new Date('2026-10-20T22:00:00Z'), to: new Date('2026-10-21T02:00:00Z') };

beforeAll(async () => {
  store = await openStore(':memory:');
  await ensureEvaluationsTable(store.connection);
  const [stage1, stage2] = fixtureInput().evaluations as [Evaluation, Evaluation];
  for (const e of [stage1, stage2, { ...stage2, evaluation_id: 'ev-old', created_at: '2026-10-22T00:00:00.000Z' }]) await insertEvaluation(store.connection, e);
  await seedAggregates(store.connection);
});
afterAll(() => store?.close());

describe('latestEvaluations', () => {
  it('returns the newest document of each asked stage', async () => {
    const rows = await all<EvaluationDocumentRow>(store.connection, latestEvaluations(['stage-2', 'stage-3']));
    expect(rows.map((r) => [r.stage, (JSON.parse(r.document) as Evaluation).evaluation_id])).toEqual([['stage-2', 'ev-stage-2-20261023-1800']]);
  });
  it('binds stage names as values', () => {
    const query = latestEvaluations(["x') OR TRUE --"]);
    expect(query.values).toEqual(["x') OR TRUE --"]);
    expect(query.text).not.toContain('OR TRUE');
  });
});

describe('hourlyRate', () => {
  it('sums successes and attempts per hour and provider for the cohort only', async () => {
    const rows = await all<HourlyRow>(store.connection, hourlyRate({ tenant: 't012' }, 'success_rate', ['auth0', 'keycloak'], period));
    expect(rows).toEqual([
      { hour: '2026-10-20T22:00:00Z', provider: 'auth0', n: 600, x: 583 },
      { hour: '2026-10-20T22:00:00Z', provider: 'keycloak', n: 150, x: 146 },
      { hour: '2026-10-20T23:00:00Z', provider: 'auth0', n: 600, x: 583 },
      { hour: '2026-10-20T23:00:00Z', provider: 'keycloak', n: 150, x: 146 },
      { hour: '2026-10-21T00:00:00Z', provider: 'auth0', n: 600, x: 583 },
      { hour: '2026-10-21T00:00:00Z', provider: 'keycloak', n: 150, x: 141 },
      { hour: '2026-10-21T01:00:00Z', provider: 'auth0', n: 600, x: 583 },
      { hour: '2026-10-21T01:00:00Z', provider: 'keycloak', n: 150, x: 141 },
    ]);
  });
  it('binds a hostile cohort value and finds nothing', async () => {
    const query = hourlyRate({ tenant: "t012' OR '1'='1" }, 'success_rate', ['auth0'], period);
    expect(query.values).toContain("t012' OR '1'='1");
    await expect(all(store.connection, query)).resolves.toEqual([]);
  });
  it('counts an error code from agg_hourly_errors, zero when the code is absent', async () => {
    const rows = await all<HourlyRow>(store.connection, hourlyRate({ tenant: 't012' }, 'error_rate:invalid_grant', ['auth0'], period));
    expect(rows.map((r) => [r.n, r.x])).toEqual([[600, 0], [600, 0], [600, 0], [600, 0]]);
  });
});

describe('hourlyLatencyQuantile', () => {
  it('reads the quantile inside the bin by linear interpolation', async () => {
    const rows = await all<HourlyRow>(
      store.connection,
      hourlyLatencyQuantile({ tenant: 't012' }, 0.95, ['keycloak'], { from: new Date('2026-10-19T00:00:00Z'), to: new Date('2026-10-19T02:00:00Z') }),
    );
    // 100 observations all in bin 120: the 95th is 95% of the way through [1.05^120, 1.05^121).
    const expected = 1.05 ** 120 + 0.95 * (1.05 ** 121 - 1.05 ** 120);
    expect(rows.map((r) => r.hour)).toEqual(['2026-10-19T00:00:00Z', '2026-10-19T01:00:00Z']);
    for (const row of rows) {
      expect(row.n).toBe(100);
      expect(row.x).toBeCloseTo(expected, 9);
    }
  });
});
