import type { Cohort, Dimension } from '../types.js';
import type { LatencyArm, RateArm } from './hourly-stats.js';

/** One row of `windowCells`: an hour × union cell × provider. */
export interface CellRow {
  t: number;
  tenant?: string;
  idp?: string;
  app?: string;
  region?: string;
  provider: string;
  attempts: number;
  failures: number;
  mfa_known: number;
  mfa_challenged: number;
  users: number;
  user_sxx: number;
  user_snn: number;
  user_sxn: number;
}

/** One row of `windowErrors`. */
export type ErrorRow = Pick<CellRow, 't' | 'tenant' | 'idp' | 'app' | 'region' | 'provider'> & { error_code: string; failures: number };

/** One provider's hourly sums in a cohort (or a union cell). */
export interface ArmSums {
  attempts: Float64Array;
  failures: Float64Array;
  mfaKnown: Float64Array;
  mfaChallenged: Float64Array;
  K: Float64Array;
  sxx: Float64Array;
  snn: Float64Array;
  sxn: Float64Array;
  errors: Map<string, Float64Array>;
}

/** A cohort's two arms: [candidate, legacy]. */
export interface CohortSums {
  cohort: Cohort;
  arms: [ArmSums, ArmSums];
}

/** An arm of zeros; its eight series share one buffer (one allocation, not eight: there are two per cohort). */
export function emptyArm(hours: number): ArmSums {
  const buffer = new Float64Array(8 * hours);
  const a = (i: number) => buffer.subarray(i * hours, (i + 1) * hours);
  return { attempts: a(0), failures: a(1), mfaKnown: a(2), mfaChallenged: a(3), K: a(4), sxx: a(5), snn: a(6), sxn: a(7), errors: new Map() };
}

/** Adds one cell row into an arm at hour h. */
export function addRow(arm: ArmSums, h: number, row: CellRow): void {
  arm.attempts[h] = (arm.attempts[h] ?? 0) + row.attempts;
  arm.failures[h] = (arm.failures[h] ?? 0) + row.failures;
  arm.mfaKnown[h] = (arm.mfaKnown[h] ?? 0) + row.mfa_known;
  arm.mfaChallenged[h] = (arm.mfaChallenged[h] ?? 0) + row.mfa_challenged;
  arm.K[h] = (arm.K[h] ?? 0) + row.users;
  arm.sxx[h] = (arm.sxx[h] ?? 0) + row.user_sxx;
  arm.snn[h] = (arm.snn[h] ?? 0) + row.user_snn;
  arm.sxn[h] = (arm.sxn[h] ?? 0) + row.user_sxn;
}

/** Adds failures with an error code into an arm at hour h. */
export function addErrors(arm: ArmSums, h: number, code: string, failures: number): void {
  let series = arm.errors.get(code);
  if (!series) {
    series = new Float64Array(arm.attempts.length);
    arm.errors.set(code, series);
  }
  series[h] = (series[h] ?? 0) + failures;
}

/** The cohort of `dims` a union cell belongs to. */
export function cohortOf(row: Pick<CellRow, Dimension>, dims: readonly Dimension[]): Cohort {
  const cohort: Cohort = {};
  for (const d of dims) cohort[d] = row[d] ?? '(none)';
  return cohort;
}

/**
 * The arm's statistics for one rate metric (`x` = the metric's numerator). success_rate counts
 * successes, so its unit sums turn from failures f to successes s = n − f:
 * Σs² = Σn² − 2Σfn + Σf², Σsn = Σn² − Σfn. MFA has no unit sums: its binomial variance is
 * multiplied by Σn_u²/Σn_u, the design effect when a user's attempts are all challenged or none
 * (an upper bound); an error code borrows the failures' per-hour design effect.
 */
export function rateArm(arm: ArmSums, metric: { name: string; errorCode?: string }): RateArm {
  if (metric.name === 'mfa_rate') {
    // MFA is decided per user (enrolment, policy), so a user's attempts move together. Without
    // per-user MFA sums, bound the design effect by perfect within-user correlation: Σn_u² / Σn_u.
    const designEffect = new Float64Array(arm.attempts.length);
    for (let h = 0; h < designEffect.length; h++) {
      const n = arm.attempts[h] ?? 0;
      designEffect[h] = n > 0 ? Math.max((arm.snn[h] ?? 0) / n, 1) : 1;
    }
    return { n: arm.mfaKnown, x: arm.mfaChallenged, designEffect };
  }
  if (metric.errorCode !== undefined) {
    const hours = arm.attempts.length;
    const x = arm.errors.get(metric.errorCode) ?? new Float64Array(hours);
    const designEffect = new Float64Array(hours);
    for (let h = 0; h < hours; h++) designEffect[h] = failureDesignEffect(arm, h);
    return { n: arm.attempts, x, designEffect };
  }
  const hours = arm.attempts.length;
  const buffer = new Float64Array(3 * hours);
  const [x, sxx, sxn] = [0, 1, 2].map((i) => buffer.subarray(i * hours, (i + 1) * hours)) as [Float64Array, Float64Array, Float64Array];
  for (let h = 0; h < hours; h++) {
    const [n, f, snn, sfn, sff] = [arm.attempts[h] ?? 0, arm.failures[h] ?? 0, arm.snn[h] ?? 0, arm.sxn[h] ?? 0, arm.sxx[h] ?? 0];
    x[h] = n - f;
    sxx[h] = snn - 2 * sfn + sff;
    sxn[h] = snn - sfn;
  }
  return { n: arm.attempts, x, units: { K: arm.K, sxx, snn: arm.snn, sxn } };
}

function failureDesignEffect(arm: ArmSums, h: number): number {
  const [n, f, K] = [arm.attempts[h] ?? 0, arm.failures[h] ?? 0, arm.K[h] ?? 0];
  if (!(n > 0 && f > 0 && f < n && K >= 2)) return 1;
  const p = f / n;
  const squares = (arm.sxx[h] ?? 0) - 2 * p * (arm.sxn[h] ?? 0) + p * p * (arm.snn[h] ?? 0);
  const delta = (Math.max(squares, 0) * K) / ((K - 1) * n * n);
  return Math.max(delta / ((p * (1 - p)) / n), 1);
}

/** One row of `windowLatency`. */
export interface LatencyRow {
  set_id: number;
  cohort_key: string;
  t: number;
  provider: string;
  bin: number;
  count: number;
}

/** One provider's sparse latency rows of a cohort, as a per-hour CSR histogram (rows in any order). */
export function latencyArm(rows: readonly LatencyRow[], provider: string, startSec: number, hours: number): LatencyArm {
  const offsets = new Int32Array(hours + 1);
  const hourOf = (r: LatencyRow) => Math.floor((r.t - startSec) / 3600);
  let kept = 0;
  for (const r of rows) {
    const h = hourOf(r);
    if (r.provider !== provider || h < 0 || h >= hours) continue;
    offsets[h + 1] = (offsets[h + 1] ?? 0) + 1;
    kept++;
  }
  for (let h = 0; h < hours; h++) offsets[h + 1] = (offsets[h + 1] ?? 0) + (offsets[h] ?? 0);
  const bins = new Int16Array(kept);
  const counts = new Float64Array(kept);
  const cursor = offsets.slice(0, hours);
  for (const r of rows) {
    const h = hourOf(r);
    if (r.provider !== provider || h < 0 || h >= hours) continue;
    const i = cursor[h] ?? 0;
    bins[i] = r.bin;
    counts[i] = r.count;
    cursor[h] = i + 1;
  }
  return { offsets, bins, counts };
}
