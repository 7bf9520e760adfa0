import { raw, sql, type Sql } from '../store/sql.js';

/**
 * SQL builders for fitting every cohort's baseline at once, on the temp tables of a build
 * (statistics.md 1.1–1.3). Per cohort × metric only sums leave the hourly rows:
 *
 *   rates    logit(μ_w) = a + b (t_w − t̄) + s(h_w), binomial IRLS with the shape as offset;
 *   latency  ȳ_w (window mean of log ms) = a + b (t_w − t̄) + s(h_w), weighted least squares.
 *
 * Stage 1 fits with sampling weights only (W = nμ(1 − μ) on the logit scale, 1/s²_w for
 * latency). Residuals r_w = (x − nμ)/√(nμ(1 − μ)) (latency: (ȳ − ŷ)/s_w) give a robust scale
 * 1.4826·MAD; windows more than 4·max(1, scale) from the median (with binomial variance ≥ 1,
 * where a residual can tell an incident from a rare event) are flagged as incidents. The
 * shapes are estimated again without them and the cohort refitted; then, over the unflagged
 * windows (residuals winsorised at the same cut), DerSimonian–Laird on the model scale:
 *     τ² = max(0, (X² − (k − 2)) / (ΣW − ΣW²/ΣW)),   φ = X²/(k − 2).
 * Stage 2 refits with weights 1/(1/W + τ²), so the (a, b) covariance (the inverse of the
 * weighted information) carries the window-to-window variance.
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

/** IRLS stops for a cohort when |Δa| + |Δb| falls below this. */
export const CONVERGED = 1e-10;
/** A fit beyond these bounds (|level| on the model scale, |drift| per day) is separated data: the cohort is fixed at its pooled level. */
export const DIVERGED_LEVEL = 25;
export const DIVERGED_TREND = 2;

/** Rate cohorts with at least this many events and non-events per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_RATE_EVENTS = 20;
/** Latency cohorts with at least this many observations per hour-of-week on average estimate their own shape. */
export const OWN_SHAPE_LATENCY_N = 100;

/** Per set × metric × cohort of `bl_series`: windows, n, x (rates: events), and whether it is big enough for its own shape. */
export function seriesTotals(): Sql {
  return sql`
    SELECT set_id, metric, any_value(family) AS family, cohort_key, count(*)::DOUBLE AS windows, sum(n) AS n,
           CASE WHEN any_value(family) = 'rate' THEN sum(x) ELSE 0 END AS x,
           CASE WHEN any_value(family) = 'rate' THEN least(sum(x), sum(n) - sum(x)) >= ${raw(String(OWN_SHAPE_RATE_EVENTS * 168))}
                ELSE sum(n) >= ${raw(String(OWN_SHAPE_LATENCY_N * 168))} END AS big
    FROM bl_series GROUP BY set_id, metric, cohort_key
    ORDER BY set_id, metric, cohort_key`;
}

/**
 * Raw hour-of-week profiles of the big cohorts: rates logit((Σx + ½)/(Σ(n − x) + ½)), latency
 * Σ n ȳ / Σ n; from `bl_series`, or from `bl_fit` without the windows flagged as incidents.
 */
export function rawProfiles(source: 'bl_series' | 'bl_fit'): Sql {
  const from = source === 'bl_fit' ? sql`bl_fit WHERE NOT flagged` : sql`bl_series`;
  return sql`
    WITH big AS (SELECT set_id, metric, cohort_key FROM (${seriesTotals()}) WHERE big),
    rows AS (SELECT * FROM ${from})
    SELECT set_id, metric, cohort_key, how::INT AS how,
           CASE WHEN any_value(family) = 'rate' THEN ln((sum(x) + 0.5) / (sum(n) - sum(x) + 0.5))
                ELSE ${exactSum(sql`n * x`)} / sum(n) END AS value
    FROM rows SEMI JOIN big USING (set_id, metric, cohort_key)
    GROUP BY set_id, metric, cohort_key, how
    ORDER BY set_id, metric, cohort_key, how`;
}

