import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecords } from './vendor-json.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

const fields = (file: string) => sql`
  SELECT source_row, record, record ->> '$.eventName' AS event_name,
         record ->> '$.responseElements.ConsoleLogin' AS result
  FROM (${jsonRecords(file, ['Records'])})`;

function looksLikeCloudTrail(record: JsonObject): boolean {
  return typeof record['eventName'] === 'string' && typeof record['eventSource'] === 'string'
    && ('userIdentity' in record || 'eventVersion' in record || 'awsRegion' in record);
}

/**
 * AWS CloudTrail records (JSON Lines, or the `{"Records": [...]}` files CloudTrail writes to S3).
 * `ConsoleLogin` events are login attempts, settled by `responseElements.ConsoleLogin`; every
 * other event (GetSigninToken, PasswordUpdated, …) is skipped.
 */
export const cloudtrail: LoginFormat = {
  name: 'cloudtrail',
  description: 'AWS CloudTrail ConsoleLogin events (JSON Lines or {"Records": [...]} files)',
  detect: (sample) => sampleObjects(sample, ['Records']).some(looksLikeCloudTrail),
  stage: (file) =>
    stagedSelect(fields(file), {
      event_id: sql`record ->> '$.eventID'`,
      ts: sql`record ->> '$.eventTime'`,
      user_raw: sql`coalesce(record ->> '$.userIdentity.userName', record ->> '$.userIdentity.arn', record ->> '$.userIdentity.principalId')`,
      tenant: sql`coalesce(record ->> '$.recipientAccountId', record ->> '$.userIdentity.accountId')`,
      idp: sql`record ->> '$.userIdentity.type'`,
      // The console page signed in to, without its query string (which carries per-login state).
      app: sql`nullif(regexp_extract(record ->> '$.additionalEventData.LoginTo', '^[^?#]*'), '')`,
      region: sql`record ->> '$.awsRegion'`,
      outcome: sql`CASE result WHEN 'Success' THEN 'success' WHEN 'Failure' THEN 'failure' ELSE result END`,
      error_code: sql`CASE WHEN result = 'Failure' THEN record ->> '$.errorMessage' END`,
      mfa_challenged: sql`CASE record ->> '$.additionalEventData.MFAUsed' WHEN 'Yes' THEN 'true' WHEN 'No' THEN 'false' END`,
      ip_raw: sql`record ->> '$.sourceIPAddress'`,
      skip_reason: sql`CASE WHEN event_name IS NULL THEN 'no eventName'
                            WHEN event_name <> 'ConsoleLogin' THEN 'not a login event: ' || event_name END`,
      attributes: attributesObject({
        event_source: sql`record ->> '$.eventSource'`,
        user_agent: sql`record ->> '$.userAgent'`,
        mobile_version: sql`record ->> '$.additionalEventData.MobileVersion'`,
        session_issuer: sql`record ->> '$.userIdentity.sessionContext.sessionIssuer.userName'`,
        arn: sql`record ->> '$.userIdentity.arn'`,
      }),
    }),
};
