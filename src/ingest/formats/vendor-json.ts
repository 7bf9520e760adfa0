import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ident, join, raw, sql, type Identifier, type Sql } from '../../store/sql.js';

/** DuckDB's default largest JSON object, and the most a wrapper file may hold in one object. */
const DEFAULT_OBJECT_BYTES = 16 * 2 ** 20;
const MAX_OBJECT_BYTES = 256 * 2 ** 20;

/** How much of a file `maximumObjectSize` reads to find where its first JSON value ends. */
const PROBE_BYTES = 2 ** 20;

/**
 * `maximum_object_size` for reading a file that may wrap its records in one JSON value: DuckDB's 16 MiB default
 * when the file's first value (an object) ends within its first MiB and another follows, or the file is an array
 * (JSON Lines or arrays of records: every record an object of its own); otherwise the file's size (one value the
 * size of the file, e.g. a CloudTrail S3 object), at least the default and at most 256 MiB; 256 MiB for a
 * compressed file, whose bytes say nothing. Each reading thread holds buffers of twice this, so neither a 2 KB S3
 * object nor a 600 MB JSON Lines export may ask for 2 × 256 MiB: under a memory limit both failed.
 */
export function maximumObjectSize(file: string): number {
  if (/\.(gz|zst)$/i.test(file)) return MAX_OBJECT_BYTES;
  let size: number;
  let head: Buffer;
  try {
    size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      head = Buffer.alloc(Math.min(size, PROBE_BYTES));
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return MAX_OBJECT_BYTES; // not a plain file (a glob DuckDB expands): keep the generous limit
  }
  const whole = Math.min(MAX_OBJECT_BYTES, Math.max(DEFAULT_OBJECT_BYTES, size + 1));
  const end = firstValueEnd(head);
  if (end === 'array') return DEFAULT_OBJECT_BYTES;
  if (end === undefined) return whole;
  return head.subarray(end).some((b) => b === 0x7b) ? DEFAULT_OBJECT_BYTES : whole;
}

/** Where the first top-level JSON value of `bytes` ends (the index after it), 'array' if it is an array, undefined if it does not end in them. */
function firstValueEnd(bytes: Uint8Array): number | 'array' | undefined {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09 || bytes[i]! >= 0xef)) i++;
  if (bytes[i] === 0x5b) return 'array';
  let depth = 0;
  let inString = false;
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if ((b === 0x7d || b === 0x5d) && --depth === 0) return i + 1;
  }
  return undefined;
}

/**
 * Keys whose array a vendor wraps its records in: Auth0 log-stream batches (`events`), CloudTrail S3
 * files (`Records`), Azure Event Hub messages (`records`), Reports API pages (`items`), Graph pages (`value`).
 */
export type WrapperKey = 'events' | 'Records' | 'records' | 'items' | 'value';

/**
 * A SELECT of `source_row` (NULL: the rows come in file order, for the pipeline to number; see STAGED_COLUMNS) and
 * `record` (JSON), one row per record of a JSON file: JSON Lines, a JSON array, or either of those holding objects that
 * wrap their records in one of `wrappers` (an object whose wrapper member is an array is replaced by that array's
 * elements, in order; an element `{json: {...}}`, Elastic's test-harness envelope, is unwrapped to its `json`).
 */
export function jsonRecords(file: string, wrappers: readonly WrapperKey[] = []): Sql {
  // A JSON array's elements, like JSON Lines, are each an object of their own: DuckDB's 16 MB limit per object holds.
  if (wrappers.length === 0) return sql`SELECT NULL::BIGINT AS source_row, json AS record FROM read_json_objects(${file}, format = 'auto')`;
  // A wrapper file (a CloudTrail S3 object, an API page) is one JSON value: allow it up to the file's size.
  const paths = raw(wrappers.map((key) => `'$.${key}'`).join(', '));
  const elements = wrappers.map((key, i) =>
    raw(`CASE WHEN types[${i + 1}] = 'ARRAY' THEN json_extract(object, '$.${key}[*]') END`));
  // unnest in the SELECT list keeps the scan's order, so the records come in file order without a row_number() window.
  // Its argument is a column, not an expression: unnest evaluates an expression again for every chunk it puts out.
  return sql`
    SELECT NULL::BIGINT AS source_row, unnest(records) AS record
    FROM (SELECT CASE WHEN elements IS NULL THEN [object]
                      ELSE list_transform(elements, lambda item: coalesce(item -> '$.json', item)) END AS records
          FROM (SELECT object, coalesce(${join(elements, ', ')}) AS elements
                FROM (SELECT json AS object, json_type(json, [${paths}]) AS types
                      FROM read_json_objects(${file}, format = 'auto', maximum_object_size = ${maximumObjectSize(file)}))))`;
}

