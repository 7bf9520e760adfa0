import type { DuckDBConnection } from '@duckdb/node-api';
import type { Plan, PlanMetric } from '../plan/plan.js';
import { betaBinomialShrinkage } from '../stats/beta-binomial-shrinkage.js';
import { fitBetaMoments } from '../stats/fit-beta-moments.js';
import { all, run } from '../store/query.js';
import { sql } from '../store/sql.js';
import type { CohortSeries, SeriesFit } from './fit-series.js';
import { FLAT, fitCuts, type CutJob, type CutResult } from './fit-cuts.js';
import { FitPool, fitWorkers } from './fit-pool.js';
import type { CohortSet } from './cohort-sets.js';
import { cohortSeries, compareText, seriesCohorts, sortedSeriesTable, windowsBefore, type StreamedCohort } from './cohort-series.js';
import { OWN_SHAPE_LATENCY_N, OWN_SHAPE_RATE_EVENTS, SMALL_COHORT_NPQ } from './fit.js';
import { shrinkTrends } from './shrink-trends.js';
import { errorCodes, metricRead, seriesParts } from './series.js';
import { HOURS_PER_WEEK, chooseShape, parentKey, type ShapeChoice } from './shapes.js';

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

/** One cohort × metric of the series, with its totals before each cut (lists in cut order, filled as it streams). */
interface CohortRow {
  set_id: number;
  metric: string;
  family: 'rate' | 'latency';
  cohort_key: string;
  windows: number[];
  n: number[];
  x: number[];
  /** n-weighted mean time of the windows before the cut, days since the epoch. */
  t_bar: number[];
}

/** Options of `fitCohortsAt`. */
export interface FitOptions {
  /** The series runs to here (default: the last cut), e.g. to stream a hold-out window after a cut. */
  seriesTo?: Date;
}

/** Every cohort's fit at each cut, and the stream that fed them (`bl_sorted`, for a holdout pass). */
export interface FittedCuts {
  /** Per cut (same order): the fits of the cohorts with windows before it, and their shapes. */
  fits: CohortFits[];
  /** `bl_sorted`'s cohorts by stream index. */
  streamed: StreamedCohort[];
}

const DAY_MS = 86_400_000;

/** Own shape before cut k: min(Σx, Σ(n − x)) ≥ 20 per hour of week (rates), Σn ≥ 100 per hour of week (latency). */
const bigAt = (r: CohortRow, k: number): boolean =>
  r.windows[k]! > 0 &&
  (r.family === 'rate' ? Math.min(r.x[k]!, r.n[k]! - r.x[k]!) >= OWN_SHAPE_RATE_EVENTS * HOURS_PER_WEEK : r.n[k]! >= OWN_SHAPE_LATENCY_N * HOURS_PER_WEEK);
/** Worth an IRLS fit: every latency cohort; rate cohorts with Σx·Σ(n − x)/Σn ≥ `SMALL_COHORT_NPQ`. */
const isWorthy = (family: 'rate' | 'latency', n: number, x: number): boolean => family === 'latency' || (x * (n - x)) / n >= SMALL_COHORT_NPQ;

/**
 * Fits every cohort of `sets` × modelled metric on its hours of `bl_hourly` before each of `cuts` (shape, level,
 * drift, τ², φ, incident windows, then empirical-Bayes shrinkage of small rate cohorts), with one pass over the
 * data for all cuts. DuckDB lists the cohorts and writes their windows sorted (`bl_sorted`, up to `seriesTo`,
 * default the last cut); the cohorts then stream once, everyone first, then the single-dimension sets, then the
 * combinations, so that a cohort that borrows a shape (from its single-dimension parent or from everyone) finds it
 * done. Per cohort and cut: its totals, and when it is big its own shapes (first profile, incidents, the profile
 * again without them), then the fit on the windows before the cut (`fitCuts`, on worker threads when the fit is
 * big). JS holds a few cohorts' hours at a time.
 */
