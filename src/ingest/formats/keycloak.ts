import type { LoginFormat } from '../format.js';
import { raw, sql, type Sql } from '../../store/sql.js';
import { sampleLines } from './vendor-detect.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

type Key = 'type' | 'realmId' | 'realmName' | 'clientId' | 'userId' | 'username' | 'ipAddress' | 'error'
  | 'identity_provider' | 'auth_method' | 'auth_type';

/** The value of `key=value` (Keycloak ≤ 20) or `key="value"` (Keycloak ≥ 21) in an event line; 'null' is NULL. */
function value(key: Key): Sql {
  return sql`nullif(nullif(regexp_extract(line, ${raw(`'[ ,]${key}="?([^",]*)'`)}, 1), ''), 'null')`;
}

/** Lines of server.log: WildFly's `HH:mm:ss,SSS LEVEL [category] (thread) message`, or Quarkus' with a leading date. */
const fields = (file: string, date: string | null) => sql`
  WITH lines AS (
    SELECT l.line_number AS source_row, rtrim(l.line, chr(13)) AS line
    FROM read_text(${file}) AS f, unnest(string_split(f.content, chr(10))) WITH ORDINALITY AS l(line, line_number)
  )
  SELECT source_row, line AS record, line,
         regexp_extract(line, '^(\\d{4}-\\d{2}-\\d{2})[ T]', 1) AS line_date,
         regexp_extract(line, '^(?:\\d{4}-\\d{2}-\\d{2}[ T])?(\\d{2}:\\d{2}:\\d{2}(?:[,.]\\d+)?)', 1) AS line_time,
         regexp_extract(line, '^\\S+(?: \\S+)?\\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\s+\\[([^\\]]+)\\]', ['level', 'category']) AS head,
         ${date}::VARCHAR AS option_date
  FROM lines
  WHERE trim(line) <> ''`;

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
      user_raw: sql`coalesce(${value('username')}, ${value('userId')})`,
      // Keycloak ≥ 21 logs the realm's id as a UUID beside its name; older versions log only realmId (usually the name).
      tenant: sql`coalesce(${value('realmName')}, ${value('realmId')})`,
      idp: value('identity_provider'),
      app: value('clientId'),
      outcome: sql`CASE ${value('type')} WHEN 'LOGIN' THEN 'success' WHEN 'LOGIN_ERROR' THEN 'failure' ELSE ${value('type')} END`,
      error_code: value('error'),
      ip_raw: value('ipAddress'),
      skip_reason: sql`CASE WHEN head.category IS DISTINCT FROM 'org.keycloak.events' THEN 'not a Keycloak event line'
                            WHEN ${value('type')} IS NULL THEN 'no event type'
                            WHEN ${value('type')} NOT IN ('LOGIN', 'LOGIN_ERROR') THEN 'not a login event: ' || ${value('type')} END`,
      attributes: attributesObject({
        realm_id: value('realmId'),
        user_id: value('userId'),
        auth_method: value('auth_method'),
        auth_type: value('auth_type'),
        level: sql`nullif(head.level, '')`,
        time_of_day: sql`CASE WHEN line_date = '' THEN nullif(line_time, '') END`,
      }),
    }),
};
