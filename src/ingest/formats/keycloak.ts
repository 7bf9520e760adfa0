import type { LoginFormat } from '../format.js';
import { ident, join, raw, sql, type Sql } from '../../store/sql.js';
import { sampleLines } from './vendor-detect.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

const KEYS = ['type', 'realmId', 'realmName', 'clientId', 'userId', 'username', 'ipAddress', 'error',
  'identity_provider', 'auth_method', 'auth_type'] as const;

/** The value of `key=value` (Keycloak ≤ 20) or `key="value"` (Keycloak ≥ 21) in an event line, as a column; `null` is NULL. */
function value(key: (typeof KEYS)[number]): Sql {
  return sql`CASE WHEN is_event THEN nullif(nullif(regexp_extract(line, ${raw(`'[ ,]${key}="?([^",]*)'`)}, 1), ''), 'null') END AS ${ident(key)}`;
}

/** Lines of server.log: WildFly's `HH:mm:ss,SSS LEVEL [category] (thread) message`, or Quarkus' with a leading date. */
const fields = (file: string, date: string | null) => sql`
  WITH lines AS (
    -- Each line whole, as one CSV column: a delimiter no log line holds, no quoting. Streams, and reads .gz.
    SELECT ordinality AS source_row, rtrim(line, chr(13)) AS line
    FROM read_csv(${file}, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
                  auto_detect = false, strict_mode = false) WITH ORDINALITY
  ),
  heads AS (
    SELECT source_row, line,
           regexp_extract(line, '^(\\d{4}-\\d{2}-\\d{2})[ T]', 1) AS line_date,
           regexp_extract(line, '^(?:\\d{4}-\\d{2}-\\d{2}[ T])?(\\d{2}:\\d{2}:\\d{2}(?:[,.]\\d+)?)', 1) AS line_time,
           regexp_extract(line, '^\\S+(?: \\S+)?\\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\s+\\[([^\\]]+)\\]',
                          ['level', 'category']) AS head
    FROM lines
    WHERE trim(coalesce(line, '')) <> ''
  ),
  events AS (
    SELECT source_row, line_date, line_time, head.level AS level, line,
           head.category = 'org.keycloak.events' AS is_event
    FROM heads
  )
  SELECT source_row, line AS record, line_date, line_time, level, is_event, ${date}::VARCHAR AS option_date,
         ${join(KEYS.map(value), ', ')}
  FROM events`;

/**
 * Keycloak `server.log` text: `org.keycloak.events` lines of type LOGIN (success) and LOGIN_ERROR
 * (failure) are login attempts; other event types and all other lines are skipped. WildFly-era
 * timestamps carry no date: `options.date` supplies it, and without it ts is NULL (quarantined).
 */
export const keycloak: LoginFormat = {
  name: 'keycloak',
  description: 'Keycloak server.log text with org.keycloak.events lines (LOGIN, LOGIN_ERROR)',
  detect: (sample) => sampleLines(sample, 2000).some((line) => /\[org\.keycloak\.events\].*\btype="?[A-Z_]+/.test(line)),
  stage: (file, options) =>
    stagedSelect(fields(file, options.date ?? null), {
      ts: sql`CASE WHEN line_time <> '' AND coalesce(nullif(line_date, ''), option_date) IS NOT NULL
                   THEN coalesce(nullif(line_date, ''), option_date) || ' ' || replace(line_time, ',', '.') END`,
      user_raw: sql`coalesce(username, userId)`,
      // Keycloak ≥ 21 logs the realm's id as a UUID beside its name; older versions log only realmId (usually the name).
      tenant: sql`coalesce(realmName, realmId)`,
      idp: sql`identity_provider`,
      app: sql`clientId`,
      outcome: sql`CASE type WHEN 'LOGIN' THEN 'success' WHEN 'LOGIN_ERROR' THEN 'failure' ELSE type END`,
      error_code: sql`error`,
      ip_raw: sql`ipAddress`,
      skip_reason: sql`CASE WHEN NOT is_event THEN 'not a Keycloak event line'
                            WHEN type IS NULL THEN 'no event type'
                            WHEN type NOT IN ('LOGIN', 'LOGIN_ERROR') THEN 'not a login event: ' || type END`,
      attributes: attributesObject({
        realm_id: sql`realmId`,
        user_id: sql`userId`,
        auth_method: sql`auth_method`,
        auth_type: sql`auth_type`,
        level: sql`nullif(level, '')`,
        time_of_day: sql`CASE WHEN line_date = '' THEN nullif(line_time, '') END`,
      }),
    }),
};