export async function fitCohortsAt(
  connection: DuckDBConnection,
  plan: Pick<Plan, 'metrics'>,
  sets: readonly CohortSet[],
  cuts: readonly Date[],
  options: FitOptions = {},
): Promise<FittedCuts> {
  const modelled = plan.metrics.filter((m) => m.family !== 'shadow');
  const seriesTo = options.seriesTo ?? new Date(Math.max(...cuts.map((c) => c.getTime())));
  if (cuts.some((c) => c > seriesTo)) throw new RangeError('fitCohortsAt: a cut after the series ends');
  const days = cuts.map((c) => c.getTime() / DAY_MS);
  const codes = errorCodes(plan.metrics);
  const parts = seriesParts(modelled, codes, seriesTo);
  const listed = await all<Pick<CohortRow, 'set_id' | 'metric' | 'family' | 'cohort_key'>>(connection, seriesCohorts(parts));
  const rows: CohortRow[] = listed.map((r) => ({ ...r, windows: days.map(() => 0), n: days.map(() => 0), x: days.map(() => 0), t_bar: days.map(() => Number.NaN) }));
  // Everyone first, then single dimensions, then combinations: a cohort's shape donors stream before it. A cohort's
  // metrics stream together (they are read from the same rows of `bl_sorted`), in plan order.
  const level = (i: number) => sets[rows[i]!.set_id]?.dimensions.length ?? 0;
  const metricIndex = new Map(modelled.map((m, j) => [m.name, j]));
  const reads = new Map(modelled.flatMap((m) => {
    const read = metricRead(m, codes);
    return read ? [[m.name, read] as const] : [];
  }));
  const order = rows.map((_, i) => i).sort((i, j) => {
    const [a, b] = [rows[i]!, rows[j]!];
    return level(i) - level(j) || a.set_id - b.set_id || compareText(a.cohort_key, b.cohort_key) || metricIndex.get(a.metric)! - metricIndex.get(b.metric)!;
  });
  const streamed: StreamedCohort[] = order.map((i) => {
    const r = rows[i]!;
    return { setId: r.set_id, metric: r.metric, cohortKey: r.cohort_key, family: r.family, read: reads.get(r.metric)! };
  });
  await run(connection, sortedSeriesTable(streamed, codes.length, seriesTo));
  const [size] = await all<{ hours: number }>(connection, sql`SELECT count(*)::DOUBLE AS hours FROM bl_sorted`);

  // Per cut: the big cohorts (metric → key → attempts), and the shapes by `key|metric` (first, and without incidents).
  const perCut = days.map(() => ({ bigByMetric: new Map<string, Map<string, number>>(), initial: new Map<string, Float64Array>(), refined: new Map<string, Float64Array>() }));
  const borrowed = (shapes: ReadonlyMap<string, Float64Array>, key: string, metric: string) => shapes.get(`${key}|${metric}`) ?? FLAT;
  const fitted = days.map(() => new SeriesFits(rows.length));
  // Every cohort's cuts on worker threads when the fit is big: the fits are independent and the same bits anywhere.
  const pool = new FitPool(fitWorkers((size?.hours ?? 0) * modelled.length * days.length));
  let streamingLevel = 0;
  try {
    for await (const { cid, series } of cohortSeries(connection, streamed)) {
      const i = order[cid]!;
      const r = rows[i]!;
      // A level's shapes are all back before the next level borrows them.
      if (level(i) !== streamingLevel) {
        await pool.drain();
        streamingLevel = level(i);
      }
      const jobs: CutJob[] = [];
      const lengths = days.map((day) => windowsBefore(series, day));
      totalsBefore(series, lengths, r);
      days.forEach((_, k) => {
        const length = lengths[k]!;
        if (length === 0) return;
        const cut = perCut[k]!;
        const own = bigAt(r, k);
        if (own) {
          const big = cut.bigByMetric.get(r.metric) ?? new Map<string, number>();
          big.set(r.cohort_key, r.n[k]!);
          cut.bigByMetric.set(r.metric, big);
          jobs.push({ k, length, own, fit: isWorthy(r.family, r.n[k]!, r.x[k]!) });
        } else {
          const { shapeKey } = chooseShape(r.cohort_key, cut.bigByMetric.get(r.metric) ?? new Map());
          const initial = borrowed(cut.initial, shapeKey, r.metric);
          const refined = borrowed(cut.refined, shapeKey, r.metric);
          jobs.push({ k, length, own, initial, refined, fit: isWorthy(r.family, r.n[k]!, r.x[k]!) });
        }
      });
      if (jobs.length === 0) continue;
      const keep = (results: CutResult[]) => {
        for (const { k, fit, shapeMean, first, refined } of results) {
          if (first) {
            perCut[k]!.initial.set(`${r.cohort_key}|${r.metric}`, first);
            perCut[k]!.refined.set(`${r.cohort_key}|${r.metric}`, refined ?? first);
          }
          fitted[k]!.set(i, fit ?? smallCohortFit(r, k), shapeMean);
        }
      };
      // A small cohort with borrowed shapes only needs its shape mean: not worth a copy to a worker.
      if (jobs.every((j) => !j.fit && !j.own)) keep(fitCuts(series, jobs));
      else await pool.fit(series, jobs, keep);
    }
    await pool.drain();
  } finally {
    await pool.close();
  }
  // Cohort objects only now, from the flat per-cut fits.
  const fits: CohortFits[] = [];
  for (const [k] of days.entries()) {
    const { bigByMetric, refined } = perCut[k]!;
    const cohorts = rows.flatMap((r, i) => {
      const f = fitted[k]!.get(i);
      return f ? [toFittedCohort(r, f.fit, chooseShape(r.cohort_key, bigByMetric.get(r.metric) ?? new Map()), bigByMetric, f.shapeMean)] : [];
    });
    const shapes = new Map<string, Float64Array>();
    for (const f of cohorts) {
      const key = `${f.shapeKey}|${f.metric}`;
      if (!shapes.has(key)) shapes.set(key, refined.get(key) ?? FLAT);
    }
    const cut = { fits: shrinkTrends(shrinkSmallCohorts(cohorts)), shapes };
    fits.push(cut);
  }
  return { fits, streamed };
}


