import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run, transaction } from '../store/query.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Dimension, Period } from '../types.js';
import { MISSING_VALUE, cohortKeySql } from './cohort-key.js';

/**
 * The one place raw login events are aggregated. Everything downstream (baselines, evaluation,
 * reports) reads the additive `agg_*` tables this module writes; a warehouse engine would plug
 * in by producing the same three tables. Grain: UTC hour × tenant × idp × app × region × provider.
 */

/** The columns that identify a cell of the finest grain, after the hour. */
export const CELL_COLUMNS = ['tenant', 'idp', 'app', 'region', 'provider'] as const;

const HOUR_MS = 3_600_000;
/**
 * Fixed-point scale for sums of log latency: each term is rounded to a multiple of 10⁻⁶ and
 * summed as an integer-valued DOUBLE, which is exact (so independent of the order DuckDB's threads
 * add rows in, and re-runs give equal bits) while a sum stays below 2⁵³, i.e. below ~6·10⁷
 * events per cell-hour for Σ(ln ms)².
 */
export const LOG_SCALE = 1e6;

/** What `refreshAggregates` did. */
export interface RefreshResult {
  /** false when the store had not changed since the hours asked for were last built. */
  rebuilt: boolean;
  /** The hour-aligned range rebuilt (null ends: the whole store). */
  from: Date | null;
  to: Date | null;
  /** Events read and agg_hourly rows written (0 when nothing was rebuilt). */
  events: number;
  rows: number;
}

/** `2026-10-01T10:17Z` → `2026-10-01T10:00Z` (floor) or `11:00Z` (ceil). */
export function alignHour(date: Date, direction: 'floor' | 'ceil'): Date {
  const hours = date.getTime() / HOUR_MS;
  return new Date((direction === 'floor' ? Math.floor(hours) : Math.ceil(hours)) * HOUR_MS);
}

/** A bound TIMESTAMPTZ literal (ISO text cast in SQL, so the session time zone plays no part). */
export const instant = (date: Date): Sql => sql`${date.toISOString()}::TIMESTAMPTZ`;

/** A half-open range of instants; a null end is open. */
type Range = { from: Date | null; to: Date | null };

/** `column >= from AND column < to`, or TRUE when no period is given. */
function inPeriod(column: string, period: Range): Sql {
  const parts: Sql[] = [];
  if (period.from) parts.push(sql`${ident(column)} >= ${instant(period.from)}`);
  if (period.to) parts.push(sql`${ident(column)} < ${instant(period.to)}`);
  return parts.length ? join(parts, ' AND ') : sql`TRUE`;
}

/** The store's current content in a few numbers: a re-run with an equal fingerprint has nothing new to aggregate. */
export function storeFingerprint(): Sql {
  return sql`
    SELECT (SELECT count(*) FROM login_events)::VARCHAR || '|' ||
           (SELECT count(*) FROM ingest_runs)::VARCHAR || '|' ||
           coalesce((SELECT max(finished_at) FROM ingest_runs)::VARCHAR, '') AS fingerprint`;
}

const cell = (column: string): Sql => sql`coalesce(${ident(column)}, ${MISSING_VALUE}) AS ${ident(column)}`;
const KEYS = raw(`hour, ${CELL_COLUMNS.join(', ')}`);

/** The events of the period with the hour and the cell columns of the finest grain (NULL → `(none)`), plus `extra` columns. */
function events(period: Range, extra: Sql): Sql {
  return sql`
    SELECT to_timestamp(floor(epoch(ts) / 3600) * 3600) AS hour, ${join(CELL_COLUMNS.map(cell), ', ')}, ${extra}
    FROM login_events
    WHERE ${inPeriod('ts', period)}`;
}

/**
 * `agg_hourly` for the period, in one statement: events → per (hour, cell, user) sums → per
 * (hour, cell) sums, with the user level's K, Σx², Σn², Σxn (x failures, n attempts) for the
 * delta method. Events without a user id count as one unit each (one attempt per unit: the
 * binomial special case). Every other column is summed at the user level first, which costs
 * less than a second hash table over the events for the cell level and a join.
 */
