import type { Cohort, Dimension } from '../types.js';
import type { LatencyArm, RateArm } from './hourly-stats.js';
import type { SeriesArena } from './series-arena.js';

/**
 * The values of one hour in `CellRow.series`, in this order: the hour's start (epoch seconds),
 * then the additive sums of `agg_hourly` the rate metrics need. `windowCells` writes them in this order.
 */
export const CELL_SERIES_FIELDS = ['t', 'attempts', 'failures', 'mfa_known', 'mfa_challenged', 'users', 'user_sxx', 'user_snn', 'user_sxn'] as const;

/**
 * One row of `windowCells`: a union cell × provider, with its hours in the window as one flat
 * series of `CELL_SERIES_FIELDS.length` values per hour (hours in any order, only hours with traffic).
 */
export interface CellRow {
  tenant?: string;
  idp?: string;
  app?: string;
  region?: string;
  provider: string;
  /** Per hour: t (epoch seconds), attempts, failures, mfa_known, mfa_challenged, users, Σf², Σn², Σfn (users' sums). */
  series: readonly number[];
}

/** One row of `windowErrors`: a union cell × provider × error code, with per hour `t, failures` (flat, hours in any order). */
export type ErrorRow = Pick<CellRow, Dimension | 'provider'> & { error_code: string; series: readonly number[] };

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
  /** The eight series above back to back (each of them is a view of this buffer), for adding arms in one loop. */
  all: Float64Array;
  errors: Map<string, Float64Array>;
  /** Where the error series are carved from (the arm's own arena), or undefined for fresh arrays. */
  arena: SeriesArena | undefined;
  /** The series `rateArm` derives from the sums, in the same buffer; filled by its first call, after which nothing may be added. */
  derived?: DerivedSeries;
}

/** What `rateArm` derives from an arm's sums, once per arm rather than once per cohort × metric. */
interface DerivedSeries {
  successes: Float64Array;
  successSxx: Float64Array;
  successSxn: Float64Array;
  mfaDesignEffect: Float64Array;
  failureDesignEffect: Float64Array;
  /** The numerator of an error code the arm has no failures with. */
  zeros: Float64Array;
}

const SUM_SERIES = 8;
const DERIVED_SERIES = 6;

/** A cohort's two arms: [candidate, legacy]. */
export interface CohortSums {
  cohort: Cohort;
  arms: [ArmSums, ArmSums];
}

/**
 * An arm of zeros. Its eight series and the six `rateArm` derives share one buffer: one allocation
 * per arm (there are two per cohort), and every series a stream reads is a Float64Array, so V8 reads
 * their hours without boxing each number, as it must when plain and typed arrays meet at one site.
 */
export function emptyArm(hours: number, arena?: SeriesArena): ArmSums {
  const length = (SUM_SERIES + DERIVED_SERIES) * hours;
  const buffer = arena ? arena.float64(length) : new Float64Array(length);
  // No closure for the series: under tsx (esbuild's keepNames) each closure created costs a defineProperty of its name, and there are two arms per cohort.
  return {
    attempts: seriesAt(buffer, 0, hours), failures: seriesAt(buffer, 1, hours), mfaKnown: seriesAt(buffer, 2, hours), mfaChallenged: seriesAt(buffer, 3, hours),
    K: seriesAt(buffer, 4, hours), sxx: seriesAt(buffer, 5, hours), snn: seriesAt(buffer, 6, hours), sxn: seriesAt(buffer, 7, hours),
    all: buffer.subarray(0, SUM_SERIES * hours), errors: new Map(), arena,
  };
}

/** Series `i` of `hours` values in an arm's buffer. */
const seriesAt = (buffer: Float64Array, i: number, hours: number): Float64Array => buffer.subarray(i * hours, (i + 1) * hours);

/** The bytes of one arm's buffer (`emptyArm`). */
export const armBytes = (hours: number): number => (SUM_SERIES + DERIVED_SERIES) * hours * Float64Array.BYTES_PER_ELEMENT;

