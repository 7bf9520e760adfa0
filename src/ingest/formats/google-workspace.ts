import type { LoginFormat } from '../format.js';
import { ident, join, sql, type Sql } from '../../store/sql.js';
import { at, sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecordFields } from './vendor-json.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

const PARAMETERS = ['login_type', 'login_failure_type', 'login_challenge_method', 'is_second_factor', 'is_suspicious',
  'application_name', 'saml_status_code'] as const;

/**
 * A login parameter as text (a multi-valued one, login_challenge_method, joined with '+'), as a column named
 * for it. The Reports API lists `[{name, value | multiValue | boolValue | intValue}]`; Panther has `{name: value}`.
 */
function parameter(name: (typeof PARAMETERS)[number]): Sql {
  const value = sql`CASE WHEN json_type(parameters) = 'ARRAY'
      THEN list_transform(list_filter(json_extract(parameters, '$[*]'), lambda p: (p ->> '$.name') = ${name}),
                          lambda p: coalesce(p -> '$.value', p -> '$.multiValue', p -> '$.boolValue', p -> '$.intValue'))[1]
      ELSE parameters -> ${'$.' + name} END`;
  return sql`CASE WHEN json_type(${value}) = 'ARRAY' THEN array_to_string(json_extract_string(${value}, '$[*]'), '+')
                  ELSE json_extract_string(${value}, '$') END AS ${ident(name)}`;
}

// One activity per record. The Reports API gives `events` as an array (the login event is taken:
// the first named login_success/login_failure, else the first); Elastic's fixtures give one object;
// Panther's flattened layout puts `name`, `type` and `parameters` at the top level. The record is parsed
// once for its text fields (with the `items` page wrapper) and once for `events` and `parameters` as JSON.
const fields = (file: string) => sql`
  WITH activities AS (
    SELECT *,
           CASE WHEN json_type(events) = 'ARRAY'
                THEN coalesce(list_filter(json_extract(events, '$[*]'),
                                          lambda e: (e ->> 'name') IN ('login_success', 'login_failure'))[1],
                              events -> '$[0]')
                ELSE events END AS event
    FROM (${jsonRecordFields(file, ['items'], {
      text: {
        unique_qualifier: '$.id.uniqueQualifier', customer_id: '$.id.customerId', id_application: '$.id.applicationName',
        id_time: '$.id.time', actor_email: '$.actor.email', owner_domain: '$.ownerDomain', ip_address: '$.ipAddress',
        profile_id: '$.actor.profileId', top_name: '$.name', top_type: '$.type',
      },
      json: { events: '$.events', top_parameters: '$.parameters' },
    })})
  ),
  events AS (
    SELECT *,
           coalesce(event ->> '$.name', top_name) AS name,
           coalesce(event ->> '$.type', top_type) AS type,
           coalesce(event -> '$.parameters', top_parameters) AS parameters
    FROM activities
  )
  SELECT *, ${join(PARAMETERS.map(parameter), ', ')},
         string_split(login_challenge_method, '+') AS challenge_methods
  FROM events`;

function looksLikeGoogleWorkspace(record: JsonObject): boolean {
  const application = at(record, 'id', 'applicationName');
  if (record['kind'] === 'admin#reports#activity' || record['kind'] === 'admin#reports#activities') return true;
  return typeof application === 'string' && ('events' in record || 'name' in record || 'type' in record);
}

/**
 * Google Workspace Admin SDK Reports activities for the `login` (and `saml`) applications:
 * `login_success` and `login_failure` are login attempts; challenges and verifications are
 * intermediate steps of one, and logouts and account warnings are not logins, so all are skipped.
 */
export const googleWorkspace: LoginFormat = {
  name: 'google_workspace',
  description: 'Google Workspace Reports API login activities (JSON Lines, API pages, or Panther-flattened)',
  detect: (sample) => sampleObjects(sample, ['items']).some(looksLikeGoogleWorkspace),
  stage: (file) =>
    stagedSelect(fields(file), {
      event_id: sql`CASE WHEN unique_qualifier IS NOT NULL
                         THEN concat_ws('/', customer_id, id_application, id_time, unique_qualifier, name) END`,
      ts: sql`id_time`,
      user_raw: sql`actor_email`,
      tenant: sql`coalesce(customer_id, owner_domain)`,
      idp: sql`login_type`,
      app: sql`application_name`,
      outcome: sql`CASE name WHEN 'login_success' THEN 'success' WHEN 'login_failure' THEN 'failure' ELSE name END`,
      error_code: sql`CASE WHEN name = 'login_failure' THEN login_failure_type END`,
      mfa_challenged: sql`CASE WHEN login_challenge_method IS NOT NULL
                               THEN CAST(len(list_filter(challenge_methods, lambda m: m NOT IN ('password', 'none'))) > 0 AS VARCHAR) END`,
      ip_raw: sql`ip_address`,
      skip_reason: sql`CASE WHEN name IS NULL THEN 'no event name'
                            WHEN name IN ('login_challenge', 'login_verification') THEN 'intermediate step: ' || name
                            WHEN name NOT IN ('login_success', 'login_failure') THEN 'not a login event: ' || name
                            WHEN type IS DISTINCT FROM 'login' AND id_application IS DISTINCT FROM 'saml'
                              THEN 'not a login event: ' || coalesce(type, '(no type)') || '.' || name END`,
      attributes: attributesObject({
        application: sql`id_application`,
        challenge_method: sql`login_challenge_method`,
        is_second_factor: sql`is_second_factor`,
        is_suspicious: sql`is_suspicious`,
        saml_status_code: sql`saml_status_code`,
        profile_id: sql`profile_id`,
      }),
    }),
};