export function insertHourly(period: { from: Date | null; to: Date | null }): Sql {
  // Integer-valued DOUBLE sums: exact below 2⁵³ and several times faster than HUGEINT accumulation.
  const total = (column: string) => sql`sum(${ident(column)}::DOUBLE)::BIGINT`;
  const scale = raw(String(LOG_SCALE));
  return sql`
    INSERT INTO agg_hourly
    WITH e AS (${events(
      period,
      sql`user_id, outcome = 'failure' AS failed, mfa_challenged, shadow_outcome, CASE WHEN latency_ms > 0 THEN ln(latency_ms) END AS log_latency`,
    )}), u AS (
      SELECT ${KEYS}, user_id,
             count(*) AS attempts,
             count(*) FILTER (WHERE failed) AS failures,
             count(mfa_challenged) AS mfa_known,
             count(*) FILTER (WHERE mfa_challenged) AS mfa_challenged,
             count(log_latency) AS latency_n,
             sum(round(log_latency * ${scale})) AS latency_sum_fx,
             sum(round(log_latency * log_latency * ${scale})) AS latency_sumsq_fx,
             count(shadow_outcome) AS shadow_pairs,
             count(*) FILTER (WHERE shadow_outcome = 'mismatch') AS shadow_mismatches,
             count(*) FILTER (WHERE shadow_outcome = 'shadow_error') AS shadow_errors,
             count(*) FILTER (WHERE failed AND shadow_outcome IN ('match', 'mismatch')) AS shadow_live_fail_legacy_ok,
             count(*) FILTER (WHERE NOT failed AND shadow_outcome = 'shadow_error') AS shadow_live_ok_legacy_fail
      FROM e GROUP BY ${KEYS}, user_id
    )
    SELECT ${KEYS},
           ${total('attempts')}, ${total('failures')}, ${total('mfa_known')}, ${total('mfa_challenged')},
           ${total('latency_n')},
           coalesce(sum(latency_sum_fx), 0) / ${scale},
           coalesce(sum(latency_sumsq_fx), 0) / ${scale},
           ${total('shadow_pairs')}, ${total('shadow_mismatches')}, ${total('shadow_errors')},
           ${total('shadow_live_fail_legacy_ok')}, ${total('shadow_live_ok_legacy_fail')},
           sum(CASE WHEN user_id IS NULL THEN attempts::DOUBLE ELSE 1 END)::BIGINT,
           sum(CASE WHEN user_id IS NULL THEN failures::DOUBLE ELSE failures::DOUBLE * failures END),
           sum(CASE WHEN user_id IS NULL THEN attempts::DOUBLE ELSE attempts::DOUBLE * attempts END),
           sum(CASE WHEN user_id IS NULL THEN failures::DOUBLE ELSE failures::DOUBLE * attempts END)
    FROM u GROUP BY ${KEYS}`;
}

/** `agg_hourly_errors` for the period: failures per (hour, cell, error code); a failure without a code counts under `(none)`. */
export function insertErrors(period: { from: Date | null; to: Date | null }): Sql {
  return sql`
    INSERT INTO agg_hourly_errors
    WITH e AS (${events(period, sql`coalesce(error_code, ${MISSING_VALUE}) AS err, outcome`)})
    SELECT ${KEYS}, err, count(*) FROM e WHERE outcome = 'failure' GROUP BY ${KEYS}, err`;
}

/** `agg_hourly_latency` for the period: events per (hour, cell, log-spaced bin), latency_ms > 0 only, so bin counts sum to latency_n. */
export function insertLatency(period: { from: Date | null; to: Date | null }): Sql {
  return sql`
    INSERT INTO agg_hourly_latency
    WITH e AS (${events(period, sql`least(greatest(floor(ln(latency_ms) / ln(1.05)), 0), 240)::SMALLINT AS bin, latency_ms`)})
    SELECT ${KEYS}, bin, count(*) FROM e WHERE latency_ms > 0 GROUP BY ${KEYS}, bin`;
}

/**
 * Events per refresh chunk. The hour is part of every aggregate's key, so the period can be
 * aggregated a run of whole UTC days at a time with the same result; a chunk this size keeps the
 * user-level hash table (about one group per event) in memory instead of spilling it to disk
 * (100M events in one statement spilled ~27 GB with a 5 GB DuckDB limit).
 */
export const CHUNK_EVENTS = 4_000_000;

