import { CELL_SERIES_FIELDS, type CellRow, type ErrorRow, type LatencyRow } from '../../src/evaluate/cohort-rollup.js';
import type { Dimension } from '../../src/types.js';

/**
 * The rows `windowCells`, `windowErrors` and `windowLatency` return, built from one object per
 * hour (the shape a test can read): rows of the same cell (or cohort) and provider merge into one
 * row whose `series` lists their hours, in the order given.
 */

type Hourly<Row> = Omit<Row, 'series'> & { t: number };
type HourlyCell = Hourly<CellRow> & Record<(typeof CELL_SERIES_FIELDS)[number], number>;

function merge<Row extends { series: readonly number[] }>(rows: readonly Record<string, unknown>[], key: (r: Record<string, unknown>) => unknown[], values: readonly string[]): Row[] {
  const out = new Map<string, Row & { series: number[] }>();
  for (const r of rows) {
    const id = JSON.stringify(key(r));
    let row = out.get(id);
    if (!row) {
      const rest: Record<string, unknown> = { ...r };
      for (const field of ['t', ...values]) delete rest[field];
      out.set(id, (row = { ...rest, series: [] } as unknown as Row & { series: number[] }));
    }
    row.series.push(...['t', ...values].map((field) => Number(r[field])));
  }
  return [...out.values()];
}

const cellKey = (r: Record<string, unknown>) => [...(['tenant', 'idp', 'app', 'region'] satisfies Dimension[]).map((d) => r[d]), r.provider];

/** `windowCells` rows from per-hour cell rows. */
export const cellRows = (rows: readonly HourlyCell[]): CellRow[] => merge<CellRow>(rows, cellKey, CELL_SERIES_FIELDS.slice(1));

/** `windowErrors` rows from per-hour error rows. */
export const errorRows = (rows: readonly (Hourly<ErrorRow> & { failures: number })[]): ErrorRow[] =>
  merge<ErrorRow>(rows, (r) => [...cellKey(r), r.error_code], ['failures']);

/** `windowLatency` rows from per-hour, per-bin latency rows. */
export const latencyRows = (rows: readonly (Hourly<LatencyRow> & { bin: number; count: number })[]): LatencyRow[] =>
  merge<LatencyRow>(rows, (r) => [r.set_id, r.cohort_key, r.provider], ['bin', 'count']);
