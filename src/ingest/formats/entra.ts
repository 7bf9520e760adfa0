import type { LoginFormat } from '../format.js';
import { raw, sql, type Sql } from '../../store/sql.js';
import { isJsonObject, sampleLines, sampleObjects, type JsonObject } from './vendor-detect.js';
import { csvRecords } from './vendor-csv.js';
import { jsonRecords } from './vendor-json.js';
import { attributesObject, inList, stagedSelect } from './vendor-staged.js';

/** Categories (and Log Analytics table names) of user sign-ins, lower-cased: these rows are login attempts. */
const USER_SIGN_INS = ['signinlogs', 'noninteractiveusersigninlogs', 'aadnoninteractiveusersigninlogs'];
/** Workload-identity sign-ins: no user signs in, so they are skipped as such. */
const WORKLOAD_SIGN_INS = [
  'serviceprincipalsigninlogs', 'managedidentitysigninlogs', 'microsoftserviceprincipalsigninlogs',
  'aadserviceprincipalsigninlogs', 'aadmanagedidentitysigninlogs',
];

type NestedColumn = 'Status' | 'DeviceDetail' | 'LocationDetails' | 'MfaDetail';

/** A SigninLogs column that holds an object: parsed when the export JSON-encoded it (CSV, some JSON). */
function nested(column: NestedColumn): Sql {
  const path = raw(`'$.${column}'`);
  return sql`CASE WHEN json_type(record, ${path}) = 'VARCHAR' THEN TRY_CAST(record ->> ${path} AS JSON) ELSE record -> ${path} END`;
}

// Three shapes: Log Analytics `SigninLogs` rows (PascalCase columns at the top), diagnostic-settings
// records (`category`, `properties.*` camelCase) and Graph API `signIn` resources (the same camelCase
// fields at the top, no category). Panther's fixtures lower-case some top-level keys.
const fields = (file: string) => sql`
  WITH graph AS (
    SELECT *, json_exists(record, '$.createdDateTime') AND json_exists(record, '$.userPrincipalName') AS is_graph
    FROM (${/\.csv(\.gz)?$/i.test(file) ? csvRecords(file) : jsonRecords(file, ['records', 'value'])})
  ),
  shaped AS (
    SELECT source_row, record, is_graph, coalesce(record -> '$.properties', CASE WHEN is_graph THEN record END) AS props,
           ${nested('Status')} AS table_status, ${nested('DeviceDetail')} AS device, ${nested('MfaDetail')} AS mfa_detail,
           ${nested('LocationDetails')} AS location_details
    FROM graph
  )
  SELECT *,
         coalesce(record ->> '$.Category', record ->> '$.category', record ->> '$.Type',
                  CASE WHEN is_graph THEN CASE record ->> '$.signInEventTypes[0]'
                    WHEN 'nonInteractiveUser' THEN 'NonInteractiveUserSignInLogs' WHEN 'servicePrincipal' THEN 'ServicePrincipalSignInLogs'
                    WHEN 'managedIdentity' THEN 'ManagedIdentitySignInLogs' ELSE 'SignInLogs' END END) AS category,
         coalesce(table_status ->> '$.errorCode', props ->> '$.status.errorCode', record ->> '$.ResultType',
                  record ->> '$.resultType', record ->> '$.resulttype') AS code,
         coalesce(nullif(record ->> '$.AuthenticationRequirement', ''), props ->> '$.authenticationRequirement') AS requirement,
         coalesce(mfa_detail, props -> '$.mfaDetail') AS mfa,
         coalesce(device, props -> '$.deviceDetail') AS device_detail,
         coalesce(table_status, props -> '$.status') AS status
  FROM shaped`;

const outcome = sql`CASE WHEN code = '0' OR lower(code) = 'success' THEN 'success'
                         WHEN regexp_full_match(code, '[0-9]+') OR lower(code) = 'failure' THEN 'failure'
                         ELSE code END`;

function looksLikeEntra(record: JsonObject): boolean {
  if (typeof record['createdDateTime'] === 'string' && 'userPrincipalName' in record && isJsonObject(record['status'])) return true;
  const category = record['Category'] ?? record['category'] ?? record['Type'];
  if (typeof category !== 'string' || !/signinlogs$/i.test(category)) return false;
  return 'ResultType' in record || 'UserPrincipalName' in record || isJsonObject(record['properties']);
}

function looksLikeEntraCsv(header: string): boolean {
  const columns = header.split(',');
  return ['ResultType', 'UserPrincipalName', 'CreatedDateTime'].every((name) => columns.includes(name));
}