/** Replaces the offsets of `bl_fit` with those of a new `bl_offsets` (after re-estimating shapes without incidents). */
export function refreshOffsets(): Sql {
  return sql`
    UPDATE bl_fit AS f SET off = o.off
    FROM bl_assign a, bl_offsets o
    WHERE a.set_id = f.set_id AND a.metric = f.metric AND a.cohort_key = f.cohort_key
      AND o.shape_key = a.shape_key AND o.metric = f.metric AND o.how = f.how`;
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

/** Rate cohorts with fewer expected events and non-events (Σx·Σ(n − x)/Σn) than this are not fitted: their level is shrunk to the parent. */
export const SMALL_COHORT_NPQ = 50;

/** The cohorts worth an IRLS fit: every latency cohort, rate cohorts with Σx·Σ(n − x)/Σn ≥ `SMALL_COHORT_NPQ`. */
const WORTHY = sql`
  worthy AS (
    SELECT set_id, metric, cohort_key FROM bl_series GROUP BY set_id, metric, cohort_key
    HAVING any_value(family) = 'latency' OR sum(x) * (sum(n) - sum(x)) / sum(n) >= ${raw(String(SMALL_COHORT_NPQ))}
  )`;

/** `bl_fit`: the series of the cohorts worth a fit, with each window's shape offset and an incident flag. */
export function fitTable(): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_fit AS
    WITH ${WORTHY}
    SELECT s.*, o.off, FALSE AS flagged
    FROM bl_series s
    SEMI JOIN worthy USING (set_id, metric, cohort_key)
    JOIN bl_assign a USING (set_id, metric, cohort_key)
    JOIN bl_offsets o ON o.shape_key = a.shape_key AND o.metric = s.metric AND o.how = s.how`;
}

/**
 * `bl_params`: start values per cohort × metric. t̄ is the n-weighted mean time (days), a the
 * pooled logit (or mean log) less the mean offset, b = 0. `fixed` cohorts (too small to fit, all
 * events or none, or one distinct hour) keep the start level and no trend.
 */
export function paramsTable(): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_params AS
    WITH ${WORTHY}
    SELECT set_id, metric, any_value(family) AS family, cohort_key, count(*) AS windows, sum(n) AS n,
           CASE WHEN any_value(family) = 'rate' THEN sum(x) ELSE ${exactSum(sql`n * x`)} END AS x,
           ${exactSum(sql`n * t`)} / sum(n) AS t_bar,
           CASE WHEN any_value(family) = 'rate' THEN ln((sum(x) + 0.5) / (sum(n) - sum(x) + 0.5)) ELSE ${exactSum(sql`n * x`)} / sum(n) END
             - ${exactSum(sql`n * off`)} / sum(n) AS a,
           0::DOUBLE AS b, 0::DOUBLE AS tau2, 1::DOUBLE AS phi, 0::BIGINT AS flagged,
           (any_value(family) = 'rate' AND (sum(x) = 0 OR sum(x) = sum(n))) OR count(DISTINCT t) < 2 AS fixed,
           0::DOUBLE AS s0, 0::DOUBLE AS s1, 0::DOUBLE AS s2, 1::DOUBLE AS change
    FROM bl_fit GROUP BY set_id, metric, cohort_key
    UNION ALL
    SELECT set_id, metric, any_value(family), cohort_key, count(*), sum(n), sum(x), ${exactSum(sql`n * t`)} / sum(n),
           ln((sum(x) + 0.5) / (sum(n) - sum(x) + 0.5)), 0, 0, 1, 0, TRUE, 0, 0, 0, 0
    FROM bl_series ANTI JOIN worthy USING (set_id, metric, cohort_key)
    GROUP BY set_id, metric, cohort_key`;
}

/** Linear predictor, mean and working weight/response of every unflagged window of a fitted cohort. */
const WORKING = sql`
  e AS (
    SELECT f.set_id, f.metric, f.cohort_key, f.hour, f.family, f.n, f.x, f.s2, f.off, f.t - p.t_bar AS d, p.tau2,
           p.a + p.b * (f.t - p.t_bar) + f.off AS eta
    FROM bl_fit f JOIN bl_params p USING (set_id, metric, cohort_key)
    WHERE NOT p.fixed AND NOT f.flagged AND p.change > ${raw(String(CONVERGED))}
  ), g AS (
    SELECT *, CASE WHEN family = 'rate' THEN 1 / (1 + exp(-least(greatest(eta, -30), 30))) END AS mu FROM e
  ), h AS (
    SELECT *, CASE WHEN family = 'rate' THEN greatest(n * mu * (1 - mu), 1e-300) ELSE 1 / s2 END AS wb FROM g
  ), k AS (
    SELECT set_id, metric, cohort_key, hour, d, 1 / (1 / wb + tau2) AS w,
           CASE WHEN family = 'rate' THEN eta - off + (x - n * mu) / wb ELSE x - off END AS z
    FROM h
  )`;

