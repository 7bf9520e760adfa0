import type { DuckDBConnection } from '@duckdb/node-api';
import type { Plan, PlanMetric } from '../plan/plan.js';
import { betaBinomialShrinkage } from '../stats/beta-binomial-shrinkage.js';
import { fitBetaMoments } from '../stats/fit-beta-moments.js';
import { all, run } from '../store/query.js';
import { sql, type Sql } from '../store/sql.js';
import { fitSeries, incidentWindows, rawProfile, type CohortSeries, type SeriesFit } from './fit-series.js';
import type { CohortSet } from './cohort-sets.js';
import { SMALL_COHORT_NPQ, rawProfiles, seriesTotals, shapeMeans, uploadShapes } from './fit.js';
import { shrinkTrends } from './shrink-trends.js';
import { errorCodes, seriesTable } from './series.js';
import { HOURS_PER_WEEK, chooseShape, parentKey, smoothShape } from './shapes.js';

/** Below this many expected events and non-events (Σ n μ q) a rate cohort's level is shrunk to its parent (statistics.md 1.1). */
export const SHRINK_BELOW = SMALL_COHORT_NPQ;

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
  windows: number;
  /** n-weighted mean time of the windows, days since the epoch. */
  t_bar: number;
}

/**
 * Fits every cohort of `sets` × modelled metric on the hours of `bl_hourly` before `fitTo`
 * (shape, level, drift, τ², φ, incident windows, then empirical-Bayes shrinkage of small rate
 * cohorts). DuckDB builds the series, the totals and the first shapes; each cohort's windows then
 * stream into `fitSeries` in time order, one cohort at a time (the big cohorts once more before,
 * to re-estimate their shapes without their incidents). Leaves `bl_series`, `bl_offsets` (the final
 * shapes) and `bl_assign` behind for callers that predict from them (the placebo, the backtest).
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
  const initial = await estimateShapes(connection, modelled);
  const bigByMetric = new Map<string, Map<string, number>>();
  for (const t of totals) {
    if (!t.big) continue;
    const map = bigByMetric.get(t.metric) ?? new Map<string, number>();
    map.set(t.cohort_key, t.n);
    bigByMetric.set(t.metric, map);
  }
  const assign = totals.map((t) => ({ s: t.set_id, m: t.metric, c: t.cohort_key, ...shapeOf(t, bigByMetric) }));
  const worthy = totals.map((t) => t.family === 'latency' || (t.x * (t.n - t.x)) / t.n >= SMALL_COHORT_NPQ);
  // Stream order: the big cohorts first (so the shape pass reads a prefix), then the other worthy ones.
  const order = totals.map((_, i) => i).filter((i) => worthy[i]);
  order.sort((i, j) => Number(!totals[i]!.big) - Number(!totals[j]!.big) || i - j);
  const bigCount = order.filter((i) => totals[i]!.big).length;
  await run(connection, sortedSeriesTable(JSON.stringify(order.map((i, cid) => ({ cid, s: totals[i]!.set_id, m: totals[i]!.metric, c: totals[i]!.cohort_key })))));

  // The big cohorts' shapes again, without the windows their own first fit flags as incidents.
  const refined = new Map(initial);
  const shapeOfKey = (shapes: ReadonlyMap<string, Float64Array>, i: number) =>
    shapes.get(`${assign[i]!.k}|${assign[i]!.m}`) ?? new Float64Array(HOURS_PER_WEEK);
  for await (const { cid, series } of cohortSeries(connection, totals, order, bigCount)) {
    const i = order[cid]!;
    const profile = rawProfile(series, incidentWindows(series, shapeOfKey(initial, i)));
    if (profile.some(Number.isFinite)) refined.set(`${totals[i]!.cohort_key}|${totals[i]!.metric}`, smoothShape(profile));
  }
  const fitted = new Map<number, SeriesFit>();
  for await (const { cid, series } of cohortSeries(connection, totals, order, order.length)) {
    const i = order[cid]!;
    fitted.set(i, fitSeries(series, shapeOfKey(initial, i), shapeOfKey(refined, i)));
  }
  const used = new Set(assign.map((a) => `${a.k}|${a.m}`));
  for (const key of [...refined.keys()]) if (!used.has(key)) refined.delete(key);
  for (const statement of uploadShapes(offsetsJson(refined), JSON.stringify(assign))) await run(connection, statement);
  const means = new Map(
    (await all<{ set_id: number; metric: string; cohort_key: string; shape_mean: number }>(connection, shapeMeans())).map((m) => [
      `${m.set_id}|${m.metric}|${m.cohort_key}`,
      m.shape_mean,
    ]),
  );
  const fits = totals.map((t, i) => {
    const fit = fitted.get(i) ?? smallCohortFit(t);
    return toSeriesFit(t, fit, assign[i], bigByMetric, means.get(`${t.set_id}|${t.metric}|${t.cohort_key}`) ?? 0);
  });
  return { fits: shrinkTrends(shrinkSmallCohorts(fits)), shapes: refined };
}

/**
 * A rate cohort too small for a fit (Σx·Σ(n − x)/Σn below `SMALL_COHORT_NPQ`): its pooled level, no drift,
 * the binomial variance of that level; `shrinkSmallCohorts` then pulls it towards its parent.
 */
