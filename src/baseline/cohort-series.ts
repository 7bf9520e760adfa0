import type { DuckDBConnection } from '@duckdb/node-api';
import { join, raw, sql, type Sql } from '../store/sql.js';
import { instant } from './aggregate.js';
import type { CohortSeries } from './fit-series.js';
import type { MetricRead, SeriesPart } from './series.js';

/**
 * A cohort × metric of the fit's stream, by its stream index. Consecutive entries with the same set and cohort key
 * are one cohort of `bl_sorted` (its metrics are read from the same rows).
 */
export interface StreamedCohort {
  setId: number;
  metric: string;
  cohortKey: string;
  family: 'rate' | 'latency';
  read: MetricRead;
}

/**
 * The cohort × metrics of `parts` with at least one window, ordered by set, metric and cohort key: one
 * `SELECT DISTINCT` per metric over `bl_hourly`.
 */
export function seriesCohorts(parts: readonly SeriesPart[]): Sql {
  const lists = parts.map((p) => sql`SELECT DISTINCT set_id, ${p.metric} AS metric, ${p.family} AS family, cohort_key FROM (${p.select})`);
  return lists.length
    ? sql`SELECT set_id, metric, family, cohort_key FROM (${join(lists, ' UNION ALL ')}) ORDER BY set_id, metric, cohort_key`
    : sql`SELECT NULL::INT AS set_id, NULL::VARCHAR AS metric, NULL::VARCHAR AS family, NULL::VARCHAR AS cohort_key WHERE FALSE`;
}

/** The first stream index of each cohort of `cohorts` (runs of the same set and key), and the end. */
function cohortStarts(cohorts: readonly StreamedCohort[]): number[] {
  const starts = cohorts.flatMap((c, i) => {
    const previous = cohorts[i - 1];
    return previous && previous.setId === c.setId && previous.cohortKey === c.cohortKey ? [] : [i];
  });
  return [...starts, cohorts.length];
}

/** The columns of `bl_hourly` a `MetricRead` may use, in `bl_sorted`'s order after (cid, t, how); then e0, e1, …. */
const WIDE_COLUMNS = ['attempts', 'failures', 'mfa_known', 'mfa_challenged', 'latency_n', 'latency_sum_log', 'latency_sumsq_log'] as const;

/**
 * `bl_sorted`: the cohort-hours of `bl_hourly` before `seriesTo` of the cohorts of `cohorts` (one row per cohort and
 * hour, every metric's sums in it; `cid` = the cohort's index among the runs of `cohorts`), written in (cid, time)
 * order, so that a scan in insertion order streams one cohort after another in time order. A fifth of the rows
 * one per metric would be, and one sort.
 */
