import type { DuckDBConnection } from '@duckdb/node-api';
import { allJson } from '../store/query.js';
import { sql } from '../store/sql.js';

/** Events of one source format and provider. */
export interface EventCounts {
  source_format: string;
  provider: string;
  events: number;
  /** Earliest and latest event time, ISO-8601 UTC. */
  first_ts: string;
  last_ts: string;
}

/** One row of ingest_runs. */
export interface IngestRunRow {
  run_id: string;
  file: string;
  format: string;
  sha256: string;
  started_at: string;
  finished_at: string;
  rows_read: number;
  loaded: number;
  quarantined: number;
  duplicates: number;
  skipped: number;
}

/** Quarantined rows of one kind of reason (the reason up to its first colon), with a few examples. */
export interface QuarantineCounts {
  reason: string;
  rows: number;
  /** The first few rows: where they are and the full reason; never the record, which holds raw user ids. */
  examples: { file: string; source_row: number; reason: string }[];
}

/** Records that were not login attempts, by reason. */
export interface SkippedCounts {
  reason: string;
  rows: number;
}

/** What the store holds, for `stagewise status`. */
export interface StoreStatus {
  events: EventCounts[];
  runs: IngestRunRow[];
  quarantine: QuarantineCounts[];
  skipped: SkippedCounts[];
}

const ISO = '%Y-%m-%dT%H:%M:%SZ';

/** Reads the store's summary: events by format and provider, ingest runs, quarantine and skipped by reason. */
export async function storeStatus(connection: DuckDBConnection, examples = 3): Promise<StoreStatus> {
  const events = await allJson<EventCounts>(connection, sql`
    SELECT source_format, provider, count(*)::INTEGER AS events,
           strftime(min(ts), ${ISO}) AS first_ts, strftime(max(ts), ${ISO}) AS last_ts
    FROM login_events GROUP BY ALL ORDER BY source_format, provider`);
  const runs = await allJson<IngestRunRow>(connection, sql`
    SELECT run_id, file, format, sha256, strftime(started_at, ${ISO}) AS started_at,
           strftime(finished_at, ${ISO}) AS finished_at, rows_read::DOUBLE AS rows_read, loaded::DOUBLE AS loaded,
           quarantined::DOUBLE AS quarantined, duplicates::DOUBLE AS duplicates, skipped::DOUBLE AS skipped
    FROM ingest_runs ORDER BY ingest_runs.started_at, run_id`);
  const quarantine = await allJson<QuarantineCounts>(connection, sql`
    SELECT split_part(reason, ':', 1) AS reason, count(*)::DOUBLE AS rows,
           list({'file': file, 'source_row': source_row::DOUBLE, 'reason': reason} ORDER BY file, source_row)[1:${examples}]
             AS examples
    FROM quarantine GROUP BY 1 ORDER BY rows DESC, reason`);
  const skipped = await allJson<SkippedCounts>(connection, sql`
    SELECT reason, sum(count)::DOUBLE AS rows FROM skipped GROUP BY reason ORDER BY rows DESC, reason`);
  return { events, runs, quarantine, skipped };
}
