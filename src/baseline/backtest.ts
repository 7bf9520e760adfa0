import type { DuckDBConnection } from '@duckdb/node-api';
import type { Plan } from '../plan/plan.js';
import { all, run } from '../store/query.js';
import { raw, sql, type Sql } from '../store/sql.js';
import { cohortSets } from './cohort-sets.js';
import { fitCohortsAt, type FittedCohort } from './fit-cohorts.js';
import { uploadOffsets } from './fit.js';
import { errorCodes, holdoutTable, hourlyTable, incidentHoursTable, totalsTable } from './series.js';
import { cohortTotals, designEffect, type TotalsRow } from './build-baseline.js';
import { STAGE_DAYS, holdoutResiduals } from './placebo.js';
import { groupBy } from '../group-by.js';

/** Windows with at least this many attempts are also reported apart: there the window-to-window variance τ² shows. */
export const LARGE_WINDOW = 200;

/** Days held out at the end of the baseline period. */
export const HOLDOUT_DAYS = 14;

/** Coverage of hourly 95% prediction intervals for one rate metric over the held-out weeks. */
export interface BacktestRow {
  metric: string;
  /** The windows counted: all held-out hours with attempts (0), or those with at least `LARGE_WINDOW` attempts. */
  minAttempts: number;
  /** Held-out cohort-hours with attempts (every stored cohort, everyone included). */
  windows: number;
  /** Share inside the baseline model's interval: level + drift + shape, τ² and the fit's covariance. */
  coverage: number;
  /** Share inside the naive interval: the flat mean of the fit period with binomial variance only. */
  naiveCoverage: number;
  /** Median half-width of the model's interval relative to the naive one's. */
  widthRatio: number;
}

/** Coverage of stage-length (5-day pooled) 95% intervals for one rate metric: the error a stage sees, which hourly noise hides. */
export interface StageBacktestRow {
  metric: string;
  /** Stored cohorts with held-out data in the first 5 days after the fit. */
  cohorts: number;
  /** Share whose pooled residual is inside ±1.96 √(hourly + projection variance) (placebo factor 1). */
  coverage: number;
  /** Mean squared standardised pooled residual (1 when the variance is right). */
  meanSquare: number;
}

/** The backtest of a plan's rate metrics. */
export interface Backtest {
  fitFrom: Date;
  fitTo: Date;
  holdoutTo: Date;
  rows: BacktestRow[];
  stageRows: StageBacktestRow[];
}

/**
 * Holds out the last two weeks of the baseline period, fits every stored cohort on the rest and
 * predicts each held-out hour of each rate metric:
 *
 *     μ_w = expit(level + trend·(t_w − t̄) + s(h_w)),   v_w = (μq)² (τ² + d'Cov d) + DE μq / n_w,   d = (1, t_w − t̄)
 *
 * (delta method from the logit scale; DE the cohort's design effect from per-user sums, for the
 * failure-based rates: one user's retries fail together), covered when |x_w/n_w − μ_w| ≤ 1.96 √v_w. The naive model
 * is the fit period's pooled rate p̄ with v_w = p̄q̄/n_w.
 *
 * @throws {RangeError} if the baseline period is not longer than the hold-out.
 */
export async function backtest(connection: DuckDBConnection, plan: Plan): Promise<Backtest> {
  const fitFrom = plan.baseline.start;
  const holdoutTo = plan.baseline.end;
  const fitTo = new Date(holdoutTo.getTime() - HOLDOUT_DAYS * 86_400_000);
  if (fitTo <= fitFrom) {
    throw new RangeError(`backtest needs a baseline period longer than ${HOLDOUT_DAYS} days, got ${fitFrom.toISOString()} – ${holdoutTo.toISOString()}`);
  }
  const sets = cohortSets(plan);
  const rates = plan.metrics.filter((m) => m.family === 'rate');
  await run(connection, incidentHoursTable(plan.providers.legacy, { from: fitFrom, to: holdoutTo }));
  await run(connection, hourlyTable(sets, errorCodes(plan.metrics), plan.providers.legacy, { from: fitFrom, to: holdoutTo }));
  await run(connection, totalsTable(sets, plan.providers.legacy, { from: fitFrom, to: holdoutTo }));
  // The series runs on to the hold-out's end, so the stage window streams with the fit.
  const fitted = await fitCohortsAt(connection, { metrics: rates }, sets, [fitTo], { seriesTo: holdoutTo });
  const [cut] = fitted.fits;
  if (!cut) throw new Error('backtest: the fit is missing');
  const { fits, shapes } = cut;
  await run(connection, uploadOffsets(shapes));
  await run(connection, holdoutTable(rates, errorCodes(plan.metrics), holdoutTo, fitTo));
  const stored = new Set(sets.filter((s) => s.stored).map((s) => s.id));
  const effects = new Map((await all<TotalsRow>(connection, cohortTotals())).map((t) => [`${t.set_id}|${t.cohort_key}`, designEffect(t)]));
  const params = fits
    .filter((f) => stored.has(f.setId))
    .map((f) => predictionParams(f, f.metric === 'mfa_rate' ? 1 : (effects.get(`${f.setId}|${f.cohortKey}`) ?? 1)));
  const rows = await all<{ metric: string; min_attempts: number; windows: number; covered: number; naive: number; width_ratio: number }>(
    connection,
    coverage(JSON.stringify(params)),
  );
  const stageWindow = { from: fitTo, to: new Date(Math.min(holdoutTo.getTime(), fitTo.getTime() + STAGE_DAYS * 86_400_000)) };
  const [pooled = []] = await holdoutResiduals(connection, fitted.streamed, [{ fitted: cut, window: stageWindow }], stored, effects);
  return {
    fitFrom,
    fitTo,
    holdoutTo,
    stageRows: stageCoverage(pooled),
    rows: rows.map((r) => ({
      metric: r.metric,
      minAttempts: r.min_attempts,
      windows: r.windows,
      coverage: r.covered / r.windows,
      naiveCoverage: r.naive / r.windows,
      widthRatio: r.width_ratio,
    })),
  };
}

