import type { DuckDBConnection } from '@duckdb/node-api';

/** How far the running query on a connection has got. */
export interface Progress {
  /** Rows the query has processed so far. */
  rows: number;
  /** Percent done, or -1 when DuckDB cannot tell. */
  percent: number;
  /** Seconds since watching began. */
  seconds: number;
}

/**
 * Calls `tick` every `intervalMs` with the progress of whatever query runs on `connection` (DuckDB tracks it
 * only with `enable_progress_bar` on) until the returned function is called.
 */
export function watchProgress(connection: DuckDBConnection, tick: (progress: Progress) => void, intervalMs = 500): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const { rows_processed, percentage } = connection.progress;
    tick({ rows: Number(rows_processed), percent: percentage, seconds: (Date.now() - started) / 1000 });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
