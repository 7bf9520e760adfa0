import type { DuckDBConnection } from '@duckdb/node-api';
import type { Plan, PlanMetric } from '../plan/plan.js';
import { betaBinomialShrinkage } from '../stats/beta-binomial-shrinkage.js';
import { fitBetaMoments } from '../stats/fit-beta-moments.js';
import { all, run } from '../store/query.js';
import { sql } from '../store/sql.js';
import type { CohortSet } from './cohort-sets.js';
import {
  applyDispersion,
  clusterTable,
  dispersionTable,
  fitTable,
  fittedParams,
  flagIncidents,
  irlsStep,
  largestChange,
  paramsTable,
  refreshOffsets,
  resetFits,
  CONVERGED,
  SMALL_COHORT_NPQ,
  rawProfiles,
  residualsTable,
  seriesTotals,
  shapeMeans,
  uploadShapes,
} from './fit.js';
import { shrinkTrends } from './shrink-trends.js';
import { errorCodes, seriesTable } from './series.js';
import { HOURS_PER_WEEK, chooseShape, parentKey, smoothShape } from './shapes.js';

/** Below this many expected events and non-events (Σ n μ q) a rate cohort's level is shrunk to its parent (statistics.md 1.1). */
export const SHRINK_BELOW = SMALL_COHORT_NPQ;
const MAX_IRLS_STEPS = 30;

/** One fitted cohort × metric, on the model scale (before the latency quantile offset). */
export interface FittedCohort {
  setId: number;
  metric: string;
  family: 'rate' | 'latency';
  cohortKey: string;
  windows: number;
  /** Attempts (rates) or latency observations over the fit period. */
  n: number;
  /** Events (rates) or Σ n·ȳ (latency). */
  x: number;
  level: number;
  /** The trend projections use: the own fit shrunk towards the set's mean trend (`shrinkTrends`). */
  trendPerDay: number;
  tBar: Date;
  varLevel: number;
  /** Variance of `trendPerDay` (day-clustered, after shrinkage). */
  varTrend: number;
  covLevelTrend: number;
  /** The cohort's own fitted trend and its day-clustered variance, before shrinkage (audit). */
  trendRaw: number;
  varTrendRaw: number;
  /** The trend variance of the hourly-independent model (inverse information), before the day clustering (audit). */
  varTrendModel: number;
  /** Weight on the cohort's own trend in `trendPerDay` (1: not shrunk). */
  trendWeight: number;
  /** n-weighted mean of the cohort's shape offsets over its baseline windows (s̄_base, `shapeMeans`). */
  shapeMeanBaseline: number;
  tau2: number;
  phi: number;
  /** Windows left out of the fit as incidents. */
  flagged: number;
  shapeKey: string;
  shapeSource: 'own' | 'parent' | 'global';
  shrunk: boolean;
  shrinkWeight: number;
  /** The cohort whose level and τ² a small cohort borrows ('' = everyone of the same metric). */
  parentKey: string;
}

/** Every cohort's fit, and the shapes they use (`shapeKey|metric` → 168 offsets). */
export interface CohortFits {
  fits: FittedCohort[];
  shapes: Map<string, Float64Array>;
}

interface TotalsRow {
  set_id: number;
  metric: string;
  family: 'rate' | 'latency';
  cohort_key: string;
  n: number;
  x: number;
  big: boolean;
}

interface ParamsRow {
  set_id: number;
  metric: string;
  family: 'rate' | 'latency';
  cohort_key: string;
  windows: bigint;
  n: number;
  x: number;
  a: number;
  b: number;
  tau2: number;
  phi: number;
  flagged: bigint;
  fixed: boolean;
  t_bar: Date;
  var_level: number;
  var_trend: number;
  cov_level_trend: number;
  var_trend_model: number;
}

/**
 * Fits every cohort of `sets` × modelled metric on the hours of `bl_hourly` before `fitTo`
 * (shape, level, drift, τ², φ, incident windows, then empirical-Bayes shrinkage of small rate
 * cohorts), leaving the temp tables `bl_fit`, `bl_params`, `bl_offsets`, `bl_assign` behind for
 * callers that predict from them (the backtest). Only per-cohort sums and the profiles of big
 * cohorts come into JS.
 */
