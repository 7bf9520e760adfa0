import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../errors.js';
import { all } from '../store/query.js';
import { sql, type Sql } from '../store/sql.js';
import type { BaselineSnapshot, CohortBaseline } from '../types.js';
import { parseCohortKey, parseDimensionsText } from './cohort-key.js';

/** A baseline snapshot as evaluation and planning read it. */
export interface LoadedBaseline {
  snapshot: BaselineSnapshot;
  /** One row per cohort × metric, ordered by dimension set, cohort key, metric. */
  cohorts: CohortBaseline[];
  /** `shapeKey + '|' + metric` → 168 hour-of-week offsets on the model scale (hour-of-week = (ISO dow − 1)·24 + UTC hour). */
  shapes: Map<string, Float64Array>;
}

interface SnapshotRow {
  snapshot_id: string;
  created_at: string;
  plan_name: string;
  plan_hash: string;
  data_from: string;
  data_to: string;
  toolkit_version: string;
  events: number;
  cohorts: number;
}

/** Snapshot rows, newest first (`created_at`, then id for ties). */
export function snapshotRows(snapshotId?: string): Sql {
  const where = snapshotId === undefined ? sql`TRUE` : sql`snapshot_id = ${snapshotId}`;
  return sql`
    SELECT snapshot_id, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at, plan_name, plan_hash,
           strftime(data_from AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS data_from,
           strftime(data_to AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS data_to,
           toolkit_version, events::DOUBLE AS events, cohorts::DOUBLE AS cohorts
    FROM baseline_snapshots WHERE ${where}
    ORDER BY created_at DESC, snapshot_id DESC LIMIT 1`;
}

interface CohortRow {
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
  shape_source: CohortBaseline['shapeSource'];
  shrunk: boolean;
  shrink_weight: number;
  mean: number;
  shape_mean_baseline: number | null;
  placebo_factor: number | null;
}

/** The cohort rows of one snapshot in a deterministic order. */
export function cohortRows(snapshotId: string): Sql {
  return sql`
    SELECT dimensions, cohort_key, metric, windows::DOUBLE AS windows, n, x, level, trend_per_day,
           strftime(t_bar AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS t_bar, var_level, var_trend, cov_level_trend,
           tau2, phi, shape_key, shape_source, shrunk, shrink_weight, mean, shape_mean_baseline, placebo_factor
    FROM baseline_cohorts WHERE snapshot_id = ${snapshotId}
    ORDER BY dimensions, cohort_key, metric`;
}

/** The hour-of-week shapes of one snapshot. */
export function shapeRows(snapshotId: string): Sql {
  return sql`SELECT shape_key, metric, offsets FROM baseline_shapes WHERE snapshot_id = ${snapshotId} ORDER BY shape_key, metric`;
}

/**
 * Loads a baseline snapshot: the one named, or the newest when no id is given.
 *
 * @throws {UserError} when the store has no snapshot (or none with that id).
 */
export async function loadBaseline(connection: DuckDBConnection, snapshotId?: string): Promise<LoadedBaseline> {
  const [row] = await all<SnapshotRow>(connection, snapshotRows(snapshotId));
  if (!row) {
    throw new UserError(
      snapshotId === undefined
        ? "no baseline snapshot in the store: run 'stagewise baseline' first"
        : `no baseline snapshot ${snapshotId} in the store`,
    );
  }
  const snapshot: BaselineSnapshot = {
    snapshotId: row.snapshot_id,
    createdAt: new Date(row.created_at),
    planName: row.plan_name,
    planHash: row.plan_hash,
    dataFrom: new Date(row.data_from),
    dataTo: new Date(row.data_to),
    toolkitVersion: row.toolkit_version,
    events: Number(row.events),
    cohorts: Number(row.cohorts),
  };
  const cohorts = (await all<CohortRow>(connection, cohortRows(row.snapshot_id))).map((r) => toCohortBaseline(row.snapshot_id, r));
  const shapes = new Map<string, Float64Array>();
  for (const s of await all<{ shape_key: string; metric: string; offsets: number[] }>(connection, shapeRows(row.snapshot_id))) {
    shapes.set(`${s.shape_key}|${s.metric}`, Float64Array.from(s.offsets));
  }
  return { snapshot, cohorts, shapes };
}

function toCohortBaseline(snapshotId: string, r: CohortRow): CohortBaseline {
  return {
    snapshotId,
    dimensions: parseDimensionsText(r.dimensions),
    cohort: parseCohortKey(r.cohort_key).cohort,
    cohortKey: r.cohort_key,
    metric: r.metric,
    windows: Number(r.windows),
    n: r.n,
    x: r.x,
    level: r.level,
    trendPerDay: r.trend_per_day,
    tBar: new Date(r.t_bar),
    varLevel: r.var_level,
    varTrend: r.var_trend,
    covLevelTrend: r.cov_level_trend,
    tau2: r.tau2,
    phi: r.phi,
    shapeKey: r.shape_key,
    shapeSource: r.shape_source,
    shrunk: r.shrunk,
    shrinkWeight: r.shrink_weight,
    mean: r.mean,
    // NULL in snapshots of model 1 (before these columns).
    ...(r.shape_mean_baseline === null ? {} : { shapeMeanBaseline: r.shape_mean_baseline }),
    ...(r.placebo_factor === null ? {} : { placeboFactor: r.placebo_factor }),
  };
}
