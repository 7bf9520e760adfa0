import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson, type Plan, type PlanMetric } from '../plan/plan.js';
import { ratioVariance } from '../stats/ratio-variance.js';
import { all, run, transaction } from '../store/query.js';
import { join, raw, sql, type Sql } from '../store/sql.js';
import { instant, refreshAggregates, storeFingerprint } from './aggregate.js';
import { checkBaselineInputs, checkStoreHasEvents } from './check-inputs.js';
import { dimensionsText } from './cohort-key.js';
import { cohortSets, type CohortSet } from './cohort-sets.js';
import type { FittedCohort } from './fit-cohorts.js';
import { placeboFactors } from './placebo.js';
import { errorCodes, histogramQuantiles, histogramTable, hourlyTable, incidentHoursTable, tenantSpread, totalsTable, volumeProfiles } from './series.js';
import { HOURS_PER_WEEK } from './shapes.js';

/** Version of the baseline model; part of the snapshot id, so a model change never reuses an old snapshot. */
export const MODEL_VERSION = 'stagewise.baseline/3';

/** What `buildBaseline` needs besides the store and the plan. */
export interface BuildOptions {
  /** The toolkit version recorded in the snapshot (package.json). */
  toolkitVersion: string;
  /** The snapshot's created_at. */
  now: Date;
  /** Called as each phase of the build starts (`refresh`, `series`, `fit`, `summaries`, `write`), for profiling. */
  onPhase?: (phase: BuildPhase) => void;
  /** Snapshot rows per INSERT (default `WRITE_BATCH`; shape rows a quarter of it); tests set it small. */
  writeBatch?: number;
}

/** The phases of a build, in order (see `BuildOptions.onPhase`). */
export type BuildPhase = 'refresh' | 'series' | 'fit' | 'summaries' | 'write';

/** The outcome of a build. */
export interface BuildResult {
  snapshotId: string;
  /** true when a snapshot with this id (same plan, data and toolkit) was already stored: nothing was written. */
  reused: boolean;
  events: number;
  cohorts: number;
  rows: number;
}

/**
 * The snapshot id: `bl-` and 16 hex digits of the sha256 of the inputs (plan hash, baseline
 * period, store fingerprint, toolkit and model version). Content-derived: the same inputs give
 * the same id, so building again without new data or a new plan writes nothing.
 */