/**
 * Splits `range` into consecutive sub-ranges at UTC midnights, each holding at most `chunkEvents`
 * events (or one day, when a day holds more). The first keeps `range.from`, the last `range.to`.
 */
export async function eventChunks(connection: DuckDBConnection, range: Range, chunkEvents: number): Promise<Range[]> {
  const days = await all<{ day: number; events: number }>(
    connection,
    sql`SELECT floor(epoch(ts) / 86400)::DOUBLE AS day, count(*)::DOUBLE AS events
        FROM login_events WHERE ${inPeriod('ts', range)} GROUP BY ALL ORDER BY day`,
  );
  const starts: Date[] = [];
  let events = 0;
  for (const { day, events: n } of days) {
    if (events > 0 && events + n > chunkEvents) {
      starts.push(new Date(day * 86_400_000));
      events = 0;
    }
    events += n;
  }
  const bounds = [range.from, ...starts, range.to];
  return bounds.slice(1).map((to, i) => ({ from: bounds[i] ?? null, to }));
}

/**
 * Rebuilds the aggregate tables for the hours of `period` (hour-aligned outward), or for the
 * whole store, in one transaction: one GROUP BY of `login_events` per table, a run of days of at
 * most `CHUNK_EVENTS` events at a time (`options.chunkEvents`). Idempotent: `agg_state` records
 * what was built and from which store content, and a re-run that finds the hours already built
 * from the same content does nothing.
 */
export async function refreshAggregates(
  connection: DuckDBConnection,
  period?: Period,
  options: { chunkEvents?: number } = {},
): Promise<RefreshResult> {
  const range = {
    from: period ? alignHour(period.from, 'floor') : null,
    to: period ? alignHour(period.to, 'ceil') : null,
  };
  return transaction(connection, async () => {
    const [state] = await all<{ fingerprint: string }>(connection, storeFingerprint());
    const fingerprint = state?.fingerprint ?? '';
    const [covered] = await all<{ n: bigint }>(connection, coveringState(fingerprint, range));
    if (covered && covered.n > 0n) return { rebuilt: false, ...range, events: 0, rows: 0 };
    for (const table of ['agg_hourly', 'agg_hourly_errors', 'agg_hourly_latency']) {
      await run(connection, sql`DELETE FROM ${ident(table)} WHERE ${inPeriod('hour', range)}`);
    }
    // Three lean GROUP BYs over the columns each needs: a single GROUPING SETS scan computes every
    // aggregate for every set and measured about twice the CPU (bench/baseline.ts, docs/baseline.md).
    for (const chunk of await eventChunks(connection, range, options.chunkEvents ?? CHUNK_EVENTS)) {
      for (const statement of [insertHourly(chunk), insertErrors(chunk), insertLatency(chunk)]) await run(connection, statement);
    }
    const [counts] = await all<{ events: bigint; rows: bigint }>(
      connection,
      sql`SELECT coalesce(sum(attempts), 0)::BIGINT AS events, count(*) AS rows FROM agg_hourly WHERE ${inPeriod('hour', range)}`,
    );
    await run(connection, sql`DELETE FROM agg_state WHERE fingerprint <> ${fingerprint} OR ${range.from === null && range.to === null}`);
    await run(
      connection,
      sql`INSERT INTO agg_state VALUES (${range.from?.toISOString() ?? null}::TIMESTAMPTZ,
            ${range.to?.toISOString() ?? null}::TIMESTAMPTZ, ${fingerprint}, now())`,
    );
    return { rebuilt: true, ...range, events: Number(counts?.events ?? 0), rows: Number(counts?.rows ?? 0) };
  });
}

/** Counts `agg_state` rows built from this fingerprint whose range covers `range`. */
export function coveringState(fingerprint: string, range: { from: Date | null; to: Date | null }): Sql {
  const from = range.from ? sql`(from_hour IS NULL OR from_hour <= ${instant(range.from)})` : sql`from_hour IS NULL`;
  const to = range.to ? sql`(to_hour IS NULL OR to_hour >= ${instant(range.to)})` : sql`to_hour IS NULL`;
  return sql`SELECT count(*) AS n FROM agg_state WHERE fingerprint = ${fingerprint} AND ${from} AND ${to}`;
}

