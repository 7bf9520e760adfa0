import { sql, type Sql } from '../../store/sql.js';

/**
 * A SELECT of `source_row` (1-based, file order) and `record` (the row as a JSON object of strings,
 * keyed by header) over a CSV file with a header; every value is read as text, an empty cell as NULL.
 */
export function csvRecords(file: string): Sql {
  // WITH ORDINALITY adds an `ordinality` column to the row; the merge patch drops it from the record.
  return sql`
    SELECT ordinality AS source_row, json_merge_patch(to_json(row), '{"ordinality": null}') AS record
    FROM (SELECT * FROM read_csv(${file}, header = true, all_varchar = true) WITH ORDINALITY) AS row`;
}
