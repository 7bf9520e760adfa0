import { STAGED_COLUMNS } from '../format.js';
import { ident, join, raw, sql, type Sql } from '../../store/sql.js';

/** One of the columns a stage() SELECT returns. */
export type StagedColumn = (typeof STAGED_COLUMNS)[number];

/** SQL expressions over a vendor's source rows, one per staged column; a column left out is NULL. */
export type MappedColumns = { readonly [C in Exclude<StagedColumn, 'source_row' | 'record'>]?: Sql };

const TYPES: Readonly<Record<StagedColumn, string>> = Object.fromEntries(
  STAGED_COLUMNS.map((name) => [name, name === 'source_row' ? 'BIGINT' : name === 'attributes' ? 'JSON' : 'VARCHAR']),
) as Record<StagedColumn, string>;

/** Staged columns only login attempts need: a skipped row stages them as NULL, and their cost is not paid for it. */
const LOGIN_ONLY: readonly StagedColumn[] = ['idp', 'app', 'attributes'];

/**
 * The stage() SELECT: `columns` evaluated over `source` (a SELECT with `source_row`, `record` and
 * whatever fields the expressions name), cast to the staged types, in STAGED_COLUMNS order; idp, app
 * and attributes only for rows that are not skipped. Not sorted: `source_row` carries the file order,
 * and sorting would hold every raw record in memory at once.
 */
export function stagedSelect(source: Sql, columns: MappedColumns): Sql {
  const list = STAGED_COLUMNS.map((name) => {
    if (name === 'skip_reason') return sql`"__skip_reason" AS skip_reason`;
    const expression = name === 'source_row' || name === 'record' ? sql`${ident(name)}` : (columns[name] ?? sql`NULL`);
    const value = sql`CAST(${expression} AS ${raw(TYPES[name])})`;
    return LOGIN_ONLY.includes(name) ? sql`CASE WHEN "__skip_reason" IS NULL THEN ${value} END AS ${ident(name)}` : sql`${value} AS ${ident(name)}`;
  });
  return sql`WITH source AS (SELECT *, CAST(${columns.skip_reason ?? sql`NULL`} AS VARCHAR) AS "__skip_reason" FROM (${source}))
    SELECT ${join(list, ',\n')}
    FROM source`;
}

/**
 * A JSON object of the named values that are not NULL (attributes stay small and carry no `null`s).
 * Each value is a text (or other scalar) SQL expression. A JSON merge patch into `{}` drops the null members
 * (RFC 7386) in one pass, several times cheaper than filtering a list of entries; it would also drop the null
 * members inside a JSON object value, which is why values are scalars.
 */
export function attributesObject(entries: Readonly<Record<string, Sql>>): Sql {
  const pairs = Object.entries(entries).map(([key, value]) => sql`${key}, ${value}`);
  return sql`json_merge_patch('{}', json_object(${join(pairs, ', ')}))`;
}

/** A parenthesised list of bound values, for `x IN (…)`. */
export function inList(values: readonly string[]): Sql {
  return sql`(${join(values.map((value) => sql`${value}`), ', ')})`;
}