/** What a cohort roll-up covers: the cohort's dimensions, the period, and optionally some providers only. */
export interface RollupOptions {
  /** Dimensions of the cohort (plan order); [] rolls everything up into one cohort ('' key). */
  dimensions: readonly Dimension[];
  /** Half-open period of hours. */
  period: Period;
  /** Keep only these providers (default: all, kept apart). */
  providers?: readonly string[];
}

function rollupWhere(options: RollupOptions): Sql {
  const parts = [inPeriod('hour', options.period)];
  if (options.providers) {
    parts.push(
      options.providers.length ? sql`provider IN (${join(options.providers.map((p) => sql`${p}`), ', ')})` : sql`FALSE`,
    );
  }
  return join(parts, ' AND ');
}

/** The SELECT-list prefix and GROUP BY keys of a roll-up: dimension columns, then `cohort_key`. */
function rollupKeys(dimensions: readonly Dimension[]): { select: Sql; group: Sql } {
  const dims = dimensions.map((d) => sql`${ident(d)}`);
  const select = join([...dims, sql`${cohortKeySql(dimensions)} AS cohort_key`], ', ');
  return { select, group: dims.length ? sql`${join(dims, ', ')}, ` : sql`` };
}

/** The additive sums of `agg_hourly`, as a SELECT list (counts BIGINT, sums DOUBLE). */
export const HOURLY_SUMS: Sql = raw(
  [
    'attempts', 'failures', 'mfa_known', 'mfa_challenged', 'latency_n', 'shadow_pairs', 'shadow_mismatches',
    'shadow_errors', 'shadow_live_fail_legacy_ok', 'shadow_live_ok_legacy_fail', 'users',
  ]
    .map((c) => `sum(${c})::BIGINT AS ${c}`)
    .concat(['latency_sum_log', 'latency_sumsq_log', 'user_sxx', 'user_snn', 'user_sxn'].map((c) => `sum(${c}) AS ${c}`))
    .join(', '),
);

/**
 * Per cohort × hour × provider: every additive sum of `agg_hourly` (HOURLY_SUMS), with the
 * dimension columns and `cohort_key`, ordered by cohort key, hour, provider.
 */
export function cohortHourly(options: RollupOptions): Sql {
  const { select, group } = rollupKeys(options.dimensions);
  return sql`
    SELECT ${select}, hour, provider, ${HOURLY_SUMS}
    FROM agg_hourly
    WHERE ${rollupWhere(options)}
    GROUP BY ${group}hour, provider
    ORDER BY cohort_key, hour, provider`;
}

/** Per cohort × provider over the whole period: the sums of `cohortHourly`, plus the number of hours with attempts. */
export function cohortTotals(options: RollupOptions): Sql {
  const { select, group } = rollupKeys(options.dimensions);
  return sql`
    SELECT ${select}, provider, count(DISTINCT hour) AS hours, ${HOURLY_SUMS}
    FROM agg_hourly
    WHERE ${rollupWhere(options)}
    GROUP BY ${group}provider
    ORDER BY cohort_key, provider`;
}

/** Per cohort × hour × provider: failures with one error code (hours without that code are absent: 0). */
export function cohortErrorsHourly(options: RollupOptions & { errorCode: string }): Sql {
  const { select, group } = rollupKeys(options.dimensions);
  return sql`
    SELECT ${select}, hour, provider, sum(failures)::BIGINT AS failures
    FROM agg_hourly_errors
    WHERE ${rollupWhere(options)} AND error_code = ${options.errorCode}
    GROUP BY ${group}hour, provider
    ORDER BY cohort_key, hour, provider`;
}

/** Per cohort × provider (× hour when `byHour`): latency histogram as sparse (bin, count) rows. */
export function cohortLatency(options: RollupOptions & { byHour?: boolean }): Sql {
  const { select, group } = rollupKeys(options.dimensions);
  const hour = options.byHour ? sql`hour, ` : sql``;
  return sql`
    SELECT ${select}, ${hour}provider, bin, sum(count)::BIGINT AS count
    FROM agg_hourly_latency
    WHERE ${rollupWhere(options)}
    GROUP BY ${group}${hour}provider, bin
    ORDER BY cohort_key, ${hour}provider, bin`;
}
