import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { isJsonObject, sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecords } from './vendor-json.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

// Panther's Okta test fixtures spell some top-level keys in lower case (`eventtype`,
// `authenticationcontext`); Okta never does, but reading both costs nothing and keeps those records.
const fields = (file: string) => sql`
  SELECT source_row, record,
         coalesce(record ->> '$.eventType', record ->> '$.eventtype') AS event_type,
         upper(record ->> '$.outcome.result') AS result,
         coalesce(record -> '$.authenticationContext', record -> '$.authenticationcontext') AS auth_context,
         coalesce(record -> '$.debugContext', record -> '$.debugcontext') AS debug_context,
         coalesce(record ->> '$.legacyEventType', record ->> '$.legacyeventtype') AS legacy_event_type,
         nullif(record ->> '$.client.userAgent.browser', 'UNKNOWN') AS browser
  FROM (${jsonRecords(file)})`;

const isLogin = sql`(event_type = 'user.session.start' OR starts_with(event_type, 'user.authentication.'))`;
const outcome = sql`CASE WHEN result IN ('SUCCESS', 'ALLOW') THEN 'success'
                         WHEN result IN ('FAILURE', 'DENY') THEN 'failure'
                         ELSE record ->> '$.outcome.result' END`;

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
      event_id: sql`record ->> '$.uuid'`,
      ts: sql`record ->> '$.published'`,
      user_raw: sql`record ->> '$.actor.alternateId'`,
      idp: sql`coalesce(auth_context ->> '$.credentialProvider', auth_context ->> '$.authenticationProvider')`,
      app: sql`coalesce(list_filter(json_extract(record, '$.target[*]'), lambda t: (t ->> 'type') = 'AppInstance')[1] ->> 'displayName', browser)`,
      region: sql`record ->> '$.client.geographicalContext.country'`,
      outcome,
      error_code: sql`CASE WHEN result IN ('FAILURE', 'DENY') THEN record ->> '$.outcome.reason' END`,
      mfa_challenged: sql`CASE WHEN event_type = 'user.authentication.auth_via_mfa' OR result = 'CHALLENGE' THEN 'true' END`,
      ip_raw: sql`record ->> '$.client.ipAddress'`,
      skip_reason: sql`CASE WHEN event_type IS NULL THEN 'no eventType'
                            WHEN NOT ${isLogin} THEN 'not a login event: ' || event_type
                            WHEN result = 'CHALLENGE' THEN 'intermediate step: outcome CHALLENGE' END`,
      attributes: attributesObject({
        event_type: sql`event_type`,
        outcome_result: sql`record ->> '$.outcome.result'`,
        outcome_reason: sql`record ->> '$.outcome.reason'`,
        legacy_event_type: sql`legacy_event_type`,
        credential_type: sql`auth_context ->> '$.credentialType'`,
        factor: sql`debug_context ->> '$.debugData.factor'`,
        session_id: sql`auth_context ->> '$.externalSessionId'`,
        device: sql`record ->> '$.client.device'`,
        os: sql`record ->> '$.client.userAgent.os'`,
        browser: sql`browser`,
        state: sql`record ->> '$.client.geographicalContext.state'`,
        city: sql`record ->> '$.client.geographicalContext.city'`,
      }),
    }),
};
