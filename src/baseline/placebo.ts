import type { DuckDBConnection } from '@duckdb/node-api';
import type { Plan } from '../plan/plan.js';
import { all, run } from '../store/query.js';
import { sql, type Sql } from '../store/sql.js';
import type { Period } from '../types.js';
import type { CohortSet } from './cohort-sets.js';
import { fitCohorts, type FittedCohort } from './fit-cohorts.js';
import { exactSum } from './fit.js';
import { errorCodes, seriesTable } from './series.js';
import { groupBy } from '../group-by.js';

/** Length of the placebo stages: the typical stage (statistics.md 2.2). */
export const STAGE_DAYS = 5;
/** The first placebo origin leaves at least this many days to fit on (two weeks: two of every hour-of-week). */
export const PLACEBO_FIT_DAYS = 14;
/** A set × metric with fewer pooled residuals than this (everyone: one per origin) takes the factor of all its metric's residuals. */
export const MIN_PLACEBO_RESIDUALS = 10;
/**
 * At most this many placebo origins, the latest: their fits are the longest, the most like the build's own, and
 * each costs a whole fit (at 10k cohorts × 90 days a fit is as big as a pass over the events). Four origins give
 * every set of ≥ 3 cohorts its own factor (`MIN_PLACEBO_RESIDUALS`).
 */
export const MAX_PLACEBO_ORIGINS = 4;
/** The placebo factor is capped here: beyond it the projection variance is not what is missing. */
export const MAX_PLACEBO_FACTOR = 100;

const DAY_MS = 86_400_000;

/** One cohort × metric's stage-pooled residual over a held-out window, and the two parts of its variance. */
export interface PooledResidual {
  setId: number;
  metric: string;
  cohortKey: string;
  /** Observed − projected, pooled over the window: Σx − Σnμ (rates, events) or Σn(ȳ − η) (latency, n·log ms). */
  residual: number;
  /** Sampling and hourly variance, independent across hours: DE·ΣW + τ²·ΣW² (latency Σn²s² + τ²Σn²). */
  hourly: number;
  /** Projection variance, one error for every hour: g²·Var(a) + 2gh·Cov(a, b) + h²·Var(b), g = ΣW, h = ΣW(t − t̄). */
  projection: number;
}

/**
 * The stage-length placebo factor k of statistics.md 2.2: the factor on the projection variance
 * that makes the stage-pooled standardised residuals of a set × metric have mean square one,
 *
 *     mean_i  r_i² / (V_hourly,i + k·V_projection,i) = 1,   k ≥ 1 (1 when the mean square is already ≤ 1),
 *
 * found by bisection (the left side falls as k grows), capped at `MAX_PLACEBO_FACTOR`.
 *
 * @throws {RangeError} if no residual has a positive variance.
 */
export function placeboFactor(residuals: readonly PooledResidual[]): number {
  const usable = residuals.filter((r) => r.hourly + r.projection > 0);
  if (usable.length === 0) throw new RangeError('placeboFactor needs a residual with positive variance');
  const meanSquare = (k: number) => usable.reduce((s, r) => s + r.residual ** 2 / (r.hourly + k * r.projection), 0) / usable.length;
  if (meanSquare(1) <= 1) return 1;
  if (meanSquare(MAX_PLACEBO_FACTOR) > 1) return MAX_PLACEBO_FACTOR;
  let [lo, hi] = [1, MAX_PLACEBO_FACTOR];
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanSquare(mid) > 1) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Per cohort × metric of `bl_holdout`: the pooled sums of `PooledResidual` against the uploaded fits (see `stageResiduals`). */
export function pooledSums(paramsJson: string): Sql {
  return sql`
    WITH p AS (
      SELECT unnest(from_json(${paramsJson}::JSON, '[{"s":"INTEGER","m":"VARCHAR","c":"VARCHAR","level":"DOUBLE","trend":"DOUBLE","tbar":"DOUBLE","k":"VARCHAR"}]'), recursive := true)
    ), w AS (
      SELECT h.set_id, h.metric, h.cohort_key, h.family, h.n, h.x, h.s2, h.t - p.tbar AS d, p.level + p.trend * (h.t - p.tbar) + o.off AS eta
      FROM bl_holdout h
      JOIN p ON p.s = h.set_id AND p.m = h.metric AND p.c = h.cohort_key
      JOIN bl_offsets o ON o.shape_key = p.k AND o.metric = h.metric AND o.how = h.how
    ), v AS (
      SELECT *, CASE WHEN family = 'rate' THEN 1 / (1 + exp(-least(greatest(eta, -30), 30))) END AS mu FROM w
    ), u AS (
      SELECT *, CASE WHEN family = 'rate' THEN n * mu * (1 - mu) ELSE n END AS wt,
             CASE WHEN family = 'rate' THEN x - n * mu ELSE n * (x - eta) END AS r,
             CASE WHEN family = 'rate' THEN n * mu * (1 - mu) ELSE n * n * s2 END AS samp
      FROM v
    )
    SELECT set_id, metric, cohort_key, ${exactSum(sql`r`)} AS r, ${exactSum(sql`wt`)} AS g, ${exactSum(sql`wt * d`)} AS h,
           ${exactSum(sql`samp`)} AS samp, ${exactSum(sql`wt * wt`)} AS w2
    FROM u GROUP BY set_id, metric, cohort_key
    ORDER BY set_id, metric, cohort_key`;
}

