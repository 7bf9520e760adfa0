import { join, raw, sql, type Sql } from '../store/sql.js';

/** Rate cohorts with fewer expected events and non-events (Σx·Σ(n − x)/Σn) than this are not fitted: their level is shrunk to the parent. */
export const SMALL_COHORT_NPQ = 50;

/**
 * SQL for the parts of the baseline fit that DuckDB does over all cohorts at once (statistics.md
 * 1.1): per-cohort totals of `bl_series`, the raw hour-of-week profiles of the big cohorts, the shape
 * uploads and each cohort's mean shape offset. The per-cohort fit itself (IRLS, incidents, τ², the
 * clustered covariance) is `fitSeries` (fit-series.ts), over each cohort's windows in time order.
 */

/**
 * Σ expr over the rows where `condition` holds (0 when none does), exact and independent of the order rows
 * arrive in: each term is rounded to a multiple of 2⁻⁵² and summed as HUGEINT. DuckDB's threads meet rows in any
 * order, and plain floating-point sums would then differ in the last bits from run to run; this is what makes the
 * same data give the same snapshot, bit for bit. (Ordered aggregates do the same 60 times slower.)
 */
function exactSumWhere(expr: Sql, condition: Sql): Sql {
  return sql`(coalesce(sum(((${expr}) * 4503599627370496)::HUGEINT) FILTER (WHERE ${condition}), 0)::DOUBLE / 4503599627370496)`;
}

/** Rate cohorts with at least this many events and non-events per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_RATE_EVENTS = 20;
/** Latency cohorts with at least this many observations per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_LATENCY_N = 100;


const list = (cuts: readonly number[], item: (cut: Sql) => Sql): Sql => sql`[${join(cuts.map((c) => item(raw(String(c)))), ', ')}]`;

/**
 * Per set × metric × cohort of `bl_series`, for each cut (days since the epoch) the totals of its windows before
 * it, as lists in the order of `cuts`: windows, n, x (rates: events; latency 0) and t̄ (days; NaN without windows).
 */
export function seriesTotalsAt(cuts: readonly number[]): Sql {
  const before = (cut: Sql) => sql`t < ${cut}`;
  return sql`
    SELECT set_id, metric, any_value(family) AS family, cohort_key,
           ${list(cuts, (c) => sql`(count(*) FILTER (WHERE ${before(c)}))::DOUBLE`)} AS windows,
           ${list(cuts, (c) => sql`coalesce(sum(n) FILTER (WHERE ${before(c)}), 0)`)} AS n,
           ${list(cuts, (c) => sql`CASE WHEN any_value(family) = 'rate' THEN coalesce(sum(x) FILTER (WHERE ${before(c)}), 0) ELSE 0 END`)} AS x,
           ${list(cuts, (c) => sql`${exactSumWhere(sql`n * t`, before(c))} / sum(n) FILTER (WHERE ${before(c)})`)} AS t_bar
    FROM bl_series GROUP BY set_id, metric, cohort_key
    ORDER BY set_id, metric, cohort_key`;
}

/**
 * Raw hour-of-week sums of the cohorts of `bl_sorted` with stream index below `upTo` (the big ones stream first):
 * one row per cohort × hour of week, ordered by cohort and hour, with for each cut k (days since the epoch, in the
 * order of `cuts`) `n<k>` = Σn and `x<k>` = Σx (rates) or Σ n ȳ (latency, exact) of the windows before it. Scalar
 * columns, so a streamed chunk stays small.
 */
export function rawProfilesAt(cuts: readonly number[], upTo: number): Sql {
  const columns = cuts.map((c, k) => {
    const before = raw(`t < ${c}`);
    return sql`coalesce(sum(n) FILTER (WHERE ${before}), 0) AS ${raw(`n${k}`)},
               coalesce(sum(x) FILTER (WHERE NOT latency AND ${before}), 0) + ${exactSumWhere(sql`n * x`, sql`latency AND ${before}`)} AS ${raw(`x${k}`)}`;
  });
  return sql`
    SELECT cid, how, ${join(columns, ', ')}
    FROM bl_sorted WHERE cid < ${upTo}
    GROUP BY cid, how
    ORDER BY cid, how`;
}

/** `bl_offsets` (shape_key, metric, how, off) from shapes keyed `shapeKey|metric`, for predictions in SQL. */
export function uploadOffsets(shapes: ReadonlyMap<string, Float64Array>): Sql {
  const json = JSON.stringify([...shapes].map(([key, o]) => ({ k: key.slice(0, key.lastIndexOf('|')), m: key.slice(key.lastIndexOf('|') + 1), o: [...o] })));
  return sql`CREATE OR REPLACE TEMP TABLE bl_offsets AS
    SELECT k AS shape_key, m AS metric, generate_subscripts(o, 1) - 1 AS how, unnest(o) AS off
    FROM (SELECT unnest(from_json(${json}::JSON, '[{"k":"VARCHAR","m":"VARCHAR","o":["DOUBLE"]}]'), recursive := true))`;
}