/**
 * Microsoft Entra ID sign-in logs: Log Analytics / Sentinel `SigninLogs` rows (JSON Lines, or CSV
 * with nested columns JSON-encoded; chosen by the `.csv` extension), Azure Monitor
 * diagnostic-settings records (`category`, `properties.*`), and Graph API `signIn` resources
 * (JSON Lines, or `{"value": [...]}` pages). User sign-ins (interactive and
 * non-interactive) are login attempts; workload-identity sign-ins and other categories are skipped.
 */
export const entra: LoginFormat = {
  name: 'entra',
  description: 'Microsoft Entra ID sign-in logs (SigninLogs rows as JSON Lines or CSV, diagnostic-settings JSON, Graph signIns)',
  detect: (sample) => sampleObjects(sample, ['records', 'value']).some(looksLikeEntra) || looksLikeEntraCsv(sampleLines(sample, 1)[0] ?? ''),
  stage: (file) =>
    stagedSelect(fields(file), {
      event_id: sql`coalesce(record ->> '$.Id', props ->> '$.id')`,
      ts: sql`coalesce(record ->> '$.CreatedDateTime', props ->> '$.createdDateTime', record ->> '$.TimeGenerated', record ->> '$.time')`,
      user_raw: sql`coalesce(nullif(record ->> '$.UserPrincipalName', ''), props ->> '$.userPrincipalName')`,
      // Log Analytics' TenantId is the workspace's tenant; AADTenantId is the directory signed in to.
      tenant: sql`coalesce(nullif(record ->> '$.AADTenantId', ''), record ->> '$.tenantId', record ->> '$.tenantid',
                           props ->> '$.tenantId', record ->> '$.TenantId', props ->> '$.resourceTenantId')`,
      idp: sql`coalesce(nullif(record ->> '$.TokenIssuerType', ''), props ->> '$.tokenIssuerType')`,
      app: sql`coalesce(nullif(record ->> '$.AppDisplayName', ''), props ->> '$.appDisplayName')`,
      region: sql`coalesce(nullif(record ->> '$.Location', ''), props ->> '$.location.countryOrRegion', record ->> '$.location')`,
      outcome,
      error_code: sql`CASE WHEN code <> '0' AND regexp_full_match(code, '[0-9]+') THEN code END`,
      latency_ms: sql`coalesce(nullif(record ->> '$.ProcessingTimeInMilliseconds', ''), props ->> '$.processingTimeInMilliseconds')`,
      mfa_challenged: sql`CASE WHEN requirement = 'multiFactorAuthentication' OR nullif(mfa ->> '$.authMethod', '') IS NOT NULL THEN 'true'
                               WHEN requirement = 'singleFactorAuthentication' THEN 'false' END`,
      ip_raw: sql`coalesce(nullif(record ->> '$.IPAddress', ''), props ->> '$.ipAddress', record ->> '$.callerIpAddress',
                           record ->> '$.calleripaddress')`,
      skip_reason: sql`CASE WHEN category IS NULL THEN 'no category'
                            WHEN lower(category) IN ${inList(USER_SIGN_INS)} THEN NULL
                            WHEN lower(category) IN ${inList(WORKLOAD_SIGN_INS)} THEN 'not a user sign-in: ' || category
                            ELSE 'not a sign-in: ' || category END`,
      attributes: attributesObject({
        category: sql`category`,
        conditional_access_status: sql`coalesce(nullif(record ->> '$.ConditionalAccessStatus', ''), props ->> '$.conditionalAccessStatus')`,
        authentication_requirement: sql`requirement`,
        failure_reason: sql`nullif(status ->> '$.failureReason', '')`,
        additional_details: sql`nullif(status ->> '$.additionalDetails', '')`,
        client_app_used: sql`coalesce(nullif(record ->> '$.ClientAppUsed', ''), props ->> '$.clientAppUsed')`,
        is_interactive: sql`coalesce(record ->> '$.IsInteractive', props ->> '$.isInteractive')`,
        resource: sql`coalesce(nullif(record ->> '$.ResourceDisplayName', ''), props ->> '$.resourceDisplayName')`,
        os: sql`nullif(device_detail ->> '$.operatingSystem', '')`,
        browser: sql`nullif(device_detail ->> '$.browser', '')`,
        city: sql`coalesce(location_details ->> '$.city', props ->> '$.location.city')`,
      }),
    }),
};

