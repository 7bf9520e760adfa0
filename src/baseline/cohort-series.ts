import type { DuckDBConnection } from '@duckdb/node-api';
import { join, sql, type Sql } from '../store/sql.js';
import type { CohortSeries } from './fit-series.js';
import type { SeriesPart } from './series.js';

/** A cohort × metric of `bl_sorted`, by its stream index (`cid`). */
export interface StreamedCohort {
  setId: number;
  metric: string;
  cohortKey: string;
  family: 'rate' | 'latency';
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

/**
 * `bl_sorted`: the windows of `parts` of the cohorts in `cohorts` (index = stream index `cid`), narrow, written in
 * (cid, time) order, so that a scan in insertion order streams one cohort after another in time order. Straight
 * from `bl_hourly`: each metric's windows are joined to their stream index and sorted, with nothing in between.
 */
export function sortedSeriesTable(parts: readonly SeriesPart[], cohorts: readonly StreamedCohort[]): Sql {
  const json = JSON.stringify(cohorts.map((c, cid) => ({ cid, s: c.setId, m: c.metric, c: c.cohortKey })));
  const windows = parts.map(
    (p) => sql`SELECT k.cid, s.t, s.how::INTEGER AS how, s.n, s.x, coalesce(s.s2, 0) AS s2
               FROM (${p.select}) s JOIN k ON k.s = s.set_id AND k.c = s.cohort_key AND k.m = ${p.metric}`,
  );
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_sorted AS
    WITH k AS (
      SELECT unnest(from_json(${json}::JSON, '[{"cid":"INTEGER","s":"INTEGER","m":"VARCHAR","c":"VARCHAR"}]'), recursive := true)
    )
    ${windows.length ? sql`SELECT * FROM (${join(windows, ' UNION ALL ')}) ORDER BY cid, t` : sql`SELECT NULL::INTEGER AS cid, NULL::DOUBLE AS t, NULL::INTEGER AS how, NULL::DOUBLE AS n, NULL::DOUBLE AS x, NULL::DOUBLE AS s2 WHERE FALSE`}`;
}

/**
 * The series of `bl_sorted`'s cohorts with stream index below `upTo` (and only their windows in `days`, [from, to)
 * in days since the epoch, when given: one window or several), one cohort at a time, in insertion order. The
 * arrays are views into buffers the next cohort reuses: a consumer is done with one before the next.
 *
 * @throws {Error} if the scan does not come in (cohort, time) order (the fit's sums are deterministic only in it).
 */
export async function* cohortSeries(
  connection: DuckDBConnection,
  cohorts: readonly StreamedCohort[],
  upTo: number,
  days?: { from: number; to: number } | readonly { from: number; to: number }[],
): AsyncGenerator<{ cid: number; series: CohortSeries }> {
  let capacity = 4096;
  let t = new Float64Array(capacity), how = new Int32Array(capacity), n = new Float64Array(capacity);
  let x = new Float64Array(capacity), s2 = new Float64Array(capacity);
  let current = -1;
  let length = 0;
  const series = (): CohortSeries => ({
    family: cohorts[current]!.family, length,
    t: t.subarray(0, length), how: how.subarray(0, length), n: n.subarray(0, length), x: x.subarray(0, length), s2: s2.subarray(0, length),
  });
  const windows = days === undefined ? [] : 'from' in days ? [days] : days;
  const within = windows.map((w) => sql`(t >= ${w.from} AND t < ${w.to})`);
  const query = sql`SELECT cid, t, how, n, x, s2 FROM bl_sorted WHERE cid < ${upTo}${days === undefined ? sql`` : sql` AND (${within.length ? join(within, ' OR ') : sql`FALSE`})`}`;
  const result = await connection.stream(query.text, [...query.values]);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const [vc, vt, vh, vn, vx, vs] = [0, 1, 2, 3, 4, 5].map((c) => chunk.getColumnVector(c));
    const rows = chunk.rowCount;
    for (let r = 0; r < rows; r++) {
      const cid = vc!.getItem(r) as number;
      const at = vt!.getItem(r) as number;
      if (cid < current || (cid === current && length > 0 && at <= t[length - 1]!)) throw new Error('bl_sorted was read out of (cohort, time) order');
      if (cid !== current) {
        if (current >= 0) yield { cid: current, series: series() };
        current = cid;
        length = 0;
      }
      if (length === capacity) {
        capacity *= 2;
        const grow = <A extends Float64Array | Int32Array>(a: A, make: (k: number) => A): A => { const b = make(capacity); b.set(a); return b; };
        t = grow(t, (k) => new Float64Array(k)); how = grow(how, (k) => new Int32Array(k)); n = grow(n, (k) => new Float64Array(k));
        x = grow(x, (k) => new Float64Array(k)); s2 = grow(s2, (k) => new Float64Array(k));
      }
      t[length] = at;
      how[length] = vh!.getItem(r) as number;
      n[length] = vn!.getItem(r) as number;
      x[length] = vx!.getItem(r) as number;
      s2[length] = vs!.getItem(r) as number;
      length++;
    }
  }
  if (current >= 0) yield { cid: current, series: series() };
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
