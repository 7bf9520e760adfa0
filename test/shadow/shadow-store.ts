import type { DuckDBConnection } from '@duckdb/node-api';
import { run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';

/** Stage window of the test store: 24 hours from 2026-10-04T00:00Z. */
export const STAGE_START = '2026-10-04T00:00:00Z';
export const STAGE_END = '2026-10-05T00:00:00Z';

/**
 * Inserts a deterministic day of login events in one statement: `perTenantHour` candidate
 * (`nova`) events per tenant × hour for tenants t1..t4 (idp okta for even event ordinals k,
 * entra for odd), plus as many legacy events without shadow tokens. Candidate shadow outcomes by
 * ordinal k within tenant-hour: t4 mismatches when k % 10 = 0 (10%, kinds cycling sub, claims,
 * aud); other tenants when k % 1000 = 7 (0.1%, kind 'exp'); shadow_error when k % 1000 = 3;
 * the live login fails when k % 500 = 11 (legacy ok: McNemar b). `shadow: false` leaves
 * shadow_outcome NULL everywhere.
 */
export async function insertShadowDay(connection: DuckDBConnection, perTenantHour: number, shadow = true): Promise<void> {
  await run(
    connection,
    sql`
    INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, shadow_outcome, shadow_diff,
                              source_format, ingest_run_id)
    WITH e AS (
      SELECT i, i % 24 AS h, 1 + (i // 24) % 4 AS t, (i // 96) % ${perTenantHour} AS k, (i // (96 * ${perTenantHour})) AS legacy
      FROM range(${2 * 96 * perTenantHour}) r(i)
    ), s AS (
      SELECT *, CASE WHEN legacy = 1 OR NOT ${shadow} THEN NULL
                     WHEN t = 4 AND k % 10 = 0 THEN 'mismatch'
                     WHEN t <> 4 AND k % 1000 = 7 THEN 'mismatch'
                     WHEN k % 1000 = 3 THEN 'shadow_error'
                     ELSE 'match' END AS shadow_outcome
      FROM e
    )
    SELECT 'e' || i, ${STAGE_START}::TIMESTAMPTZ + to_hours(h) + to_seconds(k % 3600), 'u' || (k % 97), 't' || t,
           CASE WHEN k % 2 = 0 THEN 'okta' ELSE 'entra' END, 'web', 'eu', CASE WHEN legacy = 1 THEN 'legacy' ELSE 'nova' END,
           CASE WHEN k % 500 = 11 THEN 'failure' ELSE 'success' END, shadow_outcome,
           CASE WHEN shadow_outcome <> 'mismatch' THEN NULL WHEN t = 4 THEN ['sub', 'claims', 'aud'][1 + (k // 10) % 3] ELSE 'exp' END,
           'test', 'run1'
    FROM s`,
  );
}

/** A plan for the test store: candidate nova, noise floor 0.002, dimension sets tenant and tenant × idp, stage-1 = the day. */
export function testPlan(metrics: readonly { name: string; tolerance: number }[] = [{ name: 'shadow_mismatch_rate', tolerance: 0.002 }]) {
  return {
    name: 'shadow test',
    providers: { legacy: 'legacy', candidate: 'nova' },
    dimensions: [['tenant'], ['tenant', 'idp']],
    metrics,
    baseline: { start: '2026-09-01', end: '2026-10-01' },
    stages: [{ name: 'stage-1', start: STAGE_START, end: STAGE_END, share: 0.05 }],
    alpha: 0.05,
  };
}
