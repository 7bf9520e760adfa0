import type { Sql } from '../store/sql.js';

export type FormatName = 'canonical' | 'okta' | 'auth0' | 'entra' | 'cloudtrail' | 'google_workspace' | 'keycloak';
/** The start of a file, for detection: the first 64 KiB of text (decompressed), and up to 20 records parsed as JSON when the file is JSON/JSONL/a JSON array (else []). */
export interface FormatSample { file: string; text: string; records: readonly unknown[] }
/** Options a mapping may use. */
export interface StageOptions { /** Date for sources whose timestamps lack one (Keycloak server.log), YYYY-MM-DD. */ date?: string }
export interface LoginFormat {
  name: FormatName;
  /** One line, for docs and for `--format auto` messages. */
  description: string;
  /** Whether the sample looks like this format. */
  detect(sample: FormatSample): boolean;
  /**
   * A SELECT over `file` with exactly the STAGED_COLUMNS, one row per source record. Either `source_row` numbers
   * the records (the rows may then come in any order), or it is NULL and the rows come in file order.
   */
  stage(file: string, options: StageOptions): Sql;
  /**
   * The text kept in quarantine, as SQL over the staged `record` of `file`; without it, `record` is that text.
   * Lets a format stage a cheap value (the row as a STRUCT) and pay for its JSON text only on quarantined rows.
   */
  quarantineRecord?(record: Sql, file: string): Sql;
  /**
   * Whether ingest should read `file` twice (once for duplicates and quarantine, once straight into login_events)
   * rather than keep every checked row in a temp table: only for a stage that numbers every row (source_row) and
   * whose scan costs less than writing and re-reading its rows, such as Parquet. Without it, false.
   */
  rereadable?(file: string): boolean;
}
/** Columns every stage() SELECT returns, in this order. All VARCHAR except source_row BIGINT, attributes JSON, record (see below),
 *  and latency_ms and mfa_challenged, which a typed source may stage as they are (a DOUBLE or BOOLEAN is used as is, any other type through its text).
 *  source_row: 1-based record number in the file, or NULL for every row of a SELECT that keeps the file's order (a scan
 *  and projections: no join, sort or aggregate); the pipeline then numbers the rows in the order it stores them, which
 *  DuckDB keeps (preserve_insertion_order), so no serial row_number() window holds up a parallel scan; record: the raw record as text (for quarantine), or any value
 *  the format's quarantineRecord turns into that text;
 *  ts: the source timestamp as text (ISO-8601 with or without zone, 'YYYY-MM-DD hh:mm:ss', or epoch milliseconds);
 *  outcome: vendor mappings emit 'success'/'failure' (anything else is quarantined); mfa_challenged: 'true'/'false'/NULL;
 *  latency_ms: a number as text or NULL; provider/tenant may be NULL (filled from --provider/--tenant or the format name);
 *  skip_reason: NULL for a login attempt, else why it is not one ('not a login event: user.session.end') — counted as skipped. */
export const STAGED_COLUMNS = ['source_row','record','event_id','ts','user_raw','tenant','idp','app','region','provider',
  'outcome','error_code','latency_ms','mfa_challenged','shadow_outcome','shadow_diff','ip_raw','skip_reason','attributes'] as const;