function stageCoverage(pooled: readonly { metric: string; residual: number; hourly: number; projection: number }[]): StageBacktestRow[] {
  const byMetric = groupBy(pooled.filter((r) => r.hourly + r.projection > 0), (r) => r.metric, (r) => r.residual / Math.sqrt(r.hourly + r.projection));
  return [...byMetric].sort(([a], [b]) => a.localeCompare(b)).map(([metric, z]) => ({
    metric,
    cohorts: z.length,
    coverage: z.filter((v) => Math.abs(v) <= 1.959963984540054).length / z.length,
    meanSquare: z.reduce((s, v) => s + v * v, 0) / z.length,
  }));
}

function predictionParams(f: FittedCohort, designEffect: number) {
  return {
    de: Math.max(designEffect, 1),
    s: f.setId,
    m: f.metric,
    c: f.cohortKey,
    level: f.level,
    trend: f.trendPerDay,
    tbar: f.tBar.getTime() / 86_400_000,
    vl: f.varLevel,
    vt: f.varTrend,
    cv: f.covLevelTrend,
    tau2: f.tau2,
    k: f.shapeKey,
    pbar: f.n > 0 ? f.x / f.n : 0,
  };
}

/** Per metric: held-out windows, those inside the model's and the naive 95% interval, and the median width ratio. */
export function coverage(paramsJson: string): Sql {
  return sql`
    WITH p AS (
      SELECT unnest(from_json(${paramsJson}::JSON, '[{"de":"DOUBLE","s":"INTEGER","m":"VARCHAR","c":"VARCHAR","level":"DOUBLE","trend":"DOUBLE","tbar":"DOUBLE","vl":"DOUBLE","vt":"DOUBLE","cv":"DOUBLE","tau2":"DOUBLE","k":"VARCHAR","pbar":"DOUBLE"}]'), recursive := true)
    ), w AS (
      SELECT h.metric, h.n, h.x / h.n AS rate, h.t - p.tbar AS d, p.*,
             1 / (1 + exp(-(p.level + p.trend * (h.t - p.tbar) + o.off))) AS mu
      FROM bl_holdout h
      JOIN p ON p.s = h.set_id AND p.m = h.metric AND p.c = h.cohort_key
      JOIN bl_offsets o ON o.shape_key = p.k AND o.metric = h.metric AND o.how = h.how
    ), v AS (
      SELECT metric, n, rate, mu, pbar, de,
             sqrt(de * mu * (1 - mu) / n + pow(mu * (1 - mu), 2) * (tau2 + vl + 2 * d * cv + d * d * vt)) AS sd,
             sqrt(pbar * (1 - pbar) / n) AS naive_sd
      FROM w
    )
    SELECT metric, CASE WHEN GROUPING(large) = 1 THEN 0 ELSE ${raw(String(LARGE_WINDOW))} END::DOUBLE AS min_attempts, count(*)::DOUBLE AS windows,
           count(*) FILTER (WHERE abs(rate - mu) <= 1.959963984540054 * sd)::DOUBLE AS covered,
           count(*) FILTER (WHERE abs(rate - pbar) <= 1.959963984540054 * naive_sd)::DOUBLE AS naive,
           median(sd / nullif(naive_sd, 0)) AS width_ratio
    FROM (SELECT *, n >= ${raw(String(LARGE_WINDOW))} AS large FROM v)
    GROUP BY GROUPING SETS ((metric), (metric, large))
    HAVING GROUPING(large) = 1 OR large
    ORDER BY metric, min_attempts`;
}