/**
 * Stage-pooled residuals of the fitted cohorts of `fits` over the held-out window [from, to):
 * builds `bl_holdout` and projects each hour with level + trend + shape (the fit's `bl_offsets`).
 * `effects`: design effect by `setId|cohortKey`, for the failure-based rates (mfa_rate and latency use 1).
 */
export async function stageResiduals(
  connection: DuckDBConnection,
  plan: Pick<Plan, 'metrics'>,
  fits: readonly FittedCohort[],
  effects: ReadonlyMap<string, number>,
  window: Period,
): Promise<PooledResidual[]> {
  const modelled = plan.metrics.filter((m) => m.family !== 'shadow');
  await run(connection, seriesTable(modelled, errorCodes(plan.metrics), window.to, { table: 'bl_holdout', from: window.from }));
  const params = fits.map((f) => ({ s: f.setId, m: f.metric, c: f.cohortKey, level: f.level, trend: f.trendPerDay, tbar: f.tBar.getTime() / DAY_MS, k: f.shapeKey }));
  const fitOf = new Map(fits.map((f) => [`${f.setId}|${f.metric}|${f.cohortKey}`, f]));
  const rows = await all<{ set_id: number; metric: string; cohort_key: string; r: number; g: number; h: number; samp: number; w2: number }>(
    connection,
    pooledSums(JSON.stringify(params)),
  );
  return rows.flatMap((row) => {
    const f = fitOf.get(`${row.set_id}|${row.metric}|${row.cohort_key}`);
    if (!f) return [];
    const de = f.family === 'rate' && f.metric !== 'mfa_rate' ? Math.max(effects.get(`${f.setId}|${f.cohortKey}`) ?? 1, 1) : 1;
    return [{
      setId: f.setId,
      metric: f.metric,
      cohortKey: f.cohortKey,
      residual: row.r,
      hourly: de * row.samp + f.tau2 * row.w2,
      projection: row.g * row.g * f.varLevel + 2 * row.g * row.h * f.covLevelTrend + row.h * row.h * f.varTrend,
    }];
  });
}

/**
 * The placebo origins of a baseline period: o = from + 14 d, + 21 d, … with o + 5 d ≤ to, the latest
 * `MAX_PLACEBO_ORIGINS` of them (ms since the epoch, ascending); none when the period is shorter than 19 days.
 */
export function placeboOrigins(period: Period): number[] {
  const origins: number[] = [];
  for (let origin = period.from.getTime() + PLACEBO_FIT_DAYS * DAY_MS; origin + STAGE_DAYS * DAY_MS <= period.to.getTime(); origin += 7 * DAY_MS) {
    origins.push(origin);
  }
  return origins.slice(-MAX_PLACEBO_ORIGINS);
}

/**
 * Rolling-origin placebo of the baseline period: for each origin o of `placeboOrigins`, fits every
 * cohort on [from, o) exactly as the build does and pools each stored cohort's residual over [o, o + 5 d); per set × metric, `placeboFactor` of all of them (of all
 * the metric's residuals, every stored set, when the set has fewer than `MIN_PLACEBO_RESIDUALS`). Runs
 * `fitCohorts` once per origin (its temp tables are left as the last origin had them). An empty
 * map when the period is too short for one origin.
 */
export async function placeboFactors(
  connection: DuckDBConnection,
  plan: Pick<Plan, 'metrics'>,
  sets: readonly CohortSet[],
  period: Period,
  effects: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const stored = new Set(sets.filter((s) => s.stored).map((s) => s.id));
  const pooled = new Map<string, PooledResidual[]>();
  for (const origin of placeboOrigins(period)) {
    const { fits } = await fitCohorts(connection, plan, sets, new Date(origin));
    const window = { from: new Date(origin), to: new Date(origin + STAGE_DAYS * DAY_MS) };
    for (const r of await stageResiduals(connection, plan, fits.filter((f) => stored.has(f.setId)), effects, window)) {
      const key = `${r.setId}|${r.metric}`;
      const list = pooled.get(key) ?? [];
      list.push(r); // in place: copying the list per residual is quadratic (~10⁵ residuals per set at 10k cohorts × 11 origins)
      pooled.set(key, list);
    }
  }
  const byMetric = groupBy([...pooled.values()].flat(), (r) => r.metric);
  const usable = (rs: readonly PooledResidual[]) => rs.filter((r) => r.hourly + r.projection > 0);
  const factors = new Map<string, number>();
  for (const [key, residuals] of pooled) {
    const own = usable(residuals);
    const all = usable(byMetric.get(residuals[0]?.metric ?? '') ?? []);
    const chosen = own.length >= MIN_PLACEBO_RESIDUALS ? own : all;
    if (chosen.length > 0) factors.set(key, placeboFactor(chosen));
  }
  return factors;
}
