import { raw, sql, type Sql } from '../../store/sql.js';

/** Keys whose array a vendor wraps its records in: Auth0 log-stream batches, CloudTrail S3 files, Reports API pages. */
export type WrapperKey = 'events' | 'Records' | 'items';

/**
 * A SELECT of `source_row` (1-based, file order) and `record` (JSON), one row per record of a JSON
 * file: JSON Lines, a JSON array, or either of those holding objects that wrap their records in
 * `wrapper` (an object whose `wrapper` member is an array is replaced by that array's elements; an
 * element `{json: {...}}`, Elastic's test-harness envelope, is unwrapped to its `json`).
 */
export function jsonRecords(file: string, wrapper?: WrapperKey): Sql {
  // A wrapper file (a CloudTrail S3 object, an API page) is one JSON value: allow it well past DuckDB's 16 MB default.
  const objects = sql`SELECT ordinality AS object_row, json AS object
    FROM read_json_objects(${file}, format = 'auto', maximum_object_size = 268435456) WITH ORDINALITY`;
  if (wrapper === undefined) return sql`SELECT object_row AS source_row, object AS record FROM (${objects})`;
  const member = raw(`'$.${wrapper}'`);
  const elements = raw(`'$.${wrapper}[*]'`);
  return sql`
    WITH objects AS (${objects}),
    items AS (
      SELECT object_row, 1 AS item_row, object AS record
      FROM objects WHERE json_type(object, ${member}) IS DISTINCT FROM 'ARRAY'
      UNION ALL
      SELECT object_row, element.item_row, coalesce(element.item -> '$.json', element.item)
      FROM objects, unnest(json_extract(object, ${elements})) WITH ORDINALITY AS element(item, item_row)
      WHERE json_type(object, ${member}) = 'ARRAY'
    )
    SELECT row_number() OVER (ORDER BY object_row, item_row) AS source_row, record FROM items`;
}