/**
 * Fills `r`'s totals before each cut from the first `lengths[k]` windows of its series: windows, Σn, Σx (rates),
 * Σn·t/Σn. One pass: the sums before a later cut go on from those before an earlier one.
 */
function totalsBefore(series: CohortSeries, lengths: readonly number[], r: CohortRow): void {
  const byLength = lengths.map((_, k) => k).sort((a, b) => lengths[a]! - lengths[b]!);
  let n = 0, x = 0, nt = 0, w = 0;
  for (const k of byLength) {
    const length = lengths[k]!;
    for (; w < length; w++) {
      n += series.n[w]!;
      x += series.x[w]!;
      nt += series.n[w]! * series.t[w]!;
    }
    if (length === 0) continue;
    r.windows[k] = length;
    r.n[k] = n;
    r.x[k] = r.family === 'rate' ? x : 0;
    r.t_bar[k] = nt / n;
  }
}

const FIT_FIELDS = ['windows', 'n', 'x', 'tBar', 'level', 'trend', 'tau2', 'phi', 'flagged', 'varLevel', 'varTrend', 'covLevelTrend', 'varTrendModel'] as const;

/** One cut's `SeriesFit`s and shape means by cohort row, in flat typed arrays (an object per cohort × cut would not fit the heap at 10k cohorts). */
class SeriesFits {
  private readonly values: Float64Array;
  private readonly state: Uint8Array; // 0 none, 1 fitted, 2 fitted and fixed
  constructor(rows: number) {
    this.values = new Float64Array(rows * (FIT_FIELDS.length + 1));
    this.state = new Uint8Array(rows);
  }
  set(row: number, fit: SeriesFit, shapeMean: number): void {
    const base = row * (FIT_FIELDS.length + 1);
    FIT_FIELDS.forEach((field, j) => (this.values[base + j] = fit[field]));
    this.values[base + FIT_FIELDS.length] = shapeMean;
    this.state[row] = fit.fixed ? 2 : 1;
  }
  get(row: number): { fit: SeriesFit; shapeMean: number } | undefined {
    if (this.state[row] === 0) return undefined;
    const base = row * (FIT_FIELDS.length + 1);
    const fit = Object.fromEntries(FIT_FIELDS.map((field, j) => [field, this.values[base + j]!])) as Omit<SeriesFit, 'fixed'>;
    return { fit: { ...fit, fixed: this.state[row] === 2 }, shapeMean: this.values[base + FIT_FIELDS.length]! };
  }
}

/**
 * A rate cohort too small for a fit (Σx·Σ(n − x)/Σn below `SMALL_COHORT_NPQ`) at cut `k`: its pooled level, no
 * drift, the binomial variance of that level; `shrinkSmallCohorts` then pulls it towards its parent.
 */
function smallCohortFit(r: CohortRow, k: number): SeriesFit {
  const [n, x] = [r.n[k]!, r.x[k]!];
  return {
    windows: r.windows[k]!, n, x, tBar: r.t_bar[k]!,
    level: Math.log((x + 0.5) / (n - x + 0.5)), trend: 0, tau2: 0, phi: 1, fixed: true, flagged: 0,
    varLevel: (n + 1) ** 2 / ((x + 0.5) * (n - x + 0.5) * n), varTrend: 0, covLevelTrend: 0, varTrendModel: 0,
  };
}

function toFittedCohort(
  r: CohortRow,
  f: SeriesFit,
  shape: ShapeChoice,
  big: ReadonlyMap<string, ReadonlyMap<string, number>>,
  shapeMeanBaseline: number,
): FittedCohort {
  return {
    setId: r.set_id,
    metric: r.metric,
    family: r.family,
    cohortKey: r.cohort_key,
    windows: f.windows,
    n: f.n,
    x: f.x,
    level: f.level,
    trendPerDay: f.trend,
    tBar: new Date(f.tBar * DAY_MS),
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
    shapeKey: shape.shapeKey,
    shapeSource: shape.shapeSource,
    shrunk: false,
    shrinkWeight: 1,
    parentKey: parentKey(r.cohort_key, big.get(r.metric) ?? new Map()),
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