export async function fitCohorts(
  connection: DuckDBConnection,
  plan: Pick<Plan, 'metrics'>,
  sets: readonly CohortSet[],
  fitTo: Date,
): Promise<CohortFits> {
  const modelled = plan.metrics.filter((m) => m.family !== 'shadow');
  await run(connection, seriesTable(modelled, errorCodes(plan.metrics), fitTo));
  const totals = await all<TotalsRow>(connection, seriesTotals());
  let shapes = await estimateShapes(connection, modelled, 'bl_series');
  const bigByMetric = new Map<string, Map<string, number>>();
  for (const t of totals) {
    if (!t.big) continue;
    const map = bigByMetric.get(t.metric) ?? new Map<string, number>();
    map.set(t.cohort_key, t.n);
    bigByMetric.set(t.metric, map);
  }
  const assign = totals.map((t) => ({ s: t.set_id, m: t.metric, c: t.cohort_key, ...shapeOf(t, bigByMetric) }));
  const used = new Set(assign.map((a) => `${a.k}|${a.m}`));
  const upload = async (all: Map<string, Float64Array>) => {
    for (const key of [...all.keys()]) if (!used.has(key)) all.delete(key);
    for (const statement of uploadShapes(offsetsJson(all), JSON.stringify(assign))) await run(connection, statement);
  };
  await upload(shapes);
  await run(connection, fitTable());
  await run(connection, paramsTable());
  // Stage 1: sampling weights only, to a loose tolerance: enough to flag incidents.
  await iterate(connection, ROUGH);
  for (const statement of [residualsTable('all'), dispersionTable(), flagIncidents()]) await run(connection, statement);
  shapes = await estimateShapes(connection, modelled, 'bl_fit');
  await upload(shapes);
  await run(connection, refreshOffsets());
  await run(connection, resetFits());
  // τ² and φ from the unflagged windows, then stage 2 with weights 1/(1/W + τ²) to convergence.
  for (const statement of [residualsTable('unflagged'), dispersionTable(), applyDispersion()]) await run(connection, statement);
  await iterate(connection, CONVERGED);
  await run(connection, resetFits());
  await run(connection, clusterTable());
  const params = await all<ParamsRow>(connection, fittedParams());
  const means = new Map(
    (await all<{ set_id: number; metric: string; cohort_key: string; shape_mean: number }>(connection, shapeMeans())).map((m) => [
      `${m.set_id}|${m.metric}|${m.cohort_key}`,
      m.shape_mean,
    ]),
  );
  const sources = new Map(assign.map((a) => [`${a.s}|${a.m}|${a.c}`, a]));
  const fits = params.map((p) => {
    const key = `${p.set_id}|${p.metric}|${p.cohort_key}`;
    return toFit(p, sources.get(key), bigByMetric, means.get(key) ?? 0);
  });
  return { fits: shrinkTrends(shrinkSmallCohorts(fits)), shapes };
}

function offsetsJson(shapes: ReadonlyMap<string, Float64Array>): string {
  const rows = [...shapes].map(([key, o]) => ({ k: key.slice(0, key.lastIndexOf('|')), m: key.slice(key.lastIndexOf('|') + 1), o: [...o] }));
  return JSON.stringify(rows);
}

function shapeOf(t: TotalsRow, big: ReadonlyMap<string, ReadonlyMap<string, number>>): { k: string; src: string } {
  const choice = chooseShape(t.cohort_key, big.get(t.metric) ?? new Map());
  return { k: choice.shapeKey, src: choice.shapeSource };
}

/**
 * Own shapes of the big cohorts, plus a flat global shape for a metric whose everyone-cohort is not big.
 * The raw profiles come one row per cohort (168 values as lists), not one per hour-of-week: at 10k
 * cohorts that is thousands of rows instead of a million row objects on the Node heap.
 */
async function estimateShapes(
  connection: DuckDBConnection,
  metrics: readonly PlanMetric[],
  source: 'bl_series' | 'bl_fit',
): Promise<Map<string, Float64Array>> {
  const shapes = new Map<string, Float64Array>();
  const profiles = sql`
    SELECT metric, cohort_key, list(how ORDER BY how) AS hows, list(value ORDER BY how) AS "values"
    FROM (${rawProfiles(source)}) GROUP BY set_id, metric, cohort_key
    ORDER BY set_id, metric, cohort_key`;
  for (const row of await all<{ metric: string; cohort_key: string; hows: number[]; values: number[] }>(connection, profiles)) {
    const values = new Float64Array(HOURS_PER_WEEK).fill(Number.NaN);
    row.hows.forEach((how, i) => (values[how] = row.values[i] ?? Number.NaN));
    shapes.set(`${row.cohort_key}|${row.metric}`, smoothShape(values));
  }
  for (const metric of metrics) {
    if (!shapes.has(`|${metric.name}`)) shapes.set(`|${metric.name}`, new Float64Array(HOURS_PER_WEEK));
  }
  return shapes;
}

