import { join, raw, sql, type Sql } from '../../store/sql.js';

/**
 * Keys whose array a vendor wraps its records in: Auth0 log-stream batches (`events`), CloudTrail S3
 * files (`Records`), Azure Event Hub messages (`records`), Reports API pages (`items`), Graph pages (`value`).
 */
export type WrapperKey = 'events' | 'Records' | 'records' | 'items' | 'value';

/**
 * A SELECT of `source_row` (1-based, file order) and `record` (JSON), one row per record of a JSON
 * file: JSON Lines, a JSON array, or either of those holding objects that wrap their records in one
 * of `wrappers` (an object whose wrapper member is an array is replaced by that array's elements; an
 * element `{json: {...}}`, Elastic's test-harness envelope, is unwrapped to its `json`).
 */
export function jsonRecords(file: string, wrappers: readonly WrapperKey[] = []): Sql {
  // A wrapper file (a CloudTrail S3 object, an API page) is one JSON value: allow it well past DuckDB's 16 MB default.
  const objects = sql`SELECT ordinality AS object_row, json AS object
    FROM read_json_objects(${file}, format = 'auto', maximum_object_size = 268435456) WITH ORDINALITY`;
  if (wrappers.length === 0) return sql`SELECT object_row AS source_row, object AS record FROM (${objects})`;
  const elements = wrappers.map((key) =>
    raw(`CASE WHEN json_type(object, '$.${key}') = 'ARRAY' THEN json_extract(object, '$.${key}[*]') END`));
  return sql`
    WITH objects AS (${objects}),
    unwrapped AS (SELECT object_row, object, coalesce(${join(elements, ', ')}) AS elements FROM objects),
    items AS (
      SELECT object_row, 1 AS item_row, object AS record FROM unwrapped WHERE elements IS NULL
      UNION ALL
      SELECT object_row, element.item_row, coalesce(element.item -> '$.json', element.item)
      FROM unwrapped, unnest(elements) WITH ORDINALITY AS element(item, item_row)
      WHERE elements IS NOT NULL
    )
    SELECT row_number() OVER (ORDER BY object_row, item_row) AS source_row, record FROM items`;
}
