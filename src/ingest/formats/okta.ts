import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { isJsonObject, sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecords, withJsonFields } from './vendor-json.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

// Panther's Okta test fixtures spell some top-level keys in lower case (`eventtype`,
// `authenticationcontext`); Okta never does, but reading both costs nothing and keeps those records.
// Every field is read from the record with one parse for the text fields and one for the objects.
const fields = (file: string) => sql`
  SELECT source_row, record, uuid, published, alternate_id, country, outcome_result, outcome_reason, ip_address,
         device, os, state, city,
         coalesce(event_type_camel, event_type_lower) AS event_type,
         upper(outcome_result) AS result,
         coalesce(auth_context_camel, auth_context_lower) AS auth_context,
         coalesce(debug_context_camel, debug_context_lower) AS debug_context,
         coalesce(legacy_event_type_camel, legacy_event_type_lower) AS legacy_event_type,
         nullif(browser_raw, 'UNKNOWN') AS browser,
         json_extract(targets, '$[*]') AS targets
  FROM (${withJsonFields(jsonRecords(file), 'record', {
    text: {
      event_type_camel: '$.eventType', event_type_lower: '$.eventtype',
      legacy_event_type_camel: '$.legacyEventType', legacy_event_type_lower: '$.legacyeventtype',
      outcome_result: '$.outcome.result', outcome_reason: '$.outcome.reason',
      uuid: '$.uuid', published: '$.published', alternate_id: '$.actor.alternateId',
      browser_raw: '$.client.userAgent.browser', os: '$.client.userAgent.os', device: '$.client.device',
      ip_address: '$.client.ipAddress', country: '$.client.geographicalContext.country',
      state: '$.client.geographicalContext.state', city: '$.client.geographicalContext.city',
    },
    json: {
      auth_context_camel: '$.authenticationContext', auth_context_lower: '$.authenticationcontext',
      debug_context_camel: '$.debugContext', debug_context_lower: '$.debugcontext',
      targets: '$.target',
    },
  })})`;

const isLogin = sql`(event_type = 'user.session.start' OR starts_with(event_type, 'user.authentication.'))`;
const outcome = sql`CASE WHEN result IN ('SUCCESS', 'ALLOW') THEN 'success'
                         WHEN result IN ('FAILURE', 'DENY') THEN 'failure'
                         ELSE outcome_result END`;

function looksLikeOkta(record: JsonObject): boolean {
  const eventType = record['eventType'] ?? record['eventtype'];
  return typeof eventType === 'string' && isJsonObject(record['actor']) && isJsonObject(record['outcome']);
}

/**
 * Okta System Log LogEvents (JSON Lines, or the `/api/v1/logs` JSON array). Login attempts are
 * `user.session.start` and `user.authentication.*`; a CHALLENGE outcome is an intermediate step
 * (the SUCCESS or FAILURE that settles it is a later event), so it is skipped, as is every other eventType.
 */
export const okta: LoginFormat = {
  name: 'okta',
  description: 'Okta System Log events (JSON Lines or the /api/v1/logs JSON array)',
  detect: (sample) => sampleObjects(sample).some(looksLikeOkta),
  stage: (file) =>
    stagedSelect(fields(file), {
      event_id: sql`uuid`,
      ts: sql`published`,
      user_raw: sql`alternate_id`,
      idp: sql`coalesce(auth_context ->> '$.credentialProvider', auth_context ->> '$.authenticationProvider')`,
      app: sql`coalesce(list_filter(targets, lambda t: (t ->> 'type') = 'AppInstance')[1] ->> 'displayName', browser)`,
      region: sql`country`,
      outcome,
      error_code: sql`CASE WHEN result IN ('FAILURE', 'DENY') THEN outcome_reason END`,
      mfa_challenged: sql`CASE WHEN event_type = 'user.authentication.auth_via_mfa' OR result = 'CHALLENGE' THEN 'true' END`,
      ip_raw: sql`ip_address`,
      skip_reason: sql`CASE WHEN event_type IS NULL THEN 'no eventType'
                            WHEN NOT ${isLogin} THEN 'not a login event: ' || event_type
                            WHEN result = 'CHALLENGE' THEN 'intermediate step: outcome CHALLENGE' END`,
      attributes: attributesObject({
        event_type: sql`event_type`,
        outcome_result: sql`outcome_result`,
        outcome_reason: sql`outcome_reason`,
        legacy_event_type: sql`legacy_event_type`,
        credential_type: sql`auth_context ->> '$.credentialType'`,
        factor: sql`debug_context ->> '$.debugData.factor'`,
        session_id: sql`auth_context ->> '$.externalSessionId'`,
        device: sql`device`,
        os: sql`os`,
        browser: sql`browser`,
        state: sql`state`,
        city: sql`city`,
      }),
    }),
};