export function snapshotId(inputs: { planHash: string; from: Date; to: Date; fingerprint: string; toolkitVersion: string }): string {
  const text = canonicalJson({ ...inputs, from: inputs.from.toISOString(), to: inputs.to.toISOString(), model: MODEL_VERSION });
  return `bl-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * Builds (or finds) the immutable baseline snapshot of `plan` over its baseline period: refreshes
 * the aggregates of the period, checks the inputs, fits every cohort of every dimension set
 * (and everyone) × metric, and writes the snapshot in one transaction.
 *
 * @throws {UserError} for an empty store, an empty baseline period, a metric whose column is
 *   all NULL or a dimension without values; nothing is written then.
 */
export async function buildBaseline(connection: DuckDBConnection, plan: Plan, options: BuildOptions): Promise<BuildResult> {
  const phase = options.onPhase ?? (() => {});
  await checkStoreHasEvents(connection);
  const period = { from: plan.baseline.start, to: plan.baseline.end };
  phase('refresh');
  await refreshAggregates(connection, period);
  const coverage = await checkBaselineInputs(connection, plan);
  const [state] = await all<{ fingerprint: string }>(connection, storeFingerprint());
  const id = snapshotId({ planHash: plan.hash, ...{ from: period.from, to: period.to }, fingerprint: state?.fingerprint ?? '', toolkitVersion: options.toolkitVersion });
  const [existing] = await all<{ cohorts: number }>(connection, sql`SELECT cohorts::DOUBLE AS cohorts FROM baseline_snapshots WHERE snapshot_id = ${id}`);
  if (existing) return { snapshotId: id, reused: true, events: coverage.events, cohorts: existing.cohorts, rows: 0 };

  const sets = cohortSets(plan);
  phase('series');
  await run(connection, incidentHoursTable(plan.providers.legacy, period));
  await run(connection, hourlyTable(sets, errorCodes(plan.metrics), plan.providers.legacy, period));
  await run(connection, totalsTable(sets, plan.providers.legacy, period));
  await run(connection, histogramTable(sets, plan.providers.legacy, period));
  const totals = await all<TotalsRow>(connection, cohortTotals());
  const effects = new Map(totals.map((t) => [`${t.set_id}|${t.cohort_key}`, designEffect(t)]));
  phase('fit');
  // One multi-cut fit: the whole period, and every placebo origin for the stage-length factor.
  const { factors: placebo, fit: { fits, shapes } } = await placeboFactors(connection, plan, sets, period, effects);
  phase('summaries');
  const quantiles = await latencyQuantiles(connection, plan.metrics);
  const spread = await all<SpreadRow>(connection, tenantSpread(sets, plan.providers.legacy, period));
  const rows = snapshotRows(id, plan, sets, fits, totals, quantiles, spread, placebo);
  const cohorts = new Set(rows.map((r) => `${r.dimensions}|${r.cohort_key}`)).size;
  const usedShapes = new Set(rows.map((r) => `${r.shape_key}|${r.metric}`));
  const shapeRows = [...shapes].filter(([key]) => usedShapes.has(key)).map(([key, offsets]) => ({
    k: key.slice(0, key.lastIndexOf('|')),
    m: key.slice(key.lastIndexOf('|') + 1),
    o: [...offsets],
  }));
  for (const metric of plan.metrics) {
    if (metric.family === 'shadow') shapeRows.push({ k: '', m: metric.name, o: new Array<number>(HOURS_PER_WEEK).fill(0) });
  }
  const stored = sets.filter((s) => s.stored);
  phase('write');
  await transaction(connection, async () => {
    await run(
      connection,
      sql`INSERT INTO baseline_snapshots VALUES (${id}, ${instant(options.now)}, ${plan.name}, ${plan.hash},
            ${instant(coverage.dataFrom)}, ${instant(coverage.dataTo)}, ${options.toolkitVersion}, ${coverage.events}::BIGINT,
            ${cohorts}::BIGINT, ${canonicalJson(plan.file)}::JSON)`,
    );
    // In batches: one JSON document of every row would cost DuckDB's parser ~1 GB outside its memory limit at 10k cohorts.
    const batch = options.writeBatch ?? WRITE_BATCH;
    for (let i = 0; i < rows.length; i += batch) await run(connection, insertCohorts(JSON.stringify(rows.slice(i, i + batch))));
    const shapeBatch = Math.max(1, Math.floor(batch / 4));
    for (let i = 0; i < shapeRows.length; i += shapeBatch) await run(connection, insertShapes(id, JSON.stringify(shapeRows.slice(i, i + shapeBatch))));
    await run(connection, insertVolumes(id, stored, { from: coverage.dataFrom, to: coverage.dataTo }));
    await run(connection, insertHistograms(id, stored));
  });
  return { snapshotId: id, reused: false, events: coverage.events, cohorts, rows: rows.length };
}

/** Per set × cohort sums of `cohortTotals`. */
export interface TotalsRow {
  set_id: number;
  cohort_key: string;
  attempts: number;
  failures: number;
  users: number;
  user_sxx: number;
  user_snn: number;
  user_sxn: number;
  latency_n: number;
  latency_sum_log: number;
  shadow_pairs: number;
  shadow_mismatches: number;
}

interface SpreadRow {
  set_id: number;
  cohort_key: string;
  tenants: number;
  tenants_effective: number;
}

interface QuantileRow {
  set_id: number;
  cohort_key: string;
  total: number;
  above: number;
  quantile: number;
}

/** Per set × cohort over the whole baseline period: the sums the snapshot rows need beyond the fit (`bl_totals`, `totalsTable`). */
export function cohortTotals(): Sql {
  return sql`SELECT * FROM bl_totals ORDER BY set_id, cohort_key`;
}

async function latencyQuantiles(connection: DuckDBConnection, metrics: readonly PlanMetric[]): Promise<Map<string, QuantileRow>> {
  const result = new Map<string, QuantileRow>();
  for (const metric of metrics) {
    if (metric.quantile === undefined) continue;
    for (const row of await all<QuantileRow>(connection, histogramQuantiles(metric.quantile))) {
      result.set(`${metric.name}|${row.set_id}|${row.cohort_key}`, row);
    }
  }
  return result;
}

/** One `baseline_cohorts` row as uploaded (JSON field names = column names). */
interface SnapshotRow {
  snapshot_id: string;
  dimensions: string;
  cohort_key: string;
  metric: string;
  windows: number;
  n: number;
  x: number;
  level: number;
  trend_per_day: number;
  t_bar: string;
  var_level: number;
  var_trend: number;
  cov_level_trend: number;
  tau2: number;
  phi: number;
  shape_key: string;
  shape_source: string;
  shrunk: boolean;
  shrink_weight: number;
  mean: number;
  design_effect: number;
  tenants: number;
  tenants_effective: number;
  trend_raw: number;
  var_trend_raw: number;
  var_trend_model: number;
  trend_weight: number;
  shape_mean_baseline: number;
  /** NULL when the baseline period is too short for a placebo stage. */
  placebo_factor: number | null;
}

function snapshotRows(
  id: string,
  plan: Plan,
  sets: readonly CohortSet[],
  fits: readonly FittedCohort[],
  totals: readonly TotalsRow[],
  quantiles: ReadonlyMap<string, QuantileRow>,
  spread: readonly SpreadRow[],
  placebo: ReadonlyMap<string, number>,
): SnapshotRow[] {
  const stored = new Map(sets.filter((s) => s.stored).map((s) => [s.id, s]));
  const fitOf = new Map(fits.map((f) => [`${f.metric}|${f.setId}|${f.cohortKey}`, f]));
  const spreadOf = new Map(spread.map((s) => [`${s.set_id}|${s.cohort_key}`, s]));
  const rows: SnapshotRow[] = [];
  for (const total of totals) {
    const set = stored.get(total.set_id);
    if (!set || total.attempts === 0) continue;
    const tenants = set.dimensions.includes('tenant') ? { tenants: 1, tenants_effective: 1 } : spreadOf.get(`${set.id}|${total.cohort_key}`);
    const common = {
      snapshot_id: id,
      dimensions: dimensionsText(set.dimensions),
      cohort_key: total.cohort_key,
      design_effect: designEffect(total),
      tenants: tenants?.tenants ?? 0,
      tenants_effective: tenants?.tenants_effective ?? 0,
    };
    for (const metric of plan.metrics) {
      const key = `${metric.name}|${set.id}|${total.cohort_key}`;
      if (metric.family === 'shadow') {
        rows.push({ ...common, ...shadowRow(metric, total), placebo_factor: null });
        continue;
      }
      const fit = fitOf.get(key);
      if (!fit) continue; // no window with data for this metric (e.g. no MFA outcome recorded in this cohort)
      rows.push({ ...common, ...fittedRow(fit, metric, total, quantiles.get(key)), placebo_factor: placebo.get(`${set.id}|${metric.name}`) ?? null });
    }
  }
  for (const row of rows) {
    for (const [field, value] of Object.entries(row)) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new RangeError(`buildBaseline computed ${field} = ${value} for ${row.metric} ${row.cohort_key || 'everyone'}`);
      }
    }
  }
  return rows;
}

/** Design effect of the failure rate from per-user-hour sums (1 when there are too few units to tell). */
export function designEffect(t: TotalsRow): number {
  if (t.users < 2 || t.failures === 0 || t.failures === t.attempts) return 1;
  return ratioVariance({ K: t.users, Sx: t.failures, Sn: t.attempts, Sxx: t.user_sxx, Snn: t.user_snn, Sxn: t.user_sxn }).designEffect;
}

type MetricRow = Omit<SnapshotRow, 'snapshot_id' | 'dimensions' | 'cohort_key' | 'design_effect' | 'tenants' | 'tenants_effective' | 'placebo_factor'>;

function fittedRow(fit: FittedCohort, metric: PlanMetric, total: TotalsRow, quantile: QuantileRow | undefined): MetricRow {
  const latency = fit.family === 'latency';
  // Latency: the fit is on the window mean of log(ms); the quantile sits a fixed log distance above it.
  const offset = latency && quantile ? Math.log(quantile.quantile) - total.latency_sum_log / total.latency_n : 0;
  return {
    metric: metric.name,
    windows: fit.windows,
    n: latency ? (quantile?.total ?? fit.n) : fit.n,
    x: latency ? (quantile?.above ?? 0) : fit.x,
    level: fit.level + offset,
    trend_per_day: fit.trendPerDay,
    t_bar: fit.tBar.toISOString(),
    var_level: fit.varLevel,
    var_trend: fit.varTrend,
    cov_level_trend: fit.covLevelTrend,
    tau2: fit.tau2,
    phi: fit.phi,
    shape_key: fit.shapeKey,
    shape_source: fit.shapeSource,
    shrunk: fit.shrunk,
    shrink_weight: fit.shrinkWeight,
    mean: latency ? (quantile?.quantile ?? Math.exp(fit.level)) : fit.x / fit.n,
    trend_raw: fit.trendRaw,
    var_trend_raw: fit.varTrendRaw,
    var_trend_model: fit.varTrendModel,
    trend_weight: fit.trendWeight,
    shape_mean_baseline: fit.shapeMeanBaseline,
  };
}

/** Shadow mismatch: no shadow traffic before the rollout, so the baseline is the tolerated rate; counts kept if any. */
function shadowRow(metric: PlanMetric, total: TotalsRow): MetricRow {
  const p = metric.tolerance;
  return {
    metric: metric.name,
    windows: 0,
    n: total.shadow_pairs,
    x: total.shadow_mismatches,
    level: Math.log(p / (1 - p)),
    trend_per_day: 0,
    t_bar: new Date(0).toISOString(),
    var_level: 0,
    var_trend: 0,
    cov_level_trend: 0,
    tau2: 0,
    phi: 1,
    shape_key: '',
    shape_source: 'global',
    shrunk: false,
    shrink_weight: 1,
    mean: p,
    trend_raw: 0,
    var_trend_raw: 0,
    var_trend_model: 0,
    trend_weight: 1,
    shape_mean_baseline: 0,
  };
}

/** Snapshot rows per INSERT (a shape row, 168 numbers, is about four cohort rows of JSON). */
const WRITE_BATCH = 2048;

const COHORT_JSON_TYPE = JSON.stringify({
  snapshot_id: 'VARCHAR', dimensions: 'VARCHAR', cohort_key: 'VARCHAR', metric: 'VARCHAR', windows: 'BIGINT', n: 'DOUBLE',
  x: 'DOUBLE', level: 'DOUBLE', trend_per_day: 'DOUBLE', t_bar: 'VARCHAR', var_level: 'DOUBLE', var_trend: 'DOUBLE',
  cov_level_trend: 'DOUBLE', tau2: 'DOUBLE', phi: 'DOUBLE', shape_key: 'VARCHAR', shape_source: 'VARCHAR', shrunk: 'BOOLEAN',
  shrink_weight: 'DOUBLE', mean: 'DOUBLE', design_effect: 'DOUBLE', tenants: 'BIGINT', tenants_effective: 'DOUBLE',
  trend_raw: 'DOUBLE', var_trend_raw: 'DOUBLE', var_trend_model: 'DOUBLE', trend_weight: 'DOUBLE', shape_mean_baseline: 'DOUBLE',
  placebo_factor: 'DOUBLE',
});

/** The columns of `baseline_cohorts` a build writes, in the order of `insertCohorts`' SELECT. */
const COHORT_COLUMNS = Object.keys(JSON.parse(COHORT_JSON_TYPE) as Record<string, string>);

function insertCohorts(rowsJson: string): Sql {
  return sql`
    INSERT INTO baseline_cohorts (${raw(COHORT_COLUMNS.join(', '))})
    SELECT ${raw(COHORT_COLUMNS.map((c) => (c === 't_bar' ? 't_bar::TIMESTAMPTZ' : c)).join(', '))}
    FROM (SELECT unnest(from_json(${rowsJson}::JSON, ${`[${COHORT_JSON_TYPE}]`}), recursive := true))`;
}

function insertShapes(id: string, shapesJson: string): Sql {
  return sql`
    INSERT INTO baseline_shapes
    SELECT ${id}, k, m, o FROM (SELECT unnest(from_json(${shapesJson}::JSON, '[{"k":"VARCHAR","m":"VARCHAR","o":["DOUBLE"]}]'), recursive := true))`;
}

function insertVolumes(id: string, stored: readonly CohortSet[], period: { from: Date; to: Date }): Sql {
  const names = stored.map((s) => sql`WHEN ${raw(String(s.id))} THEN ${dimensionsText(s.dimensions)}`);
  return sql`
    INSERT INTO baseline_volumes
    SELECT ${id}, CASE set_id ${join(names, '\n')} END, cohort_key, attempts_per_hour
    FROM (${volumeProfiles(stored.map((s) => s.id), period)})`;
}

function insertHistograms(id: string, stored: readonly CohortSet[]): Sql {
  const names = stored.map((s) => sql`WHEN ${raw(String(s.id))} THEN ${dimensionsText(s.dimensions)}`);
  return sql`
    INSERT INTO baseline_histograms
    SELECT ${id}, CASE set_id ${join(names, '\n')} END, cohort_key, bin, count
    FROM bl_hist WHERE set_id IN (${join(stored.map((s) => raw(String(s.id))), ', ')}) AND count > 0`;
}
