import type { DuckDBConnection } from '@duckdb/node-api';

/** How far the running query on a connection has got. */
export interface Progress {
  /** Rows processed so far: the most any one query of the run has reported (DuckDB counts per query). */
  rows: number;
  /** Percent done of the query now running, or -1 when DuckDB cannot tell. */
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
  let rows = 0;
  const timer = setInterval(() => {
    const { rows_processed, percentage } = connection.progress;
    rows = Math.max(rows, Number(rows_processed));
    tick({ rows, percent: percentage, seconds: (Date.now() - started) / 1000 });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