/** Paths to read from a JSON column, by the name of the column each becomes: `{ event_type: '$.eventType' }`. */
export type JsonPaths = Readonly<Record<string, string>>;

/** Paths to read, by kind (see withJsonFields). */
export type JsonFields = { readonly [K in JsonFieldKind]?: JsonPaths };

/**
 * What `withJsonFields` reads at a path: its text (`->>`), its JSON (`->`), its JSON type (`json_type`), or its
 * text by one json_transform (`struct`, and `number` for a path that may hold a number; see structFields).
 */
export type JsonFieldKind = 'text' | 'json' | 'type' | 'struct' | 'number';

const EXTRACT: Readonly<Record<'text' | 'json' | 'type', string>> = { text: 'json_extract_string', json: 'json_extract', type: 'json_type' };

/** A `struct` path: `$.` and plain keys joined by dots. */
const STRUCT_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * Whether a text json_transform wrote may be a real number as DuckDB prints one (`1e+23`, `1e-07`, `100000.0`): it
 * starts as a number does and has a `.` or an exponent. Only such a value may differ from what `->>` gives.
 */
const mayBeReal = (text: Sql): Sql =>
  sql`(contains(${text}, '.') OR contains(${text}, 'e')) AND (${text}[1] BETWEEN '0' AND '9' OR ${text}[1] = '-')`;

/**
 * `struct` and `number` fields: one `json_transform` into a STRUCT holding every path as VARCHAR, and the fields
 * taken from it. json_extract_string looks each path up in turn, so ~80 paths cost several times the parse;
 * json_transform walks each object's members once. The text is what `text` gives (a string unquoted, an object or
 * array as JSON text, a JSON null or a missing key NULL, a mismatched shape NULL), but for a real number, which
 * DuckDB prints itself (`1e+23` where `->>` gives `1e23`, `1e-07` for `1e-7`): a `number` field whose text may be one
 * (mayBeReal) is read again with `->>`, so it is exactly what `text` gives. Paths are `$.key.key…` of plain keys;
 * one may not be the prefix of another (a key is one type).
 *
 * @throws {RangeError} for a path of another form, or one that is the prefix of another.
 */
function structFields(column: string, fields: JsonFields): { extract: Sql; named: Sql[] } {
  type Shape = { [key: string]: Shape | 'VARCHAR' };
  const shape: Shape = {};
  const struct = Object.entries(fields.struct ?? {});
  const number = Object.entries(fields.number ?? {});
  for (const [, path] of [...struct, ...number]) {
    if (!STRUCT_PATH.test(path)) throw new RangeError(`structFields: ${path} is not $.key.key… of plain keys`);
    const keys = path.slice(2).split('.');
    let node = shape;
    keys.forEach((key, i) => {
      const last = i === keys.length - 1;
      const existing = node[key];
      if (existing === undefined) node[key] = last ? 'VARCHAR' : {};
      else if ((existing === 'VARCHAR') !== last) throw new RangeError(`structFields: ${path} and another path disagree on what ${key} holds`);
      const next = node[key];
      if (typeof next === 'object') node = next;
    });
  }
  // Fields are taken by position: DuckDB finds a STRUCT field by name without regard to case, and vendors spell
  // one key in several cases (`Category`, `category`). JavaScript keeps the keys in insertion order, as JSON.stringify
  // writes them and as json_transform numbers the fields.
  const list = ident('__struct');
  const field = (path: string): Sql => {
    let node: Shape | 'VARCHAR' = shape;
    let value = sql`${list}`;
    for (const key of path.slice(2).split('.')) {
      if (typeof node !== 'object') break;
      value = sql`struct_extract_at(${value}, ${raw(String(Object.keys(node).indexOf(key) + 1))})`;
      node = node[key] ?? 'VARCHAR';
    }
    return value;
  };
  // The shape and the paths are plain keys (STRUCT_PATH): no quote can enter these literals.
  return {
    extract: sql`json_transform(${ident(column)}, ${raw(`'${JSON.stringify(shape)}'`)}) AS ${list}`,
    named: [
      ...struct.map(([name, path]) => sql`${field(path)} AS ${ident(name)}`),
      ...number.map(([name, path]) => sql`CASE WHEN ${mayBeReal(field(path))} THEN json_extract_string(${ident(column)}, ${raw(`'${path}'`)})
        ELSE ${field(path)} END AS ${ident(name)}`),
    ],
  };
}

