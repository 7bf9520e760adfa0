import type { DuckDBConnection } from '@duckdb/node-api';
import { run } from '../store/query.js';
import { sql, type Sql } from '../store/sql.js';
import type { LoadedBaseline } from './load-baseline.js';

/**
 * The rows of a snapshot's Parquet export, into the temp table `bl_export`: one row per
 * cohort × metric with the snapshot's provenance and the 168 shape offsets the row uses, so the
 * file stands alone.
 */
export function exportTable(snapshotId: string): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE bl_export AS
    SELECT s.snapshot_id, s.created_at, s.plan_name, s.plan_hash, s.data_from, s.data_to, s.toolkit_version,
           c.* EXCLUDE (snapshot_id), h.offsets AS shape
    FROM baseline_cohorts c
    JOIN baseline_snapshots s USING (snapshot_id)
    LEFT JOIN baseline_shapes h ON h.snapshot_id = c.snapshot_id AND h.shape_key = c.shape_key AND h.metric = c.metric
    WHERE c.snapshot_id = ${snapshotId}
    ORDER BY c.dimensions, c.cohort_key, c.metric`;
}

/** `COPY bl_export TO file`: the file is the only bound value (DuckDB mis-binds COPY with a parameterised query inside). */
export const copyExport = (file: string): Sql => sql`COPY bl_export TO ${file} (FORMAT parquet)`;

/** Writes the Parquet export of a snapshot. */
export async function writeParquetExport(connection: DuckDBConnection, snapshotId: string, file: string): Promise<void> {
  await run(connection, exportTable(snapshotId));
  await run(connection, copyExport(file));
  await run(connection, sql`DROP TABLE bl_export`);
}

/** The JSON export of a loaded snapshot: `{ schema, snapshot, cohorts, shapes }` with shapes as plain arrays. */
export function baselineJson(baseline: LoadedBaseline): unknown {
  return {
    schema: 'stagewise.baseline/v1',
    snapshot: baseline.snapshot,
    cohorts: baseline.cohorts,
    shapes: Object.fromEntries([...baseline.shapes].map(([key, offsets]) => [key, [...offsets]])),
  };
}
