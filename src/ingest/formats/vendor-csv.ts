import { sql, type Sql } from '../../store/sql.js';

/**
 * A SELECT of `source_row` (NULL: the rows come in file order, for the pipeline to number; see STAGED_COLUMNS)
 * and `record` (the row as a JSON object of strings, keyed by header) over a CSV file with a header; every value
 * is read as text, an empty cell as NULL.
 */
export function csvRecords(file: string): Sql {
  return sql`SELECT NULL::BIGINT AS source_row, to_json(row) AS record FROM read_csv(${file}, header = true, all_varchar = true) AS row`;
}