/**
 * `source` with the named fields of its JSON `column` added. `->>` and `->` parse the whole document for each
 * path; here all `text` paths are read with one parse, all `json` paths with one more, all `type` paths with
 * one more, and all `struct` and `number` paths with one json_transform (structFields). A `text` field is what
 * `column ->> path` gives (an object or array as its JSON text), a `json` field what `column -> path` gives, a `type`
 * field what `json_type(column, path)` gives ('OBJECT', 'VARCHAR', 'NULL' for a JSON null, …); a missing path is NULL.
 * Paths are SQL literals (written in this code base), so DuckDB compiles them once.
 */
export function withJsonFields(source: Sql, column: string, fields: JsonFields): Sql {
  const lists: { name: Identifier; extract: Sql }[] = [];
  const named: Sql[] = [];
  for (const kind of ['text', 'json', 'type'] as const) {
    const entries = Object.entries(fields[kind] ?? {});
    if (entries.length === 0) continue;
    const list = ident(`__${kind}`);
    lists.push({ name: list, extract: sql`${raw(EXTRACT[kind])}(${ident(column)}, ${pathList(entries.map(([, path]) => path))}) AS ${list}` });
    named.push(...entries.map(([name], i) => sql`${list}[${raw(String(i + 1))}] AS ${ident(name)}`));
  }
  if (Object.keys({ ...fields.struct, ...fields.number }).length > 0) {
    const { extract, named: fromStruct } = structFields(column, fields);
    lists.push({ name: ident('__struct'), extract });
    named.push(...fromStruct);
  }
  if (lists.length === 0) return source;
  return sql`SELECT * EXCLUDE (${join(lists.map((l) => l.name), ', ')}), ${join(named, ', ')}
    FROM (SELECT *, ${join(lists.map((l) => l.extract), ', ')} FROM (${source}))`;
}

/** A list literal of JSON paths (written in this code base, so DuckDB compiles them once). */
function pathList(paths: readonly string[]): Sql {
  return raw(`[${paths.map((path) => `'${path.replaceAll("'", "''")}'`).join(', ')}]`);
}

/**
 * `withJsonFields(jsonRecords(file, wrappers), 'record', fields)`, with the wrapper members read in the same parse
 * as the `text` fields, or, when there are none, the `type` fields: an object is parsed once for both. By text, only
 * an object whose wrapper member's text starts with `[` (an array, or a string that looks like one) is parsed again,
 * to tell the two apart; by type, only an object whose wrapper member is an array. A record taken out of a wrapper
 * has those fields read from it alone; the other kinds are read after, from each record.
 */
export function jsonRecordFields(file: string, wrappers: readonly WrapperKey[], fields: JsonFields): Sql {
  if (wrappers.length === 0) return withJsonFields(jsonRecords(file), 'record', fields);
  const kind = Object.keys(fields.text ?? {}).length === 0 && Object.keys(fields.type ?? {}).length > 0 ? 'type' : 'text';
  const { [kind]: first = {}, ...others } = fields;
  const list = ident(`__${kind}`);
  const extract = (column: string) =>
    sql`${raw(EXTRACT[kind])}(${ident(column)}, ${pathList([...wrappers.map((key) => `$.${key}`), ...Object.values(first)])})`;
  const elements = wrappers.map((key, i) => {
    const member = sql`${list}[${raw(String(i + 1))}]`;
    const array = sql`json_extract(object, ${raw(`'$.${key}[*]'`)})`;
    return kind === 'type' ? sql`CASE WHEN ${member} = 'ARRAY' THEN ${array} END`
      : sql`CASE WHEN starts_with(${member}, '[') THEN CASE WHEN json_type(object, ${raw(`'$.${key}'`)}) = 'ARRAY' THEN ${array} END END`;
  });
  const named = Object.keys(first).map((name, i) => sql`${list}[${raw(String(wrappers.length + i + 1))}] AS ${ident(name)}`);
  // unnest in the SELECT list keeps the scan's order (see jsonRecords); the list, NULL for a wrapper's records, repeats.
  const records = sql`
    SELECT source_row, record${named.length > 0 ? sql`, ${join(named, ', ')}` : sql``}
    FROM (SELECT NULL::BIGINT AS source_row, record, CASE WHEN ${list} IS NULL THEN ${extract('record')} ELSE ${list} END AS ${list}
          FROM (SELECT unnest(records) AS record, ${list}
                FROM (SELECT CASE WHEN elements IS NULL THEN [object]
                                  ELSE list_transform(elements, lambda item: coalesce(item -> '$.json', item)) END AS records,
                             CASE WHEN elements IS NULL THEN ${list} END AS ${list}
                      FROM (SELECT object, ${list}, coalesce(${join(elements, ', ')}) AS elements
                            FROM (SELECT json AS object, ${extract('json')} AS ${list}
                                  FROM read_json_objects(${file}, format = 'auto', maximum_object_size = ${maximumObjectSize(file)}))))))`;
  return withJsonFields(records, 'record', others);
}