/**
 * One IRLS (Fisher scoring) step for every non-converged cohort: the weighted least-squares
 * solution of z on (1, d) with weights w, and the change |Δa| + |Δb| (sums by `exactSum`).
 */
export function irlsStep(): Sql {
  return sql`
    UPDATE bl_params AS p
    SET a = u.a, b = u.b, s0 = u.s0, s1 = u.s1, s2 = u.s2,
        -- a fit running off stops here; resetFits fixes it at its pooled level
        change = CASE WHEN abs(u.a) > ${raw(String(DIVERGED_LEVEL))} OR abs(u.b) > ${raw(String(DIVERGED_TREND))} THEN 0
                      ELSE abs(u.a - p.a) + abs(u.b - p.b) END
    FROM (
      SELECT set_id, metric, cohort_key, s0, s1, s2,
             CASE WHEN s0 * s2 - s1 * s1 > 1e-9 * s0 * s2 THEN (s2 * b0 - s1 * b1) / (s0 * s2 - s1 * s1) ELSE b0 / s0 END AS a,
             CASE WHEN s0 * s2 - s1 * s1 > 1e-9 * s0 * s2 THEN (s0 * b1 - s1 * b0) / (s0 * s2 - s1 * s1) ELSE 0 END AS b
      FROM (
        WITH ${WORKING}
        SELECT set_id, metric, cohort_key, ${exactSum(sql`w`)} AS s0, ${exactSum(sql`w * d`)} AS s1,
               ${exactSum(sql`w * d * d`)} AS s2, ${exactSum(sql`w * z`)} AS b0, ${exactSum(sql`w * d * z`)} AS b1
        FROM k GROUP BY set_id, metric, cohort_key
      )
    ) AS u
    WHERE p.set_id = u.set_id AND p.metric = u.metric AND p.cohort_key = u.cohort_key`;
}

/** The largest change of the last IRLS step. */
export const largestChange = (): Sql => sql`SELECT coalesce(max(change), 0) AS change FROM bl_params WHERE NOT fixed`;

/**
 * Fixes cohorts whose fit ran off (quasi-separated data: the few events all at one end, or none
 * left after incidents) at the pooled level of their unflagged windows with no drift; marks the
 * others for another round of IRLS.
 */
export function resetFits(): Sql {
  return sql`
    UPDATE bl_params AS p
    SET fixed = p.fixed OR u.degenerate OR abs(p.a) > ${raw(String(DIVERGED_LEVEL))} OR abs(p.b) > ${raw(String(DIVERGED_TREND))},
        a = CASE WHEN p.fixed OR u.degenerate OR abs(p.a) > ${raw(String(DIVERGED_LEVEL))} OR abs(p.b) > ${raw(String(DIVERGED_TREND))}
                 THEN u.a0 ELSE p.a END,
        b = CASE WHEN p.fixed OR u.degenerate OR abs(p.a) > ${raw(String(DIVERGED_LEVEL))} OR abs(p.b) > ${raw(String(DIVERGED_TREND))}
                 THEN 0 ELSE p.b END,
        change = 1
    FROM (
      SELECT set_id, metric, cohort_key,
             (any_value(family) = 'rate' AND (sum(x) = 0 OR sum(x) = sum(n))) OR count(DISTINCT t) < 2 AS degenerate,
             CASE WHEN any_value(family) = 'rate' THEN ln((sum(x) + 0.5) / (sum(n) - sum(x) + 0.5)) ELSE ${exactSum(sql`n * x`)} / sum(n) END
               - ${exactSum(sql`n * off`)} / sum(n) AS a0
      FROM bl_fit WHERE NOT flagged GROUP BY set_id, metric, cohort_key
    ) AS u
    WHERE p.set_id = u.set_id AND p.metric = u.metric AND p.cohort_key = u.cohort_key`;
}

