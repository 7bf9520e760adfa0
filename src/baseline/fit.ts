import { sql, type Sql } from '../store/sql.js';

/** Rate cohorts with fewer expected events and non-events (Σx·Σ(n − x)/Σn) than this are not fitted: their level is shrunk to the parent. */
export const SMALL_COHORT_NPQ = 50;

/**
 * Constants of the baseline fit (statistics.md 1.1) and the shape upload for predictions in SQL. The per-cohort
 * fit itself (totals, own shapes, IRLS, incidents, τ², the clustered covariance) is JS over each cohort's windows
 * in time order: `fitCuts` (fit-cuts.ts) and `fitSeries` (fit-series.ts), driven by `fitCohortsAt`.
 */

/** Rate cohorts with at least this many events and non-events per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_RATE_EVENTS = 20;
/** Latency cohorts with at least this many observations per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_LATENCY_N = 100;


/** `bl_offsets` (shape_key, metric, how, off) from shapes keyed `shapeKey|metric`, for predictions in SQL. */
export function uploadOffsets(shapes: ReadonlyMap<string, Float64Array>): Sql {
  const json = JSON.stringify([...shapes].map(([key, o]) => ({ k: key.slice(0, key.lastIndexOf('|')), m: key.slice(key.lastIndexOf('|') + 1), o: [...o] })));
  return sql`CREATE OR REPLACE TEMP TABLE bl_offsets AS
    SELECT k AS shape_key, m AS metric, generate_subscripts(o, 1) - 1 AS how, unnest(o) AS off
    FROM (SELECT unnest(from_json(${json}::JSON, '[{"k":"VARCHAR","m":"VARCHAR","o":["DOUBLE"]}]'), recursive := true))`;
}
