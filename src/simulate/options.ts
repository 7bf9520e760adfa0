import type { Injection } from './injection.js';

/** Output file formats of `writeSimulation`. */
export type SimulationFormat = 'parquet' | 'csv' | 'jsonl';

/** What to simulate. */
export interface SimulateOptions {
  /** Seed of every hash-based draw: the same seed and options give the same events. */
  seed: number;
  /** Days of history, from `start`. */
  days: number;
  /** Number of tenants (t001 … tNNN). */
  tenants: number;
  /** First day (UTC midnight). */
  start: Date;
  /** Mean events (attempts) per day over the whole history. */
  eventsPerDay: number;
  /** What the rollout router hashes: each user, or whole tenants. */
  routing: 'user' | 'tenant';
  /** Effects applied to candidate traffic; empty for an A/A simulation. */
  injections: readonly Injection[];
}

/** Defaults of the options a caller may leave out. */
export const SIMULATE_DEFAULTS = {
  seed: 7,
  days: 56,
  tenants: 40,
  start: new Date('2026-09-01T00:00:00Z'),
  eventsPerDay: 40_000,
  routing: 'user',
} as const;

/**
 * The regressions a plain `stagewise simulate` injects (none with `--no-regression`), so a
 * demo has something to find: one tenant's success rate, one region's latency, one app's upstream
 * timeouts. Each cohort exists in every simulation (tenant t003, or the last one when there are fewer).
 */
export function defaultInjectionSpecs(tenants: number): string[] {
  const tenant = `t${String(Math.min(3, tenants)).padStart(tenantWidth(tenants), '0')}`;
  return [
    `tenant=${tenant}:success_rate:-0.02@stage-2`,
    'region=ap-south:latency_p95:0.2@stage-3',
    'app=android:error_rate:upstream_timeout:0.01@stage-4',
  ];
}

/** Digits in a tenant name: t001 … t999, then t0001 …. */
export function tenantWidth(tenants: number): number {
  return Math.max(3, String(tenants).length);
}