/** `bl_resid`: standardised residuals r and model-scale precision W of every window of a fitted cohort. */
export function residualsTable(scope: 'all' | 'unflagged'): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_resid AS
    WITH r AS (
      SELECT f.set_id, f.metric, f.cohort_key, f.hour, f.family, f.n, f.x, f.s2,
             p.a + p.b * (f.t - p.t_bar) + f.off AS eta
      FROM bl_fit f JOIN bl_params p USING (set_id, metric, cohort_key)
      WHERE NOT p.fixed${scope === 'unflagged' ? sql` AND NOT f.flagged` : sql``}
    ), m AS (
      SELECT *, 1 / (1 + exp(-least(greatest(eta, -30), 30))) AS mu FROM r
    ), v AS (
      SELECT *, CASE WHEN family = 'rate' THEN greatest(n * mu * (1 - mu), 1e-300) ELSE 1 / s2 END AS wb FROM m
    )
    SELECT set_id, metric, cohort_key, hour, wb,
           CASE WHEN family = 'rate' THEN (x - n * mu) / sqrt(wb) ELSE (x - eta) * sqrt(wb) END AS r,
           -- A window is judged as an incident only where its residual is near normal (binomial variance ≥ 1).
           family <> 'rate' OR wb >= 1 AS judgeable
    FROM v`;
}

/** Per cohort: median residual, incident cut, winsorised X², windows, ΣW, ΣW² and flagged windows (see the module doc). */
export function dispersionTable(): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_disp AS
    WITH med AS (
      SELECT set_id, metric, cohort_key, median(r) AS med FROM bl_resid GROUP BY set_id, metric, cohort_key
    ), cut AS (
      SELECT set_id, metric, cohort_key, any_value(m.med) AS med,
             4 * greatest(1, 1.4826 * median(abs(r.r - m.med))) AS cut
      FROM bl_resid r JOIN med m USING (set_id, metric, cohort_key)
      GROUP BY set_id, metric, cohort_key
    ), w AS (
      SELECT r.*, c.med, c.cut, greatest(least(r.r, c.med + c.cut), c.med - c.cut) AS rw
      FROM bl_resid r JOIN cut c USING (set_id, metric, cohort_key)
    )
    SELECT set_id, metric, cohort_key, any_value(med) AS med, any_value(cut) AS cut, count(*) AS k,
           ${exactSum(sql`rw * rw`)} AS x2,
           ${exactSum(sql`wb`)} AS sw, ${exactSum(sql`wb * wb`)} AS sww,
           count(*) FILTER (WHERE abs(r - med) > cut AND judgeable) AS flagged
    FROM w
    GROUP BY set_id, metric, cohort_key`;
}

/** Sets τ² and φ of every fitted cohort from `bl_disp`. */
export function applyDispersion(): Sql {
  return sql`
    UPDATE bl_params AS p
    SET tau2 = CASE WHEN d.k > 2 AND d.sw * d.sw > d.sww THEN greatest(0, (d.x2 - (d.k - 2)) / (d.sw - d.sww / d.sw)) ELSE 0 END,
        phi = CASE WHEN d.k > 2 THEN d.x2 / (d.k - 2) ELSE 1 END
    FROM bl_disp AS d
    WHERE p.set_id = d.set_id AND p.metric = d.metric AND p.cohort_key = d.cohort_key`;
}

/** Marks the incident windows of `bl_disp` in `bl_fit`, so stage 2 leaves them out. */
export function flagIncidents(): Sql {
  return sql`
    UPDATE bl_fit AS f SET flagged = TRUE
    FROM (SELECT r.set_id, r.metric, r.cohort_key, r.hour FROM bl_resid r JOIN bl_disp d USING (set_id, metric, cohort_key)
          WHERE abs(r.r - d.med) > d.cut AND r.judgeable) AS i
    WHERE f.set_id = i.set_id AND f.metric = i.metric AND f.cohort_key = i.cohort_key AND f.hour = i.hour`;
}

/** A cohort needs windows on at least this many days for its day-clustered (level, trend) covariance. */
export const MIN_CLUSTER_DAYS = 5;

/**
 * `bl_cluster`: per fitted cohort, the day blocks of the stage-2 score, for the day-clustered
 * sandwich of (level, trend). With w the stage-2 weight 1/(1/W + τ²) and e the working residual
 * (rates (x − nμ)/W, latency ȳ − η) of each unflagged window,
 *     g_day = Σ_{w∈day} w·e·(1, t_w − t̄),   M = Σ_day g_day g_dayᵀ   (m00, m01, m11),
 * and `fittedParams` forms I⁻¹ M I⁻¹ · G/(G − 1) (G days). Hours of one day share the simulator's
 * (and production's) day-level shocks and users, which the hourly-independent I⁻¹ leaves out.
 * Reference: Liang & Zeger (1986) *Biometrika* 73; Cameron & Miller (2015) *J Human Resources* 50.
 */
