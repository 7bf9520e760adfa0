import type { Cohort, Dimension } from '../types.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import { join, raw, sql, ident, type Sql } from '../store/sql.js';

/** The value stored in the aggregate tables (and cohort keys) for a NULL dimension value. */
export const MISSING_VALUE = '(none)';

const escapeValue = (value: string): string =>
  value.replaceAll('%', '%25').replaceAll('|', '%7C').replaceAll('=', '%3D');
const unescapeValue = (value: string): string =>
  value.replaceAll('%3D', '=').replaceAll('%7C', '|').replaceAll('%25', '%');

/**
 * The stable text key of a cohort, `dim=value|dim=value` with the dimensions in `dims` order
 * (the plan's order); `''` for everyone. `%`, `|` and `=` inside values are percent-encoded, so
 * the key parses back with `parseCohortKey`.
 *
 * @throws {RangeError} if the cohort has no value for one of `dims`.
 */
export function cohortKey(cohort: Cohort, dims: readonly Dimension[]): string {
  return dims
    .map((dim) => {
      const value = cohort[dim];
      if (value === undefined) throw new RangeError(`cohortKey: cohort ${JSON.stringify(cohort)} has no ${dim}`);
      return `${dim}=${escapeValue(value)}`;
    })
    .join('|');
}

/** The cohort and its dimensions (in key order) named by a cohort key. */
export interface ParsedCohortKey {
  /** Dimensions in the order the key lists them. */
  dimensions: Dimension[];
  cohort: Cohort;
}

/**
 * Parses a key written by `cohortKey`.
 *
 * @throws {RangeError} if a part is not `dim=value` with a known dimension.
 */
export function parseCohortKey(key: string): ParsedCohortKey {
  const dimensions: Dimension[] = [];
  const cohort: Cohort = {};
  if (key === '') return { dimensions, cohort };
  for (const part of key.split('|')) {
    const at = part.indexOf('=');
    const dim = part.slice(0, at) as Dimension;
    if (at < 1 || !DIMENSIONS.includes(dim)) throw new RangeError(`parseCohortKey: bad part "${part}" in "${key}"`);
    dimensions.push(dim);
    cohort[dim] = unescapeValue(part.slice(at + 1));
  }
  return { dimensions, cohort };
}

/** The dimension set as stored in snapshot tables: `tenant,idp`; `''` for everyone. */
export const dimensionsText = (dims: readonly Dimension[]): string => dims.join(',');

/** Parses `dimensionsText` back. */
export function parseDimensionsText(text: string): Dimension[] {
  if (text === '') return [];
  const dims = text.split(',') as Dimension[];
  for (const dim of dims) if (!DIMENSIONS.includes(dim)) throw new RangeError(`parseDimensionsText: unknown dimension "${dim}"`);
  return dims;
}

/**
 * SQL expression computing `cohortKey` from the dimension columns of an aggregate table
 * (optionally qualified by a table alias); the same text as the JS function.
 */
export function cohortKeySql(dims: readonly Dimension[], alias?: string): Sql {
  if (dims.length === 0) return sql`''`;
  const parts = dims.map((dim) => {
    const column = alias ? sql`${ident(alias)}.${ident(dim)}` : sql`${ident(dim)}`;
    return sql`${raw(`'${dim}='`)} || replace(replace(replace(${column}, '%', '%25'), '|', '%7C'), '=', '%3D')`;
  });
  return sql`concat_ws('|', ${join(parts, ', ')})`;
}