/** Stage 1 stops when every change is below this (its fit only serves to flag incidents). */
const ROUGH = 1e-4;

/** Runs IRLS steps on the cohorts not yet converged until every change is below `tolerance` (latency, being linear, converges in two). */
async function iterate(connection: DuckDBConnection, tolerance: number): Promise<void> {
  for (let step = 0; step < MAX_IRLS_STEPS; step++) {
    await run(connection, irlsStep());
    const [row] = await all<{ change: number }>(connection, largestChange());
    if (!row || !(row.change > tolerance)) break;
  }
}

function toFit(
  p: ParamsRow,
  source: { k: string; src: string } | undefined,
  big: ReadonlyMap<string, ReadonlyMap<string, number>>,
  shapeMeanBaseline: number,
): FittedCohort {
  return {
    setId: p.set_id,
    metric: p.metric,
    family: p.family,
    cohortKey: p.cohort_key,
    windows: Number(p.windows),
    n: p.n,
    x: p.x,
    level: p.a,
    trendPerDay: p.b,
    tBar: p.t_bar,
    varLevel: p.var_level,
    varTrend: p.var_trend,
    covLevelTrend: p.cov_level_trend,
    trendRaw: p.b,
    varTrendRaw: p.var_trend,
    varTrendModel: p.var_trend_model,
    trendWeight: 1,
    shapeMeanBaseline,
    tau2: p.tau2,
    phi: p.phi,
    flagged: Number(p.flagged),
    shapeKey: source?.k ?? '',
    shapeSource: (source?.src ?? 'global') as FittedCohort['shapeSource'],
    shrunk: false,
    shrinkWeight: 1,
    parentKey: parentKey(p.cohort_key, big.get(p.metric) ?? new Map()),
  };
}

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Empirical-Bayes beta-binomial shrinkage (statistics.md 5.3) of rate cohorts with
 * Σ n p q < 50: prior spread ρ fitted by moments across the cohorts of the same set and metric,
 * prior mean the parent's rate; the level becomes logit(posterior mean), the drift 0 (a small
 * cohort cannot estimate one), Var(level) the posterior variance on the logit scale (at least the
 * parent's), τ² the parent's.
 */
export function shrinkSmallCohorts(fits: readonly FittedCohort[]): FittedCohort[] {
  const byKey = new Map(fits.map((f) => [`${f.metric}|${f.cohortKey}`, f]));
  const rho = new Map<string, number>();
  const groups = new Map<string, { x: number; n: number }[]>();
  for (const f of fits) {
    if (f.family !== 'rate' || f.cohortKey === '') continue;
    const group = groups.get(`${f.setId}|${f.metric}`) ?? [];
    group.push({ x: Math.round(f.x), n: Math.round(f.n) });
    groups.set(`${f.setId}|${f.metric}`, group);
  }
  for (const [key, rows] of groups) {
    try {
      rho.set(key, fitBetaMoments(rows).rho);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // too few or degenerate siblings: no shrinkage
    }
  }
  return fits.map((f) => {
    const p = f.n > 0 ? f.x / f.n : 0;
    const siblings = rho.get(`${f.setId}|${f.metric}`);
    const parent = byKey.get(`${f.metric}|${f.parentKey}`);
    if (f.family !== 'rate' || f.cohortKey === '' || siblings === undefined || !parent || f.n * p * (1 - p) >= SHRINK_BELOW) return f;
    const prior = parent.x / parent.n;
    if (!(prior > 0 && prior < 1)) return f;
    const posterior = betaBinomialShrinkage(Math.round(f.x), Math.round(f.n), { mean: prior, rho: siblings });
    const total = siblings === 0 ? Infinity : (1 - siblings) / siblings;
    const m = posterior.mean;
    const varLevel = Math.max(1 / ((total + f.n + 1) * m * (1 - m)), parent.varLevel);
    return {
      ...f,
      level: logit(m),
      trendPerDay: 0,
      varLevel,
      varTrend: 0,
      trendRaw: 0,
      varTrendRaw: 0,
      trendWeight: 0,
      covLevelTrend: 0,
      tau2: parent.tau2,
      shrunk: true,
      shrinkWeight: posterior.weight,
    };
  });
}