export function clusterTable(): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_cluster AS
    WITH e AS (
      SELECT f.set_id, f.metric, f.cohort_key, floor(f.t) AS day, f.family, f.n, f.x, f.s2, f.t - p.t_bar AS d, p.tau2,
             p.a + p.b * (f.t - p.t_bar) + f.off AS eta
      FROM bl_fit f JOIN bl_params p USING (set_id, metric, cohort_key)
      WHERE NOT p.fixed AND NOT f.flagged
    ), m AS (
      SELECT *, CASE WHEN family = 'rate' THEN 1 / (1 + exp(-least(greatest(eta, -30), 30))) END AS mu FROM e
    ), v AS (
      SELECT *, CASE WHEN family = 'rate' THEN greatest(n * mu * (1 - mu), 1e-300) ELSE 1 / s2 END AS wb FROM m
    ), s AS (
      SELECT *, 1 / (1 / wb + tau2) * CASE WHEN family = 'rate' THEN (x - n * mu) / wb ELSE x - eta END AS we FROM v
    ), g AS (
      SELECT set_id, metric, cohort_key, day, ${exactSum(sql`we`)} AS g0, ${exactSum(sql`we * d`)} AS g1
      FROM s GROUP BY set_id, metric, cohort_key, day
    )
    SELECT set_id, metric, cohort_key, count(*)::DOUBLE AS days,
           ${exactSum(sql`g0 * g0`)} AS m00, ${exactSum(sql`g0 * g1`)} AS m01, ${exactSum(sql`g1 * g1`)} AS m11
    FROM g GROUP BY set_id, metric, cohort_key`;
}

/**
 * Final per-cohort fit: level, trend, their covariance, τ², φ, t̄ as a timestamp. The covariance is
 * the inverse weighted information C = I⁻¹ (hours independent given τ²), widened where the
 * day-clustered sandwich S = I⁻¹ M I⁻¹ · G/(G − 1) of `bl_cluster` is larger: var_level × c_a,
 * var_trend × c_b, cov × √(c_a c_b) with c = max(1, S_jj / C_jj) (a diagonal rescaling, so the
 * matrix stays positive definite); cohorts with fewer than `MIN_CLUSTER_DAYS` days keep C.
 * `var_trend_model` keeps C's trend variance for audit.
 */
export function fittedParams(): Sql {
  const det = sql`(p.s0 * p.s2 - p.s1 * p.s1)`;
  const solvable = sql`NOT p.fixed AND ${det} > 1e-9 * p.s0 * p.s2`;
  const clustered = sql`(${solvable} AND c.days >= ${raw(String(MIN_CLUSTER_DAYS))})`;
  const g = sql`c.days / (c.days - 1)`;
  const ca = sql`CASE WHEN ${clustered} THEN greatest(1, (p.s2 * p.s2 * c.m00 - 2 * p.s1 * p.s2 * c.m01 + p.s1 * p.s1 * c.m11) * ${g} / (p.s2 * ${det})) ELSE 1 END`;
  const cb = sql`CASE WHEN ${clustered} THEN greatest(1, (p.s1 * p.s1 * c.m00 - 2 * p.s0 * p.s1 * c.m01 + p.s0 * p.s0 * c.m11) * ${g} / (p.s0 * ${det})) ELSE 1 END`;
  return sql`
    SELECT set_id, metric, family, cohort_key, windows, n, x, a, b, tau2, phi, fixed, flagged, t_bar,
           var_level * ca AS var_level, var_trend * cb AS var_trend, cov_level_trend * sqrt(ca * cb) AS cov_level_trend,
           var_trend AS var_trend_model
    FROM (
      SELECT p.set_id, p.metric, p.family, p.cohort_key, p.windows, p.n, p.x, p.a, p.b, p.tau2, p.phi, p.fixed,
             (SELECT count(*) FROM bl_fit f WHERE f.flagged AND f.set_id = p.set_id AND f.metric = p.metric AND f.cohort_key = p.cohort_key) AS flagged,
             to_timestamp(p.t_bar * 86400) AS t_bar,
             CASE WHEN p.fixed THEN (CASE WHEN p.family = 'rate' THEN (p.n + 1) * (p.n + 1) / ((p.x + 0.5) * (p.n - p.x + 0.5) * p.n) ELSE 1 / p.n END)
                  WHEN ${solvable} THEN p.s2 / ${det} ELSE 1 / p.s0 END AS var_level,
             CASE WHEN ${solvable} THEN p.s0 / ${det} ELSE 0 END AS var_trend,
             CASE WHEN ${solvable} THEN -p.s1 / ${det} ELSE 0 END AS cov_level_trend,
             ${ca} AS ca, ${cb} AS cb
      FROM bl_params p LEFT JOIN bl_cluster c USING (set_id, metric, cohort_key)
    )
    ORDER BY set_id, metric, cohort_key`;
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