/** Throws when sums are added into an arm whose rate series were already derived (they would be stale). */
function checkOpen(arm: ArmSums, caller: string): void {
  if (arm.derived) throw new TypeError(`${caller}: the arm's rate series were already derived by rateArm; add every sum first`);
}

/**
 * The sum of a series, left to right from 0 (as `reduce((a, b) => a + b, 0)`, which boxes every
 * partial sum of a typed array: it runs per cohort × metric).
 */
export function sumOf(series: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < series.length; i++) sum += series[i] ?? 0;
  return sum;
}

/** Whether any value of a series is positive (an arm with traffic in some hour). */
export function anyPositive(series: ArrayLike<number>): boolean {
  for (let i = 0; i < series.length; i++) if ((series[i] ?? 0) > 0) return true;
  return false;
}

/** The hour of the window an epoch second falls in, or -1 outside the window's `hours` hours from `startSec`. */
export function windowHour(t: number, startSec: number, hours: number): number {
  const h = Math.floor((t - startSec) / 3600);
  return h >= 0 && h < hours ? h : -1;
}

/**
 * Rows with an hour in the window (`hours` hours from `startSec`), ordered by their first such hour;
 * ties keep the rows' order. `stride` values per hour in `series`, the hour's epoch second first.
 */
export function byFirstHour<Row extends { series: readonly number[] }>(rows: readonly Row[], stride: number, startSec: number, hours: number): Row[] {
  const seen = new Set<Row>();
  const kept: Row[] = [];
  const firsts: number[] = [];
  const perHour = new Array<number>(hours + 1).fill(0);
  for (const row of rows) {
    let min = Infinity;
    for (let i = 0; i < row.series.length; i += stride) {
      const h = windowHour(row.series[i] ?? Number.NaN, startSec, hours);
      if (h >= 0 && h < min) min = h;
    }
    if (min === Infinity || seen.has(row)) continue;
    seen.add(row);
    kept.push(row);
    firsts.push(min);
    perHour[min + 1] = (perHour[min + 1] ?? 0) + 1;
  }
  // A counting sort on the first hour: stable, as the sort it replaces, without a Map lookup per comparison.
  for (let h = 0; h < hours; h++) perHour[h + 1] = (perHour[h + 1] ?? 0) + (perHour[h] ?? 0);
  const ordered = new Array<Row>(kept.length);
  kept.forEach((row, i) => {
    const h = firsts[i] ?? 0;
    const at = perHour[h] ?? 0;
    ordered[at] = row;
    perHour[h] = at + 1;
  });
  return ordered;
}

const STRIDE = CELL_SERIES_FIELDS.length;

/** Adds a cell row's hours in the window (`hours` hours from `startSec`) into an arm. */
export function addCellSeries(arm: ArmSums, row: Pick<CellRow, 'series'>, startSec: number, hours: number): void {
  checkOpen(arm, 'addCellSeries');
  const s = row.series;
  for (let i = 0; i < s.length; i += STRIDE) {
    const h = windowHour(s[i] ?? Number.NaN, startSec, hours);
    if (h < 0) continue;
    arm.attempts[h] = (arm.attempts[h] ?? 0) + (s[i + 1] ?? 0);
    arm.failures[h] = (arm.failures[h] ?? 0) + (s[i + 2] ?? 0);
    arm.mfaKnown[h] = (arm.mfaKnown[h] ?? 0) + (s[i + 3] ?? 0);
    arm.mfaChallenged[h] = (arm.mfaChallenged[h] ?? 0) + (s[i + 4] ?? 0);
    arm.K[h] = (arm.K[h] ?? 0) + (s[i + 5] ?? 0);
    arm.sxx[h] = (arm.sxx[h] ?? 0) + (s[i + 6] ?? 0);
    arm.snn[h] = (arm.snn[h] ?? 0) + (s[i + 7] ?? 0);
    arm.sxn[h] = (arm.sxn[h] ?? 0) + (s[i + 8] ?? 0);
  }
}