export function sortedSeriesTable(cohorts: readonly StreamedCohort[], codes: number, seriesTo: Date): Sql {
  const starts = cohortStarts(cohorts);
  const json = JSON.stringify(starts.slice(0, -1).map((i, cid) => ({ cid, s: cohorts[i]!.setId, c: cohorts[i]!.cohortKey })));
  const errors = raw(Array.from({ length: codes }, (_, i) => `, h.e${i}`).join(''));
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_sorted AS
    WITH k AS (
      SELECT unnest(from_json(${json}::JSON, '[{"cid":"INTEGER","s":"INTEGER","c":"VARCHAR"}]'), recursive := true)
    )
    SELECT k.cid, h.t, h.how::INTEGER AS how, ${raw(WIDE_COLUMNS.map((c) => `h.${c}`).join(', '))}${errors}
    FROM bl_hourly h JOIN k ON k.s = h.set_id AND k.c = h.cohort_key
    WHERE h.hour < ${instant(seriesTo)}
    ORDER BY k.cid, h.t`;
}

/** Code-unit order of two strings (deterministic, locale-free): the order of cohort keys in the stream and in pooled lists. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A growable set of series columns. */
class SeriesBuffer {
  length = 0;
  t = new Float64Array(1024);
  how = new Int32Array(1024);
  n = new Float64Array(1024);
  x = new Float64Array(1024);
  s2 = new Float64Array(1024);

  push(t: number, how: number, n: number, x: number, s2: number): void {
    if (this.length === this.t.length) {
      const grow = <A extends Float64Array | Int32Array>(a: A, make: (k: number) => A): A => {
        const b = make(2 * a.length);
        b.set(a);
        return b;
      };
      this.t = grow(this.t, (k) => new Float64Array(k));
      this.how = grow(this.how, (k) => new Int32Array(k));
      this.n = grow(this.n, (k) => new Float64Array(k));
      this.x = grow(this.x, (k) => new Float64Array(k));
      this.s2 = grow(this.s2, (k) => new Float64Array(k));
    }
    const i = this.length++;
    this.t[i] = t;
    this.how[i] = how;
    this.n[i] = n;
    this.x[i] = x;
    this.s2[i] = s2;
  }

  series(family: CohortSeries['family']): CohortSeries {
    const length = this.length;
    return {
      family, length,
      t: this.t.subarray(0, length), how: this.how.subarray(0, length), n: this.n.subarray(0, length),
      x: this.x.subarray(0, length), s2: this.s2.subarray(0, length),
    };
  }
}

/**
 * The series of `cohorts` (the stream `sortedSeriesTable` wrote; only their windows in `days`, [from, to) in days
 * since the epoch, when given: one window or several), one cohort × metric at a time, in stream order; one without
 * windows is left out. Each metric's windows are read from its cohort's rows by its `MetricRead`. The arrays are
 * views into buffers the next cohort reuses: a consumer is done with one before the next.
 *
 * @throws {Error} if the scan does not come in (cohort, time) order (the fit's sums are deterministic only in it).
 */
export async function* cohortSeries(
  connection: DuckDBConnection,
  cohorts: readonly StreamedCohort[],
  days?: { from: number; to: number } | readonly { from: number; to: number }[],
): AsyncGenerator<{ cid: number; series: CohortSeries }> {
  const starts = cohortStarts(cohorts);
  const width = Math.max(0, ...starts.slice(1).map((end, g) => end - starts[g]!));
  const buffers = Array.from({ length: width }, () => new SeriesBuffer());
  const windows = days === undefined ? [] : 'from' in days ? [days] : days;
  const within = windows.map((w) => sql`(t >= ${w.from} AND t < ${w.to})`);
  const query = sql`SELECT * FROM bl_sorted${days === undefined ? sql`` : sql` WHERE ${within.length ? join(within, ' OR ') : sql`FALSE`}`}`;
  const result = await connection.stream(query.text, [...query.values]);
  let current = -1;
  let last = Number.NEGATIVE_INFINITY;
  function* flush(): Generator<{ cid: number; series: CohortSeries }> {
    if (current < 0) return;
    for (let j = starts[current]!; j < starts[current + 1]!; j++) {
      const buffer = buffers[j - starts[current]!]!;
      if (buffer.length > 0) yield { cid: j, series: buffer.series(cohorts[j]!.family) };
    }
  }
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const v = Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnVector(c));
    const [vc, vt, vh, attempts, failures, mfaKnown, mfaChallenged, latencyN, latencySum, latencySumsq] = v;
    // Read once: `rowCount` is a native call, and the loop runs once per cohort-hour (21M at 100M events).
    const rowCount = chunk.rowCount;
    for (let r = 0; r < rowCount; r++) {
      const cohort = vc!.getItem(r) as number;
      const at = vt!.getItem(r) as number;
      if (cohort < current || (cohort === current && at <= last)) throw new Error('bl_sorted was read out of (cohort, time) order');
      if (cohort !== current) {
        yield* flush();
        current = cohort;
        for (const b of buffers) b.length = 0;
      }
      last = at;
      const how = vh!.getItem(r) as number;
      for (let j = starts[cohort]!; j < starts[cohort + 1]!; j++) {
        const read = cohorts[j]!.read;
        const buffer = buffers[j - starts[cohort]!]!;
        if (read.kind === 'latency') {
          const n = latencyN!.getItem(r) as number;
          if (!(n >= 5)) continue;
          const sum = latencySum!.getItem(r) as number;
          const sumsq = latencySumsq!.getItem(r) as number;
          buffer.push(at, how, n, sum / n, Math.max((sumsq - (sum * sum) / n) / (n - 1), 1e-4) / n);
        } else if (read.kind === 'mfa') {
          const n = mfaKnown!.getItem(r) as number;
          if (n > 0) buffer.push(at, how, n, mfaChallenged!.getItem(r) as number, 0);
        } else {
          const n = attempts!.getItem(r) as number;
          if (!(n > 0)) continue;
          const x = read.kind === 'success' ? n - (failures!.getItem(r) as number) : (v[WIDE_COLUMNS.length + 3 + read.column]!.getItem(r) as number);
          buffer.push(at, how, n, x, 0);
        }
      }
    }
  }
  yield* flush();
}

/** The first `length` windows of `series` (a view). */
export function prefix(series: CohortSeries, length: number): CohortSeries {
  return {
    family: series.family, length,
    t: series.t.subarray(0, length), how: series.how.subarray(0, length), n: series.n.subarray(0, length),
    x: series.x.subarray(0, length), s2: series.s2.subarray(0, length),
  };
}

/** The number of windows of `series` before `day` (days since the epoch): windows are in time order. */
export function windowsBefore(series: CohortSeries, day: number): number {
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series.t[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
