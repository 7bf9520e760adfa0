import { extname } from 'node:path';
import type { FormatSample, LoginFormat } from '../format.js';
import { raw, sql, type Sql } from '../../store/sql.js';

/** The columns of the canonical format, in order; `ip` is optional. */
export const CANONICAL_COLUMNS = ['event_id', 'ts', 'user_id', 'tenant', 'idp', 'app', 'region', 'provider', 'outcome',
  'error_code', 'latency_ms', 'mfa_challenged', 'shadow_outcome', 'shadow_diff', 'ip'] as const;

/** Columns a canonical file must have; a missing one is a binder error, reported as "not canonical". */
const REQUIRED = ['ts', 'user_id', 'outcome'] as const;
const OPTIONAL = CANONICAL_COLUMNS.filter(c => !(REQUIRED as readonly string[]).includes(c));

/** How DuckDB reads a canonical file, from its extension (a trailing `.gz` is looked through). */
export type CanonicalReader = 'csv' | 'json' | 'parquet';

/** The reader for `file`: `.parquet`, `.json`/`.jsonl`/`.ndjson`, anything else CSV. */
export function canonicalReader(file: string): CanonicalReader {
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  return 'csv';
}

function hasRequired(names: readonly string[]): boolean {
  return REQUIRED.every(c => names.includes(c));
}

function detect(sample: FormatSample): boolean {
  const reader = canonicalReader(sample.file);
  if (reader === 'parquet') return true;
  const first = sample.records[0];
  if (reader === 'json' || first !== undefined) {
    return typeof first === 'object' && first !== null && !Array.isArray(first) && hasRequired(Object.keys(first));
  }
  const header = sample.text.split(/\r?\n/, 1)[0] ?? '';
  return hasRequired(header.split(/[,;\t|]/).map(name => name.trim().replace(/^"|"$/g, '')));
}

/** Columns staged as they are (see STAGED_COLUMNS): checking reads a typed value without printing and parsing it. */
const AS_TYPED: readonly string[] = ['latency_ms', 'mfa_challenged'];

/** Typed columns (parquet) are cast to text, but for AS_TYPED; an absent optional column reads as NULL. */
function columnsText(): Sql {
  const columns = CANONICAL_COLUMNS.map(c =>
    `${AS_TYPED.includes(c) ? `"${c}"` : `CAST("${c}" AS VARCHAR)`} AS ${c === 'ip' ? 'ip_raw' : c === 'user_id' ? 'user_raw' : c}`);
  return raw(columns.join(',\n       '));
}

function tabular(source: Sql): Sql {
  const template = raw(OPTIONAL.map(c => `NULL AS "${c}"`).join(', '));
  const known = raw([...CANONICAL_COLUMNS, '__source_row', '__record', '__none'].map(c => `'${c}'`).join(', '));
  // COLUMNS() may not expand to nothing, so `__none` keeps the extras struct non-empty; it is patched out again.
  return sql`
    WITH src AS (${source}),
    filled AS (FROM src UNION ALL BY NAME SELECT ${template}, NULL AS __none WHERE false),
    extra AS (SELECT *, to_json(struct_pack(*COLUMNS(c -> c NOT IN (${known}) OR c = '__none'))) AS __extra FROM filled)
    SELECT __source_row::BIGINT AS source_row,
           __record AS record,
           ${columnsText()},
           NULL::VARCHAR AS skip_reason,
           CASE WHEN __extra <> '{"__none":null}' THEN json_merge_patch(__extra, '{"__none":null}') END::JSON AS attributes
    FROM extra`;
}

function jsonLines(file: string): Sql {
  const fields = CANONICAL_COLUMNS.map(c => `json ->> '${c}' AS ${c === 'ip' ? 'ip_raw' : c === 'user_id' ? 'user_raw' : c}`);
  const known = `{${CANONICAL_COLUMNS.map(c => `"${c}":null`).join(',')}}`;
  return sql`
    WITH src AS (SELECT NULL AS source_row, json FROM read_json_objects(${file}, format = 'auto')),
    extra AS (SELECT *, json_merge_patch(json, ${known}) AS __extra FROM src)
    SELECT source_row::BIGINT AS source_row,
           json::VARCHAR AS record,
           ${raw(fields.join(',\n           '))},
           NULL::VARCHAR AS skip_reason,
           CASE WHEN __extra::VARCHAR <> '{}' THEN __extra END::JSON AS attributes
    FROM extra`;
}

function stage(file: string): Sql {
  switch (canonicalReader(file)) {
    case 'parquet':
      return tabular(sql`SELECT file_row_number + 1 AS __source_row,
               struct_pack(*COLUMNS(* EXCLUDE (file_row_number))) AS __record,
               * EXCLUDE (file_row_number)
        FROM read_parquet(${file}, file_row_number = true)`);
    case 'json':
      return jsonLines(file);
    case 'csv':
      // No source_row: the rows come in file order, and the pipeline numbers them (see STAGED_COLUMNS).
      return tabular(sql`SELECT NULL AS __source_row, r AS __record, r.*
        FROM read_csv(${file}, all_varchar = true, header = true) r`);
  }
}

/** Stagewise's own format: one login attempt per row, CSV, JSON Lines or Parquet, optionally gzipped. */
export const canonical: LoginFormat = {
  name: 'canonical',
  description: 'Stagewise canonical rows (event_id, ts, user_id, …, outcome) as CSV, JSON Lines or Parquet',
  detect,
  stage,
  // CSV and Parquet rows are staged as a STRUCT of the source's columns; JSON Lines as their text already.
  quarantineRecord: (record, file) => (canonicalReader(file) === 'json' ? record : sql`to_json(${record})`),
  // Parquet rows carry file_row_number and a second scan of a columnar file is cheap; text is parsed again in full.
  rereadable: file => canonicalReader(file) === 'parquet',
};