/** Adds an error row's failures in the window (`hours` hours from `startSec`) into an arm. */
export function addErrorSeries(arm: ArmSums, row: Pick<ErrorRow, 'error_code' | 'series'>, startSec: number, hours: number): void {
  checkOpen(arm, 'addErrorSeries');
  const s = row.series;
  let series: Float64Array | undefined;
  for (let i = 0; i < s.length; i += 2) {
    const h = windowHour(s[i] ?? Number.NaN, startSec, hours);
    if (h < 0) continue;
    series ??= errorSeries(arm, row.error_code);
    series[h] = (series[h] ?? 0) + (s[i + 1] ?? 0);
  }
}

/** Adds one arm's hourly sums, error codes included, into another of the same length. */
export function addArm(into: ArmSums, from: ArmSums): void {
  checkOpen(into, 'addArm');
  const [target, source] = [into.all, from.all];
  for (let i = 0; i < source.length; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
  // forEach rather than for…of with destructuring: no iterator entries allocated per arm added.
  from.errors.forEach((series, code) => {
    const sum = errorSeries(into, code);
    for (let h = 0; h < series.length; h++) sum[h] = (sum[h] ?? 0) + (series[h] ?? 0);
  });
}

/** An arm's failures with one error code per hour, zeros when it has none yet. */
function errorSeries(arm: ArmSums, code: string): Float64Array {
  let series = arm.errors.get(code);
  if (!series) {
    series = arm.arena ? arm.arena.float64(arm.attempts.length) : new Float64Array(arm.attempts.length);
    arm.errors.set(code, series);
  }
  return series;
}

/** Adds failures with an error code into an arm at hour h. */
export function addErrors(arm: ArmSums, h: number, code: string, failures: number): void {
  checkOpen(arm, 'addErrors');
  const series = errorSeries(arm, code);
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
  const derived = derivedSeries(arm);
  if (metric.name === 'mfa_rate') return { n: arm.mfaKnown, x: arm.mfaChallenged, designEffect: derived.mfaDesignEffect };
  if (metric.errorCode !== undefined) {
    return { n: arm.attempts, x: arm.errors.get(metric.errorCode) ?? derived.zeros, designEffect: derived.failureDesignEffect };
  }
  return { n: arm.attempts, x: derived.successes, units: { K: arm.K, sxx: derived.successSxx, snn: arm.snn, sxn: derived.successSxn } };
}

/** The arm's derived series (`rateArm`), computed into its buffer on the first call. */
function derivedSeries(arm: ArmSums): DerivedSeries {
  if (arm.derived) return arm.derived;
  const hours = arm.attempts.length;
  const all = arm.all;
  const derived: DerivedSeries = {
    successes: derivedAt(all, 0, hours), successSxx: derivedAt(all, 1, hours), successSxn: derivedAt(all, 2, hours),
    mfaDesignEffect: derivedAt(all, 3, hours), failureDesignEffect: derivedAt(all, 4, hours), zeros: derivedAt(all, 5, hours),
  };
  for (let h = 0; h < hours; h++) {
    const n = arm.attempts[h] ?? 0;
    const f = arm.failures[h] ?? 0;
    const snn = arm.snn[h] ?? 0;
    const sfn = arm.sxn[h] ?? 0;
    const sff = arm.sxx[h] ?? 0;
    derived.successes[h] = n - f;
    derived.successSxx[h] = snn - 2 * sfn + sff;
    derived.successSxn[h] = snn - sfn;
    // MFA is decided per user (enrolment, policy), so a user's attempts move together. Without
    // per-user MFA sums, bound the design effect by perfect within-user correlation: Σn_u² / Σn_u.
    derived.mfaDesignEffect[h] = n > 0 ? Math.max(snn / n, 1) : 1;
    derived.failureDesignEffect[h] = failureDesignEffect(arm, h);
  }
  arm.derived = derived;
  return derived;
}

/** Derived series `i` of an arm, in its buffer after the sums (`all`). */
const derivedAt = (all: Float64Array, i: number, hours: number): Float64Array =>
  new Float64Array(all.buffer, all.byteOffset + (SUM_SERIES + i) * hours * Float64Array.BYTES_PER_ELEMENT, hours);

function failureDesignEffect(arm: ArmSums, h: number): number {
  const n = arm.attempts[h] ?? 0;
  const f = arm.failures[h] ?? 0;
  const K = arm.K[h] ?? 0;
  if (!(n > 0 && f > 0 && f < n && K >= 2)) return 1;
  const p = f / n;
  const squares = (arm.sxx[h] ?? 0) - 2 * p * (arm.sxn[h] ?? 0) + p * p * (arm.snn[h] ?? 0);
  const delta = (Math.max(squares, 0) * K) / ((K - 1) * n * n);
  return Math.max(delta / ((p * (1 - p)) / n), 1);
}

/** One row of `windowLatency`: a cohort × provider, with per (hour, bin) `t, bin, count` (flat, in any order). */
export interface LatencyRow {
  set_id: number;
  cohort_key: string;
  provider: string;
  series: readonly number[];
}

/**
 * One provider's latency rows of a cohort, as a per-hour CSR histogram (hours outside the window
 * dropped), in typed arrays from `arena` when given (see `SeriesArena`), else fresh ones.
 */
export function latencyArm(rows: readonly LatencyRow[], provider: string, startSec: number, hours: number, arena?: SeriesArena): LatencyArm {
  const offsets = arena ? arena.int32(hours + 1) : new Int32Array(hours + 1);
  let entries = 0;
  for (const row of rows) if (row.provider === provider) entries += Math.ceil(row.series.length / 3);
  // Each entry's hour is computed once (-1 outside the window), into scratch shared by every call.
  const hourOf = latencyScratch.hourOf(entries);
  let e = 0;
  let kept = 0;
  let whole = true;
  for (const row of rows) {
    if (row.provider !== provider) continue;
    const series = row.series;
    for (let i = 0; i < series.length; i += 3) {
      const h = windowHour(series[i] ?? Number.NaN, startSec, hours);
      hourOf[e++] = h;
      if (h < 0) continue;
      offsets[h + 1] = (offsets[h + 1] ?? 0) + 1;
      kept++;
      if (whole) whole = isInt32(series[i + 2] ?? 0);
    }
  }
  for (let h = 0; h < hours; h++) offsets[h + 1] = (offsets[h + 1] ?? 0) + (offsets[h] ?? 0);
  const bins = arena ? arena.int16(kept) : new Int16Array(kept);
  // Counts are whole numbers in practice: as 32-bit integers they take 40% less fresh memory (page faults).
  const counts = whole ? (arena ? arena.int32(kept) : new Int32Array(kept)) : arena ? arena.float64(kept) : new Float64Array(kept);
  const cursor = latencyScratch.cursor(hours);
  cursor.set(offsets.subarray(0, hours));
  e = 0;
  for (const row of rows) {
    if (row.provider !== provider) continue;
    const series = row.series;
    for (let i = 0; i < series.length; i += 3) {
      const h = hourOf[e++] ?? -1;
      if (h < 0) continue;
      const j = cursor[h] ?? 0;
      bins[j] = series[i + 1] ?? 0;
      counts[j] = series[i + 2] ?? 0;
      cursor[h] = j + 1;
    }
  }
  return { offsets, bins, counts };
}

/** Whether an Int32Array stores `x` exactly (−0 is not: it would read back as 0). */
const isInt32 = (x: number): boolean => (x | 0) === x && (x !== 0 || 1 / x > 0);

/**
 * latencyArm's working arrays, one pair for every call (grown as needed): a fresh pair per call
 * was two allocations per cohort and provider.
 */
const latencyScratch = {
  hours: new Int32Array(0),
  cursors: new Int32Array(0),
  hourOf(length: number): Int32Array {
    if (this.hours.length < length) this.hours = new Int32Array(Math.max(length, 2 * this.hours.length));
    return this.hours;
  },
  cursor(length: number): Int32Array {
    if (this.cursors.length < length) this.cursors = new Int32Array(Math.max(length, 2 * this.cursors.length));
    return this.cursors;
  },
};
