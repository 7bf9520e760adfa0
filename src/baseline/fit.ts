import { raw, sql, type Sql } from '../store/sql.js';

/** Rate cohorts with fewer expected events and non-events (Σx·Σ(n − x)/Σn) than this are not fitted: their level is shrunk to the parent. */
export const SMALL_COHORT_NPQ = 50;

/**
 * SQL for the parts of the baseline fit that DuckDB does over all cohorts at once (statistics.md
 * 1.1): per-cohort totals of `bl_series`, the raw hour-of-week profiles of the big cohorts, the shape
 * uploads and each cohort's mean shape offset. The per-cohort fit itself (IRLS, incidents, τ², the
 * clustered covariance) is `fitSeries` (fit-series.ts), over each cohort's windows in time order.
 */

/**
 * Σ expr, exact and independent of the order rows arrive in: each term is rounded to a multiple of
 * 2⁻⁵² and summed as HUGEINT. DuckDB's threads meet rows in any order, and plain floating-point
 * sums would then differ in the last bits from run to run; this is what makes the same data give
 * the same snapshot, bit for bit. (Ordered aggregates do the same 60 times slower.)
 */
export function exactSum(expr: Sql): Sql {
  return sql`(sum(((${expr}) * 4503599627370496)::HUGEINT)::DOUBLE / 4503599627370496)`;
}

/** Rate cohorts with at least this many events and non-events per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_RATE_EVENTS = 20;
/** Latency cohorts with at least this many observations per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_LATENCY_N = 100;

/** Per set × metric × cohort of `bl_series`: windows, n, x (rates: events), t̄ (days), and whether it is big enough for its own shape. */
export function seriesTotals(): Sql {
  return sql`
    SELECT set_id, metric, any_value(family) AS family, cohort_key, count(*)::DOUBLE AS windows, sum(n) AS n,
           CASE WHEN any_value(family) = 'rate' THEN sum(x) ELSE 0 END AS x, ${exactSum(sql`n * t`)} / sum(n) AS t_bar,
           CASE WHEN any_value(family) = 'rate' THEN least(sum(x), sum(n) - sum(x)) >= ${raw(String(OWN_SHAPE_RATE_EVENTS * 168))}
                ELSE sum(n) >= ${raw(String(OWN_SHAPE_LATENCY_N * 168))} END AS big
    FROM bl_series GROUP BY set_id, metric, cohort_key
    ORDER BY set_id, metric, cohort_key`;
}

/** Raw hour-of-week profiles of the big cohorts from `bl_series`: rates logit((Σx + ½)/(Σ(n − x) + ½)), latency Σ n ȳ / Σ n. */
export function rawProfiles(): Sql {
  return sql`
    WITH big AS (SELECT set_id, metric, cohort_key FROM (${seriesTotals()}) WHERE big)
    SELECT set_id, metric, cohort_key, how::INT AS how,
           CASE WHEN any_value(family) = 'rate' THEN ln((sum(x) + 0.5) / (sum(n) - sum(x) + 0.5))
                ELSE ${exactSum(sql`n * x`)} / sum(n) END AS value
    FROM bl_series SEMI JOIN big USING (set_id, metric, cohort_key)
    GROUP BY set_id, metric, cohort_key, how
    ORDER BY set_id, metric, cohort_key, how`;
}

/** `bl_offsets` and `bl_assign` from JSON uploads (shape offsets per key × metric; shape key per cohort × metric). */
export function uploadShapes(offsetsJson: string, assignJson: string): Sql[] {
  return [
    sql`CREATE OR REPLACE TEMP TABLE bl_offsets AS
        SELECT k AS shape_key, m AS metric, generate_subscripts(o, 1) - 1 AS how, unnest(o) AS off
        FROM (SELECT unnest(from_json(${offsetsJson}::JSON, '[{"k":"VARCHAR","m":"VARCHAR","o":["DOUBLE"]}]'), recursive := true))`,
    sql`CREATE OR REPLACE TEMP TABLE bl_assign AS
        SELECT s AS set_id, m AS metric, c AS cohort_key, k AS shape_key, src AS shape_source
        FROM (SELECT unnest(from_json(${assignJson}::JSON, '[{"s":"INTEGER","m":"VARCHAR","c":"VARCHAR","k":"VARCHAR","src":"VARCHAR"}]'), recursive := true))`,
  ];
}


/**
 * Per set × metric × cohort of `bl_series`: the n-weighted mean of the cohort's shape offset over
 * its baseline windows, s̄_base = Σ n_w s(h_w) / Σ n_w (n = attempts, or latency observations). A
 * shape sums to zero over the 168 hours, but traffic does not spread evenly over them: a pooled
 * baseline statistic (the latency histogram's quantile) already holds s̄_base, so a projection
 * from it adds s(h) − s̄_base.
 */
export function shapeMeans(): Sql {
  return sql`
    SELECT s.set_id, s.metric, s.cohort_key, ${exactSum(sql`s.n * o.off`)} / sum(s.n) AS shape_mean
    FROM bl_series s
    JOIN bl_assign a USING (set_id, metric, cohort_key)
    JOIN bl_offsets o ON o.shape_key = a.shape_key AND o.metric = s.metric AND o.how = s.how
    GROUP BY s.set_id, s.metric, s.cohort_key`;
}
