import { ident, sql, type Sql } from '../store/sql.js';

/**
 * SQL of one file's load, over the temp table `ingest_checked` (one row per record: see checked-rows.ts; either
 * every checked column, or, where the file is read again for the insert, only source_row, skip_reason, problem,
 * record and event_id). A row is loadable when it is neither skipped nor quarantined.
 */
const LOADABLE = sql`skip_reason IS NULL AND problem IS NULL`;

/**
 * A row's 1-based record number: the staged one, or, where the stage left it NULL, the row's position in
 * `ingest_checked`, which DuckDB stores in the order the stage returned the rows (file order; see STAGED_COLUMNS)
 * and, the table being created outside a transaction, numbers from 0.
 */
const SOURCE_ROW = sql`coalesce(source_row, rowid + 1)`;

/** Copies the quarantined rows of the run, with reason and raw record, into `quarantine`. */
export const insertQuarantine = (runId: string, file: string): Sql => sql`
  INSERT INTO quarantine (run_id, file, source_row, reason, record)
  SELECT ${runId}, ${file}, ${SOURCE_ROW}, problem, record FROM ingest_checked
  WHERE problem IS NOT NULL ORDER BY ${SOURCE_ROW}`;

/** Counts the run's skipped records per reason into `skipped`. */
export const insertSkipped = (runId: string): Sql => sql`
  INSERT INTO skipped (run_id, reason, count)
  SELECT ${runId}, skip_reason, count(*) FROM ingest_checked WHERE skip_reason IS NOT NULL GROUP BY skip_reason`;

/**
 * `ingest_repeats`: the record numbers (source_row) of the rows whose event_id came earlier in the file. Only ids
 * seen twice go through the window, so a file without repeats costs one hash aggregate of its ids.
 */
export const findRepeats = (): Sql => sql`
  CREATE OR REPLACE TEMP TABLE ingest_repeats AS
  SELECT source_row FROM (
    SELECT ${SOURCE_ROW} AS source_row, row_number() OVER (PARTITION BY event_id ORDER BY ${SOURCE_ROW}) AS nth
    FROM ingest_checked
    WHERE ${LOADABLE} AND event_id IN (
      SELECT event_id FROM ingest_checked WHERE ${LOADABLE} GROUP BY event_id HAVING count(*) > 1))
  WHERE nth > 1`;

/** `ingest_known`: the file's event_ids already in the store. The store is probed against a hash of the file's ids. */
export const findKnown = (): Sql => sql`
  CREATE OR REPLACE TEMP TABLE ingest_known AS
  SELECT event_id FROM login_events WHERE event_id IN (SELECT event_id FROM ingest_checked WHERE ${LOADABLE})`;

/**
 * Inserts the loadable rows that are neither repeats nor known; returns DuckDB's `Count`. The rows come from
 * `ingest_checked`, or, given `loadable` (loadableRows over the file, whose every row has its source_row), straight from
 * the file: the narrow ingest_checked then only served to find the repeats, the known ids, the quarantine and the rows
 * that are not loadable, which are left out by source_row rather than checked again.
 */
export const insertEvents = (runId: string, format: string, loadable?: Sql): Sql => {
  const columns = sql`event_id, ts, user_id, tenant, idp, app, region, provider, outcome, error_code, latency_ms,
         mfa_challenged, shadow_outcome, shadow_diff, ip_prefix, attributes, ${format}, ${runId}`;
  if (loadable === undefined) {
    return sql`
      INSERT INTO login_events
      SELECT ${columns}
      FROM ingest_checked c
      ANTI JOIN ingest_known k ON k.event_id = c.event_id
      ANTI JOIN ingest_repeats r ON r.source_row = coalesce(c.source_row, c.rowid + 1)
      WHERE ${LOADABLE}`;
  }
  return sql`
    INSERT INTO login_events
    SELECT ${columns}
    FROM (${loadable}) c
    ANTI JOIN ingest_known k ON k.event_id = c.event_id
    ANTI JOIN ingest_left_out r ON r.source_row = c.source_row`;
};

/**
 * `ingest_left_out`, for an insert that reads the file again: the record numbers of the repeats and of the rows that
 * are not loadable. A table rather than a subquery, so DuckDB knows it is small and probes it with the file's rows,
 * which keeps them in file order.
 */
export const findLeftOut = (): Sql => sql`
  CREATE OR REPLACE TEMP TABLE ingest_left_out AS
  SELECT source_row FROM ingest_repeats
  UNION ALL SELECT source_row FROM ingest_checked WHERE NOT (${LOADABLE})`;

/** The columns of ingest_checked that the load reads when the rows to insert are read from the file again. */
export const narrowChecked = (checked: Sql): Sql => sql`
  SELECT source_row, skip_reason, problem, record, event_id FROM (${checked})`;

/** Counts of the checked rows: read, quarantined, skipped and loadable. */
export const checkedCounts = (): Sql => sql`
  SELECT count(*)::DOUBLE AS "rowsRead",
         count(*) FILTER (WHERE problem IS NOT NULL)::DOUBLE AS quarantined,
         count(*) FILTER (WHERE skip_reason IS NOT NULL)::DOUBLE AS skipped,
         count(*) FILTER (WHERE ${LOADABLE})::DOUBLE AS loadable
  FROM ingest_checked`;

/** Statements that drop the run's temp tables. */
export const dropTempTables = (): Sql[] =>
  ['ingest_checked', 'ingest_repeats', 'ingest_known', 'ingest_left_out'].map((table) => sql`DROP TABLE IF EXISTS ${ident(table)}`);
