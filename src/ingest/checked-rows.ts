import type { FormatName } from './format.js';
import { ipPrefix } from './ip-prefix.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';

/** What a run fills in where the source leaves a value out, and the key that pseudonymises users. */
export interface CheckSettings {
  /** The format the rows were staged by; the provider when neither the row nor `provider` names one. */
  format: FormatName;
  /** `--provider`: the provider of rows that name none. */
  provider?: string | undefined;
  /** `--tenant`: the tenant of rows that name none. */
  tenant?: string | undefined;
  /** Secret prefix of the keyed hash (hex); see pseudonym-key.ts. */
  pseudonymKey: string;
  /** SQL over the staged `record` giving the text kept in quarantine (LoginFormat.quarantineRecord); default `record`. */
  quarantineRecord?: Sql | undefined;
}

/** A checked row that is neither skipped nor quarantined. */
const LOADABLE = sql`skip_reason IS NULL AND problem IS NULL`;

/** Longest source value quoted in a quarantine reason. */
const QUOTED = 60;

/** The first problem that keeps a staged row out of login_events, or NULL. Columns are those of parsedRows below. */
const PROBLEM = sql`CASE
    WHEN ts IS NULL THEN 'missing timestamp'
    WHEN ts_value IS NULL THEN 'unparseable timestamp: ' || left(ts, ${QUOTED})
    WHEN outcome IS NULL THEN 'missing outcome'
    WHEN outcome NOT IN ('success', 'failure') THEN 'unknown outcome: ' || left(outcome, ${QUOTED})
    WHEN latency_ms IS NOT NULL AND (latency_value IS NULL OR NOT isfinite(latency_value))
      THEN 'latency_ms is not a number: ' || left(latency_ms::VARCHAR, ${QUOTED})
    WHEN latency_value < 0 THEN 'latency_ms is negative: ' || left(latency_ms::VARCHAR, ${QUOTED})
    WHEN mfa_challenged IS NOT NULL AND mfa_value IS NULL
      THEN 'mfa_challenged is not a boolean: ' || left(mfa_challenged::VARCHAR, ${QUOTED})
    WHEN shadow_outcome NOT IN ('match', 'mismatch', 'shadow_error')
      THEN 'unknown shadow_outcome: ' || left(shadow_outcome, ${QUOTED})
  END`;

/*
 * latency_ms and mfa_challenged may be staged as text or as a typed source's value (STAGED_COLUMNS). typeof() is
 * folded to a constant when the query is bound, so each CASE below costs only its one branch: a DOUBLE or BOOLEAN is
 * taken as it is (printing and parsing it gave back the same value, at ~0.09 CPU s per 1M rows for the two columns),
 * any other type goes through its text, as every value did.
 */
/** A staged column that may be typed, NULL where it is empty text. */
const emptyAsNull = (column: string): Sql =>
  sql`CASE WHEN typeof(${ident(column)}) = 'VARCHAR' AND ${ident(column)}::VARCHAR = '' THEN NULL ELSE ${ident(column)} END`;
/** A staged column that may be typed, as `type`: NULL where it is not one. */
const typedValue = (column: string, type: 'DOUBLE' | 'BOOLEAN'): Sql => sql`CASE
    WHEN typeof(${ident(column)}) IN ('VARCHAR', ${raw(`'${type}'`)}) THEN TRY_CAST(${ident(column)} AS ${raw(type)})
    ELSE TRY_CAST(${ident(column)}::VARCHAR AS ${raw(type)}) END`;

/** Staged text columns that checks do not read: the row hash of a record without an event_id cleans them itself. */
const HASHED_TEXT = ['user_raw', 'tenant', 'idp', 'app', 'region', 'provider', 'error_code', 'shadow_diff', 'ip_raw'] as const;

/** A staged text column's value: empty text is NULL, an IP is trimmed first. */
const cleanText = (value: Sql, name: (typeof HASHED_TEXT)[number]): Sql =>
  name === 'ip_raw' ? sql`nullif(trim(${value}), '')` : sql`nullif(${value}, '')`;

/**
 * A staged column, cleaned, from the copy parsedRows keeps of it: a pass that reads only the checks and event ids
 * (narrowChecked) then cleans the other columns only for the rows it hashes.
 */
const hashed = (name: (typeof HASHED_TEXT)[number]): Sql => cleanText(sql`${ident(`__staged_${name}`)}`, name);

