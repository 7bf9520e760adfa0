import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecordFields } from './vendor-json.js';
import { attributesObject, stagedSelect } from './vendor-staged.js';

// Every field is read from the record with one parse, the one that finds S3 files' Records wrapper (jsonRecordFields).
const fields = (file: string) => jsonRecordFields(file, ['Records'], {
  text: {
    event_name: '$.eventName', result: '$.responseElements.ConsoleLogin', event_id: '$.eventID', event_time: '$.eventTime',
    user_name: '$.userIdentity.userName', arn: '$.userIdentity.arn', principal_id: '$.userIdentity.principalId',
    recipient_account_id: '$.recipientAccountId', account_id: '$.userIdentity.accountId', identity_type: '$.userIdentity.type',
    login_to: '$.additionalEventData.LoginTo', aws_region: '$.awsRegion', error_message: '$.errorMessage',
    mfa_used: '$.additionalEventData.MFAUsed', source_ip: '$.sourceIPAddress', event_source: '$.eventSource',
    user_agent: '$.userAgent', mobile_version: '$.additionalEventData.MobileVersion',
    session_issuer: '$.userIdentity.sessionContext.sessionIssuer.userName',
  },
});

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
      event_id: sql`event_id`,
      ts: sql`event_time`,
      user_raw: sql`coalesce(user_name, arn, principal_id)`,
      tenant: sql`coalesce(recipient_account_id, account_id)`,
      idp: sql`identity_type`,
      // The console page signed in to, without its query string (which carries per-login state).
      app: sql`nullif(regexp_extract(login_to, '^[^?#]*'), '')`,
      region: sql`aws_region`,
      outcome: sql`CASE result WHEN 'Success' THEN 'success' WHEN 'Failure' THEN 'failure' ELSE result END`,
      error_code: sql`CASE WHEN result = 'Failure' THEN error_message END`,
      mfa_challenged: sql`CASE mfa_used WHEN 'Yes' THEN 'true' WHEN 'No' THEN 'false' END`,
      ip_raw: sql`source_ip`,
      skip_reason: sql`CASE WHEN event_name IS NULL THEN 'no eventName'
                            WHEN event_name <> 'ConsoleLogin' THEN 'not a login event: ' || event_name END`,
      attributes: attributesObject({
        event_source: sql`event_source`,
        user_agent: sql`user_agent`,
        mobile_version: sql`mobile_version`,
        session_issuer: sql`session_issuer`,
        arn: sql`arn`,
      }),
    }),
};
