import type { DuckDBConnection } from '@duckdb/node-api';
import type { Plan } from '../plan/plan.js';
import type { Period } from '../types.js';
import type { CohortSet } from './cohort-sets.js';
import { cohortSeries, compareText, windowsBefore, type StreamedCohort } from './cohort-series.js';
import { fitCohortsAt, type CohortFits, type FittedCohort } from './fit-cohorts.js';
import { expit, type CohortSeries } from './fit-series.js';
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

/**
 * One cohort's residual pooled over the windows [from, to) of `series` (a time-ordered series, days since the
 * epoch) against its fit: η = level + trend·(t − t̄) + s(h); rates r = Σ(x − nμ), W = nμ(1 − μ), sampling ΣW;
 * latency r = Σ n(ȳ − η), W = n, sampling Σ n²s². Returns r, g = ΣW, h = ΣW(t − t̄), the sampling sum, ΣW² and the
 * number of windows.
 */
export function pooledSums(series: CohortSeries, fit: FittedCohort, shape: ArrayLike<number>, from: number, to: number) {
  const tBar = fit.tBar.getTime() / DAY_MS;
  let r = 0, g = 0, h = 0, samp = 0, w2 = 0, windows = 0;
  for (let i = windowsBefore(series, from); i < series.length && series.t[i]! < to; i++) {
    windows++;
    const d = series.t[i]! - tBar;
    const eta = fit.level + fit.trendPerDay * d + (shape[series.how[i]!] ?? 0);
    const n = series.n[i]!;
    let wt: number;
    if (series.family === 'rate') {
      const mu = expit(eta);
      wt = n * mu * (1 - mu);
      r += series.x[i]! - n * mu;
      samp += wt;
    } else {
      wt = n;
      r += n * (series.x[i]! - eta);
      samp += n * n * series.s2[i]!;
    }
    g += wt;
    h += wt * d;
    w2 += wt * wt;
  }
  return { r, g, h, samp, w2, windows };
}

/**
 * Stage-pooled residuals over held-out windows, one list per `(fitted, window)` pair in `cuts`: every fitted cohort
 * of a `stored` set with windows in [from, to) is projected with its fit (level + trend + its shape) and its
 * residual pooled, in one pass over the windows' rows of `bl_sorted` (`streamed`: its cohorts by stream index)
 * for all the pairs. `effects`: design effect by `setId|cohortKey`, for the failure-based rates (mfa_rate and
 * latency use 1). Each list is ordered by set, metric and cohort key.
 */
export async function holdoutResiduals(
  connection: DuckDBConnection,
  streamed: readonly StreamedCohort[],
  cuts: readonly { fitted: CohortFits; window: Period }[],
  stored: ReadonlySet<number>,
  effects: ReadonlyMap<string, number>,
): Promise<PooledResidual[][]> {
  const pairs = cuts.map(({ fitted, window }) => ({
    fitted,
    byKey: new Map(fitted.fits.map((f) => [`${f.setId}|${f.metric}|${f.cohortKey}`, f])),
    from: window.from.getTime() / DAY_MS,
    to: window.to.getTime() / DAY_MS,
  }));
  const out = pairs.map((): PooledResidual[] => []);
  for await (const { cid, series } of cohortSeries(connection, streamed, pairs)) {
    const c = streamed[cid]!;
    if (!stored.has(c.setId)) continue;
    pairs.forEach(({ fitted, byKey, from, to }, p) => {
      const f = byKey.get(`${c.setId}|${c.metric}|${c.cohortKey}`);
      if (!f) return;
      const sums = pooledSums(series, f, fitted.shapes.get(`${f.shapeKey}|${f.metric}`) ?? [], from, to);
      if (sums.windows === 0) return;
      const de = f.family === 'rate' && f.metric !== 'mfa_rate' ? Math.max(effects.get(`${f.setId}|${f.cohortKey}`) ?? 1, 1) : 1;
      out[p]!.push({
        setId: f.setId,
        metric: f.metric,
        cohortKey: f.cohortKey,
        residual: sums.r,
        hourly: de * sums.samp + f.tau2 * sums.w2,
        projection: sums.g * sums.g * f.varLevel + 2 * sums.g * sums.h * f.covLevelTrend + sums.h * sums.h * f.varTrend,
      });
    });
  }
  return out.map((list) => list.sort((a, b) => a.setId - b.setId || compareText(a.metric, b.metric) || compareText(a.cohortKey, b.cohortKey)));
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
 * Rolling-origin placebo of the baseline period and the build's own fit, from one multi-cut fit: every cohort is
 * fitted on [from, o) for each origin o of `placeboOrigins` exactly as the build fits it on [from, to), and each
 * stored cohort's residual pooled over [o, o + 5 d); per set × metric, `placeboFactor` of all of them (of all
 * the metric's residuals, every stored set, when the set has fewer than `MIN_PLACEBO_RESIDUALS`). `factors` is
 * empty when the period is too short for one origin; `fit` is the fit on the whole period.
 */
export async function placeboFactors(
  connection: DuckDBConnection,
  plan: Pick<Plan, 'metrics'>,
  sets: readonly CohortSet[],
  period: Period,
  effects: ReadonlyMap<string, number>,
): Promise<{ factors: Map<string, number>; fit: CohortFits }> {
  const stored = new Set(sets.filter((s) => s.stored).map((s) => s.id));
  const origins = placeboOrigins(period).map((o) => new Date(o));
  const pooled = new Map<string, PooledResidual[]>();
  const fitted = await fitCohortsAt(connection, plan, sets, [...origins, period.to]);
  // Every origin's stage in one pass over the held-out rows.
  const cuts = origins.map((from, k) => ({ fitted: fitted.fits[k]!, window: { from, to: new Date(from.getTime() + STAGE_DAYS * DAY_MS) } }));
  for (const residuals of await holdoutResiduals(connection, fitted.streamed, cuts, stored, effects)) {
    for (const r of residuals) {
      const key = `${r.setId}|${r.metric}`;
      const list = pooled.get(key) ?? [];
      list.push(r); // in place: copying the list per residual is quadratic (~10⁵ residuals per set at 10k cohorts × 4 origins)
      pooled.set(key, list);
    }
  }
  const fit = fitted.fits.at(-1);
  if (!fit) throw new Error('placeboFactors: the fit on the whole period is missing');
  const byMetric = groupBy([...pooled.values()].flat(), (r) => r.metric);
  const usable = (rs: readonly PooledResidual[]) => rs.filter((r) => r.hourly + r.projection > 0);
  const factors = new Map<string, number>();
  for (const [key, residuals] of pooled) {
    const own = usable(residuals);
    const all = usable(byMetric.get(residuals[0]?.metric ?? '') ?? []);
    const chosen = own.length >= MIN_PLACEBO_RESIDUALS ? own : all;
    if (chosen.length > 0) factors.set(key, placeboFactor(chosen));
  }
  return { factors, fit };
}
