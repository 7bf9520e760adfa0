import { InvalidArgumentError } from 'commander';

/** Default store path, shared by every command's `--db`. */
export const DEFAULT_DB = 'data/stagewise.duckdb';

/** Parses an ISO-8601 instant (`2026-10-01`, `2026-10-01T12:00:00Z`) for commander; dates are UTC midnight. */
export function parseInstant(value: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new InvalidArgumentError('Expected an ISO-8601 date or time, e.g. 2026-10-01 or 2026-10-01T12:00:00Z.');
  }
  return date;
}

/** Parses a positive integer option. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

/** Parses a DuckDB memory size (`512MB`, `4GB`, `1.5GiB`) for commander; the text goes to DuckDB as it is. */
export function parseMemoryLimit(value: string): string {
  if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value.trim())) {
    throw new InvalidArgumentError('Expected a size such as 512MB, 4GB or 1.5GiB.');
  }
  return value.trim();
}
