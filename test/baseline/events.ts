import type { DuckDBConnection } from '@duckdb/node-api';
import { run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';

/** One hand-made login event for tests; unspecified fields are NULL or a default. */
export interface TestEvent {
  ts: string;
  user?: string | null;
  tenant?: string | null;
  idp?: string;
  app?: string;
  region?: string;
  provider?: string;
  failed?: boolean;
  error?: string | null;
  latencyMs?: number | null;
  mfa?: boolean | null;
  shadow?: 'match' | 'mismatch' | 'shadow_error' | null;
}

/** Inserts events into `login_events` (test helper; production rows come from ingest). */
export async function insertEvents(connection: DuckDBConnection, events: readonly TestEvent[]): Promise<void> {
  let i = 0;
  for (const e of events) {
    i += 1;
    await run(
      connection,
      sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
            latency_ms, mfa_challenged, shadow_outcome, source_format, ingest_run_id)
          VALUES (${`e${i}-${e.ts}-${Math.random()}`}, ${e.ts}::TIMESTAMPTZ, ${e.user === undefined ? 'u1' : e.user},
            ${e.tenant === undefined ? 't1' : e.tenant}, ${e.idp ?? 'okta'}, ${e.app ?? 'web'}, ${e.region ?? 'eu'},
            ${e.provider ?? 'legacy'}, ${e.failed ? 'failure' : 'success'}, ${e.error ?? null}, ${e.latencyMs ?? null},
            ${e.mfa ?? null}, ${e.shadow ?? null}, 'test', 'run1')`,
    );
  }
}

/**
 * Inserts a synthetic history in one SQL statement: `hours` hourly windows from `start`, tenants
 * t0..t(tenants−1) over two idps, `perHour` attempts per tenant-hour on `provider`, with a failure
 * probability `p` times a day/night factor (and a per-hour log-normal-ish factor with sd `hourNoise`),
 * drawn from DuckDB's seeded `random()`.
 */
export async function insertHistory(
  connection: DuckDBConnection,
  options: {
    start: string;
    hours: number;
    tenants: number;
    perHour: number;
    p: number;
    seed?: number;
    provider?: string;
    /** Standard deviation of a per-hour log multiplier of p (window-to-window variance beyond binomial); 0 unless given. */
    hourNoise?: number;
  },
): Promise<void> {
  await run(connection, sql`SELECT setseed(${options.seed ?? 0.42})`);
  await run(
    connection,
    sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
          latency_ms, mfa_challenged, shadow_outcome, source_format, ingest_run_id)
        WITH hourly AS (
          SELECT h, exp(${options.hourNoise ?? 0} * 2 * (random() + random() + random() - 1.5)) AS m FROM range(${options.hours}) r(h)
        )
        SELECT 'h' || h || '-' || t || '-' || k,
               ${options.start}::TIMESTAMPTZ + to_hours(h) + to_seconds(k),
               'u' || t || '-' || (k % 7), 't' || t, CASE WHEN t % 2 = 0 THEN 'okta' ELSE 'azure' END, 'web', 'eu',
               ${options.provider ?? 'legacy'},
               CASE WHEN random() < ${options.p} * m * (1 + 0.5 * sin(2 * pi() * h / 24)) THEN 'failure' ELSE 'success' END,
               'invalid_grant', 50 + 200 * random(), random() < 0.3, NULL, 'test', 'run1'
        FROM hourly, range(${options.tenants}) r2(t), range(${options.perHour}) r3(k)
        ORDER BY h, t, k`,
  );
}

/** Day shocks z(tenant, day) in [−1, 1) from a fixed linear congruential sequence: deterministic, no RNG state. */
export function dayShocks(tenants: number, days: number): number[] {
  let state = 12345;
  return Array.from({ length: tenants * days }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 2 - 1;
  });
}

/**
 * `tenants` × `days` × 24 hours × 60 attempts from 2026-09-01; failures per tenant-hour exactly
 * round(60 · 0.05 · e^{shock · z(tenant, day)}) (shock 0.8 unless given):
 * no hour-to-hour noise at all, only day-level shocks, the shape of the simulator's tenant × IdP day effects.
 */
export async function insertDayShocks(connection: DuckDBConnection, options: { tenants: number; days: number; shock?: number }): Promise<void> {
  await run(
    connection,
    sql`INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code,
          latency_ms, mfa_challenged, shadow_outcome, source_format, ingest_run_id)
        WITH z AS (SELECT ${JSON.stringify(dayShocks(options.tenants, options.days))}::DOUBLE[] AS z)
        SELECT 'h' || h || '-' || t || '-' || k, '2026-09-01T00:00:00Z'::TIMESTAMPTZ + to_hours(h) + to_seconds(k),
               'u' || t || '-' || k, 't' || t, 'okta', 'web', 'eu', 'legacy',
               CASE WHEN k < round(60 * 0.05 * exp(${options.shock ?? 0.8} * z[t * ${options.days} + h // 24 + 1])) THEN 'failure' ELSE 'success' END,
               'invalid_grant', 100, FALSE, NULL, 'test', 'run1'
        FROM z, range(${options.days * 24}) r(h), range(${options.tenants}) r2(t), range(60) r3(k)`,
  );
}