function smallCohortFit(t: TotalsRow): SeriesFit {
  return {
    windows: t.windows, n: t.n, x: t.x, tBar: t.t_bar,
    level: Math.log((t.x + 0.5) / (t.n - t.x + 0.5)), trend: 0, tau2: 0, phi: 1, fixed: true, flagged: 0,
    varLevel: (t.n + 1) ** 2 / ((t.x + 0.5) * (t.n - t.x + 0.5) * t.n), varTrend: 0, covLevelTrend: 0, varTrendModel: 0,
  };
}

/**
 * `bl_sorted`: the windows of the cohorts to fit (`cohorts`: their stream index `cid` and key), in stream
 * order (cid, then time), narrow, so that every pass over it is a scan in insertion order.
 */
function sortedSeriesTable(cohortsJson: string): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_sorted AS
    WITH k AS (
      SELECT unnest(from_json(${cohortsJson}::JSON, '[{"cid":"INTEGER","s":"INTEGER","m":"VARCHAR","c":"VARCHAR"}]'), recursive := true)
    )
    SELECT k.cid, s.t, s.how::INTEGER AS how, s.n, s.x, coalesce(s.s2, 0) AS s2
    FROM bl_series s JOIN k ON k.s = s.set_id AND k.m = s.metric AND k.c = s.cohort_key
    ORDER BY k.cid, s.t`;
}

/**
 * The series of the cohorts with stream index below `upTo`, one cohort at a time, from `bl_sorted` in insertion
 * order. The arrays are views into buffers the next cohort reuses: a consumer must be done with one before the next.
 */
async function* cohortSeries(
  connection: DuckDBConnection,
  totals: readonly TotalsRow[],
  order: readonly number[],
  upTo: number,
): AsyncGenerator<{ cid: number; series: CohortSeries }> {
  let capacity = 4096;
  let t = new Float64Array(capacity), how = new Int32Array(capacity), n = new Float64Array(capacity);
  let x = new Float64Array(capacity), s2 = new Float64Array(capacity);
  let current = -1;
  let length = 0;
  const series = (): CohortSeries => ({
    family: totals[order[current]!]!.family, length,
    t: t.subarray(0, length), how: how.subarray(0, length), n: n.subarray(0, length), x: x.subarray(0, length), s2: s2.subarray(0, length),
  });
  const query = sql`SELECT cid, t, how, n, x, s2 FROM bl_sorted WHERE cid < ${upTo}`;
  const result = await connection.stream(query.text, [...query.values]);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const [vc, vt, vh, vn, vx, vs] = [0, 1, 2, 3, 4, 5].map((c) => chunk.getColumnVector(c));
    const rows = chunk.rowCount;
    for (let r = 0; r < rows; r++) {
      const cid = vc!.getItem(r) as number;
      const at = vt!.getItem(r) as number;
      // The fit's sums are deterministic only in this order; a scan that broke it would change the last bits.
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

function toSeriesFit(
  t: TotalsRow,
  f: SeriesFit,
  source: { k: string; src: string } | undefined,
  big: ReadonlyMap<string, ReadonlyMap<string, number>>,
  shapeMeanBaseline: number,
): FittedCohort {
  return {
    setId: t.set_id,
    metric: t.metric,
    family: t.family,
    cohortKey: t.cohort_key,
    windows: f.windows,
    n: f.n,
    x: f.x,
    level: f.level,
    trendPerDay: f.trend,
    tBar: new Date(f.tBar * 86_400_000),
    varLevel: f.varLevel,
    varTrend: f.varTrend,
    covLevelTrend: f.covLevelTrend,
    trendRaw: f.trend,
    varTrendRaw: f.varTrend,
    varTrendModel: f.varTrendModel,
    trendWeight: 1,
    shapeMeanBaseline,
    tau2: f.tau2,
    phi: f.phi,
    flagged: f.flagged,
    shapeKey: source?.k ?? '',
    shapeSource: (source?.src ?? 'global') as FittedCohort['shapeSource'],
    shrunk: false,
    shrinkWeight: 1,
    parentKey: parentKey(t.cohort_key, big.get(t.metric) ?? new Map()),
  };
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
 * First shapes of the big cohorts (all their windows), plus a flat global shape for a metric whose everyone-cohort is not big.
 * The raw profiles come one row per cohort (168 values as lists), not one per hour-of-week: at 10k
 * cohorts that is thousands of rows instead of a million row objects on the Node heap.
 */
async function estimateShapes(connection: DuckDBConnection, metrics: readonly PlanMetric[]): Promise<Map<string, Float64Array>> {
  const shapes = new Map<string, Float64Array>();
  const profiles = sql`
    SELECT metric, cohort_key, list(how ORDER BY how) AS hows, list(value ORDER BY how) AS "values"
    FROM (${rawProfiles()}) GROUP BY set_id, metric, cohort_key
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

