import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAggregates } from '../../src/baseline/aggregate.js';
import type { ShadowCohortStats } from '../../src/shadow/evaluate-shadow.js';
import { shadowCohortStats, shadowCoverage, shadowDiffKinds } from '../../src/shadow/shadow-sql.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all } from '../../src/store/query.js';
import { STAGE_END, STAGE_START, insertShadowDay } from './shadow-store.js';

const period = { from: new Date(STAGE_START), to: new Date(STAGE_END) };
let store: Store;

beforeAll(async () => {
  store = await openStore(':memory:');
  await insertShadowDay(store.connection, 1000);
  await refreshAggregates(store.connection, period);
});
afterAll(() => store.close());

describe('shadowCohortStats', () => {
  it('gives one row per cohort × hour of candidate shadow counts, as ShadowCohortStats', async () => {
    const rows = await all<ShadowCohortStats>(store.connection, shadowCohortStats(['tenant'], period, 'nova'));
    expect(rows).toHaveLength(4 * 24);
    expect(rows[0]).toEqual({
      cohort_key: 'tenant=t1', hour: '2026-10-04T00:00:00Z', pairs: 1000, mismatches: 1, shadow_errors: 1,
      live_fail_legacy_ok: 2, live_ok_legacy_fail: 1,
    });
    expect(rows.filter((r) => r.cohort_key === 'tenant=t4').every((r) => r.mismatches === 100)).toBe(true);
  });

  it('rolls everyone up under the empty key, and splits tenant × idp', async () => {
    const everyone = await all<{ cohort_key: string; pairs: number; mismatches: number }>(store.connection, shadowCohortStats([], period, 'nova'));
    expect(everyone).toHaveLength(24);
    expect(everyone.every((r) => r.cohort_key === '' && r.pairs === 4000 && r.mismatches === 103)).toBe(true);
    const cells = await all<{ cohort_key: string }>(store.connection, shadowCohortStats(['tenant', 'idp'], period, 'nova'));
    expect(new Set(cells.map((r) => r.cohort_key))).toContain('tenant=t4|idp=okta');
  });

  it('binds the provider and the period instead of splicing them', () => {
    const query = shadowCohortStats(['tenant'], period, "nova' OR 1=1 --");
    expect(query.text).not.toContain('nova');
    expect(query.values).toEqual([STAGE_START.replace('Z', '.000Z'), STAGE_END.replace('Z', '.000Z'), "nova' OR 1=1 --"]);
  });

  it('returns nothing for a provider without shadow pairs', async () => {
    expect(await all(store.connection, shadowCohortStats([], period, 'legacy'))).toEqual([]);
  });
});

describe('shadowCoverage', () => {
  it('counts attempts and pairs per provider', async () => {
    expect(await all(store.connection, shadowCoverage(period))).toEqual([
      { provider: 'legacy', attempts: 96_000, pairs: 0 },
      { provider: 'nova', attempts: 96_000, pairs: 96_000 },
    ]);
  });
});

describe('shadowDiffKinds', () => {
  it('counts candidate mismatches per cohort and kind of difference, most first', async () => {
    const rows = await all(store.connection, shadowDiffKinds(['tenant'], period, 'nova'));
    expect(rows).toEqual([
      { cohort_key: 'tenant=t1', kind: 'exp', mismatches: 24 },
      { cohort_key: 'tenant=t2', kind: 'exp', mismatches: 24 },
      { cohort_key: 'tenant=t3', kind: 'exp', mismatches: 24 },
      // k // 10 = 0..99 per hour: 34 sub, 33 claims, 33 aud; × 24 hours
      { cohort_key: 'tenant=t4', kind: 'sub', mismatches: 816 },
      { cohort_key: 'tenant=t4', kind: 'aud', mismatches: 792 },
      { cohort_key: 'tenant=t4', kind: 'claims', mismatches: 792 },
    ]);
  });

  it('counts a mismatch under each field it lists, and an empty diff as unspecified', async () => {
    const memory = await openStore(':memory:');
    try {
      await memory.connection.run(`INSERT INTO login_events (event_id, ts, provider, outcome, shadow_outcome, shadow_diff, source_format, ingest_run_id)
        VALUES ('a', '2026-10-04T01:00:00Z', 'nova', 'success', 'mismatch', 'claims, aud', 't', 'r'),
               ('b', '2026-10-04T02:00:00Z', 'nova', 'success', 'mismatch', NULL, 't', 'r'),
               ('c', '2026-10-04T02:00:00Z', 'nova', 'success', 'match', 'sub', 't', 'r')`);
      expect(await all(memory.connection, shadowDiffKinds(['tenant'], period, 'nova'))).toEqual([
        { cohort_key: 'tenant=(none)', kind: '(unspecified)', mismatches: 1 },
        { cohort_key: 'tenant=(none)', kind: 'aud', mismatches: 1 },
        { cohort_key: 'tenant=(none)', kind: 'claims', mismatches: 1 },
      ]);
    } finally {
      memory.close();
    }
  });
});