/** The staged rows with empty text made NULL and their values parsed (ts_value, latency_value, mfa_value). */
function parsedRows(stage: Sql): Sql {
  return sql`
    WITH staged AS (${stage}),
    clean AS (
      -- Empty text is a missing value; values are not trimmed (TRY_CAST ignores surrounding spaces).
      SELECT source_row, record, skip_reason, attributes,
             nullif(event_id, '') AS event_id, nullif(ts, '') AS ts,
             ${join(HASHED_TEXT.map((name) => sql`${cleanText(sql`${ident(name)}`, name)} AS ${ident(name)}`), ', ')},
             nullif(outcome, '') AS outcome,
             ${emptyAsNull('latency_ms')} AS latency_ms, ${emptyAsNull('mfa_challenged')} AS mfa_challenged,
             nullif(shadow_outcome, '') AS shadow_outcome,
             ${join(HASHED_TEXT.map((name) => sql`${ident(name)} AS ${ident(`__staged_${name}`)}`), ', ')}
      FROM staged)
    -- Values, pseudonyms and networks are only worked out for the rows that need them: skipped rows need none,
    -- quarantined rows only the values their checks read (a vendor file may skip most of its records).
    SELECT *,
           CASE WHEN skip_reason IS NULL THEN coalesce(TRY_CAST(ts AS TIMESTAMPTZ),
                    -- Epoch milliseconds: exactly 13 digits (2001-09-09 to 2286-11-20), so no number overflows.
                    CASE WHEN regexp_full_match(ts, '[0-9]{13}') THEN epoch_ms(ts::BIGINT)::TIMESTAMPTZ END) END AS ts_value,
           CASE WHEN skip_reason IS NULL THEN ${typedValue('latency_ms', 'DOUBLE')} END AS latency_value,
           CASE WHEN skip_reason IS NULL THEN ${typedValue('mfa_challenged', 'BOOLEAN')} END AS mfa_value
    FROM clean`;
}

/**
 * The login_events columns of a parsed row, from `event_id` (a missing one becomes a keyed hash of the row's typed
 * values) to `attributes`; the user pseudonymised and the IP cut to its network only where `loadable` holds.
 */
function loginColumns(settings: CheckSettings, loadable: Sql): Sql {
  const key = settings.pseudonymKey;
  return sql`CASE WHEN event_id IS NOT NULL THEN event_id
                WHEN ${loadable} THEN 'h:' || left(sha256(${key} || 'row:' || to_json([
                  epoch_us(ts_value)::VARCHAR, ${hashed('user_raw')}, ${hashed('tenant')}, ${hashed('idp')}, ${hashed('app')},
                  ${hashed('region')}, ${hashed('provider')}, outcome, ${hashed('error_code')}, latency_value::VARCHAR,
                  mfa_value::VARCHAR, shadow_outcome, ${hashed('shadow_diff')}, ${hashed('ip_raw')}, attributes::VARCHAR])), 32)
           END AS event_id,
           ts_value AS ts,
           CASE WHEN ${loadable} AND user_raw IS NOT NULL THEN left(sha256(${key} || 'user:' || user_raw), 32) END AS user_id,
           coalesce(tenant, ${settings.tenant ?? null}::VARCHAR) AS tenant,
           idp, app, region,
           coalesce(provider, ${settings.provider ?? null}::VARCHAR, ${settings.format}) AS provider,
           outcome, error_code,
           latency_value AS latency_ms,
           mfa_value AS mfa_challenged,
           shadow_outcome, shadow_diff,
           CASE WHEN ${loadable} AND ip_raw IS NOT NULL THEN ${ipPrefix(sql`ip_raw`)} END AS ip_prefix,
           attributes`;
}

/**
 * A SELECT over the `stage` query that types and checks every staged row, one output row per input row:
 * `skip_reason` (not a login attempt), `problem` (why it is quarantined), `record` (its text, computed only for those), and the
 * login_events columns, with the user pseudonymised and the IP cut to its network (both only for loadable rows). A missing event_id becomes
 * a keyed hash of the row's typed values, so the same row gets the same id from CSV, JSON or typed Parquet.
 */
export function checkedRows(stage: Sql, settings: CheckSettings): Sql {
  return sql`
    WITH checked AS (SELECT *, CASE WHEN skip_reason IS NULL THEN ${PROBLEM} END AS problem FROM (${parsedRows(stage)}))
    SELECT source_row, skip_reason, problem,
           CASE WHEN problem IS NOT NULL THEN (${settings.quarantineRecord ?? sql`record`})::VARCHAR END AS record,
           ${loginColumns(settings, LOADABLE)}
    FROM checked`;
}

/**
 * The login_events columns of `checkedRows`, with `source_row`, for rows the caller knows to be loadable (neither
 * skipped nor quarantined: it leaves the others out by source_row). The checks are not evaluated again, so a stage
 * read a second time costs its typing, pseudonyms and networks only.
 */
export function loadableRows(stage: Sql, settings: CheckSettings): Sql {
  return sql`SELECT source_row, ${loginColumns(settings, sql`true`)} FROM (${parsedRows(stage)})`;
}
