import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { entraFields } from './entra-fields.js';
import { isJsonObject, sampleLines, sampleObjects, type JsonObject } from './vendor-detect.js';
import { attributesObject, inList, stagedSelect } from './vendor-staged.js';

/** Categories (and Log Analytics table names) of user sign-ins, lower-cased: these rows are login attempts. */
const USER_SIGN_INS = ['signinlogs', 'noninteractiveusersigninlogs', 'aadnoninteractiveusersigninlogs'];
/** Workload-identity sign-ins: no user signs in, so they are skipped as such. */
const WORKLOAD_SIGN_INS = [
  'serviceprincipalsigninlogs', 'managedidentitysigninlogs', 'microsoftserviceprincipalsigninlogs',
  'aadserviceprincipalsigninlogs', 'aadmanagedidentitysigninlogs',
];

// Each record is read with one parse for its text fields and one for their JSON types (entraFields).
const fields = (file: string) => sql`
  SELECT *,
         coalesce(category_pascal, category_camel, table_type,
                  CASE WHEN is_graph THEN CASE sign_in_event_type
                    WHEN 'nonInteractiveUser' THEN 'NonInteractiveUserSignInLogs' WHEN 'servicePrincipal' THEN 'ServicePrincipalSignInLogs'
                    WHEN 'managedIdentity' THEN 'ManagedIdentitySignInLogs' ELSE 'SignInLogs' END END) AS category,
         coalesce(status_error_code, props_error_code, result_type_pascal, result_type_camel, result_type_lower) AS code,
         coalesce(nullif(authentication_requirement, ''), props_requirement) AS requirement,
         CASE WHEN mfa_present THEN mfa_auth_method ELSE props_auth_method END AS auth_method,
         CASE WHEN device_present THEN device_os ELSE props_os END AS os,
         CASE WHEN device_present THEN device_browser ELSE props_browser END AS browser,
         CASE WHEN status_present THEN status_failure_reason ELSE props_failure_reason END AS failure_reason,
         CASE WHEN status_present THEN status_additional_details ELSE props_additional_details END AS additional_details
  FROM (${entraFields(file)})`;

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
      event_id: sql`coalesce(id, props_id)`,
      ts: sql`coalesce(created_date_time, props_created, time_generated, time)`,
      user_raw: sql`coalesce(nullif(user_principal_name, ''), props_user)`,
      // Log Analytics' TenantId is the workspace's tenant; AADTenantId is the directory signed in to.
      tenant: sql`coalesce(nullif(aad_tenant_id, ''), tenant_id_camel, tenant_id_lower, props_tenant, tenant_id_pascal, props_resource_tenant)`,
      idp: sql`coalesce(nullif(token_issuer_type, ''), props_token_issuer)`,
      app: sql`coalesce(nullif(app_display_name, ''), props_app)`,
      region: sql`coalesce(nullif(location_pascal, ''), props_country, location_camel)`,
      outcome,
      error_code: sql`CASE WHEN code <> '0' AND regexp_full_match(code, '[0-9]+') THEN code END`,
      latency_ms: sql`coalesce(nullif(processing_ms, ''), props_processing_ms)`,
      mfa_challenged: sql`CASE WHEN requirement = 'multiFactorAuthentication' OR nullif(auth_method, '') IS NOT NULL THEN 'true'
                               WHEN requirement = 'singleFactorAuthentication' THEN 'false' END`,
      ip_raw: sql`coalesce(nullif(ip_address, ''), props_ip, caller_ip_camel, caller_ip_lower)`,
      skip_reason: sql`CASE WHEN category IS NULL THEN 'no category'
                            WHEN lower(category) IN ${inList(USER_SIGN_INS)} THEN NULL
                            WHEN lower(category) IN ${inList(WORKLOAD_SIGN_INS)} THEN 'not a user sign-in: ' || category
                            ELSE 'not a sign-in: ' || category END`,
      attributes: attributesObject({
        category: sql`category`,
        conditional_access_status: sql`coalesce(nullif(conditional_access_status, ''), props_conditional_access)`,
        authentication_requirement: sql`requirement`,
        failure_reason: sql`nullif(failure_reason, '')`,
        additional_details: sql`nullif(additional_details, '')`,
        client_app_used: sql`coalesce(nullif(client_app_used, ''), props_client_app)`,
        is_interactive: sql`coalesce(is_interactive, props_interactive)`,
        resource: sql`coalesce(nullif(resource_display_name, ''), props_resource)`,
        os: sql`nullif(os, '')`,
        browser: sql`nullif(browser, '')`,
        city: sql`coalesce(location_city, props_city)`,
      }),
    }),
};

