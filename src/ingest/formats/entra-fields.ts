import { ident, join, raw, sql, type Sql } from '../../store/sql.js';
import { csvRecords } from './vendor-csv.js';
import { jsonRecordFields, withJsonFields, type JsonPaths } from './vendor-json.js';

/** Top-level fields, as text: Log Analytics `SigninLogs` columns (PascalCase) and the other shapes' envelope. */
const TOP: JsonPaths = {
  category_pascal: '$.Category', category_camel: '$.category', table_type: '$.Type',
  result_type_pascal: '$.ResultType', result_type_camel: '$.resultType', result_type_lower: '$.resulttype',
  id: '$.Id', created_date_time: '$.CreatedDateTime', time_generated: '$.TimeGenerated', time: '$.time',
  user_principal_name: '$.UserPrincipalName', aad_tenant_id: '$.AADTenantId', tenant_id_camel: '$.tenantId',
  tenant_id_lower: '$.tenantid', tenant_id_pascal: '$.TenantId', token_issuer_type: '$.TokenIssuerType',
  app_display_name: '$.AppDisplayName', location_pascal: '$.Location', location_camel: '$.location',
  authentication_requirement: '$.AuthenticationRequirement', processing_ms: '$.ProcessingTimeInMilliseconds',
  ip_address: '$.IPAddress', caller_ip_camel: '$.callerIpAddress', caller_ip_lower: '$.calleripaddress',
  conditional_access_status: '$.ConditionalAccessStatus', client_app_used: '$.ClientAppUsed',
  is_interactive: '$.IsInteractive', resource_display_name: '$.ResourceDisplayName',
};

/**
 * Sign-in fields, by the column `props_<name>` that holds each: under `properties` in diagnostic-settings records,
 * at the top of Graph signIn resources.
 */
const SIGN_IN = {
  id: 'id', created: 'createdDateTime', user: 'userPrincipalName', tenant: 'tenantId', resource_tenant: 'resourceTenantId',
  token_issuer: 'tokenIssuerType', app: 'appDisplayName', country: 'location.countryOrRegion', city: 'location.city',
  error_code: 'status.errorCode', failure_reason: 'status.failureReason', additional_details: 'status.additionalDetails',
  requirement: 'authenticationRequirement', processing_ms: 'processingTimeInMilliseconds', ip: 'ipAddress',
  conditional_access: 'conditionalAccessStatus', client_app: 'clientAppUsed', interactive: 'isInteractive',
  resource: 'resourceDisplayName', auth_method: 'mfaDetail.authMethod', os: 'deviceDetail.operatingSystem',
  browser: 'deviceDetail.browser',
} as const;

/**
 * SigninLogs columns that hold an object, JSON-encoded as a string by CSV (and some JSON) exports, and the keys
 * read from each: the key `k` of `status` becomes the column `status_k`.
 */
const NESTED = {
  status: { column: 'Status', keys: { error_code: 'errorCode', failure_reason: 'failureReason', additional_details: 'additionalDetails' } },
  device: { column: 'DeviceDetail', keys: { os: 'operatingSystem', browser: 'browser' } },
  mfa: { column: 'MfaDetail', keys: { auth_method: 'authMethod' } },
  location: { column: 'LocationDetails', keys: { city: 'city' } },
} as const;
const nested = Object.entries(NESTED).map(([name, { column, keys }]) => ({ name, column, keys: Object.entries(keys) }));

const col = (name: string): Sql => sql`${ident(name)}`;
const literal = (text: string): Sql => raw(`'${text}'`);

/**
 * Paths that may hold numbers: read in the json_transform, and again with `->>` where it printed a real (`number`
 * fields), so they are printed exactly as written.
 */
const NUMBERS = new Set(['result_type_pascal', 'result_type_camel', 'result_type_lower', 'processing_ms',
  'properties_processing_ms', 'graph_processing_ms', 'properties_error_code', 'graph_error_code']);

/**
 * Paths read only from Graph resources (is_graph), by one more parse of those records alone: an array index, and the
 * Graph `location` keys, whose top-level key Log Analytics rows hold as text (a key read as both text and object
 * cannot be one STRUCT field). They replace the SIGN_IN fields of the same names.
 */
const GRAPH_ONLY: JsonPaths = { sign_in_event_type: '$.signInEventTypes[0]', graph_country: '$.location.countryOrRegion', graph_city: '$.location.city' };

/**
 * The records of `file` with every path but GRAPH_ONLY read: one json_transform, and one parse for the types (which,
 * for JSON, is the one that finds wrappers: jsonRecordFields).
 */
function records(file: string): Sql {
  const paths: Record<string, string> = { ...TOP };
  for (const [name, path] of Object.entries(SIGN_IN)) {
    paths[`properties_${name}`] = `$.properties.${path}`;
    paths[`graph_${name}`] = `$.${path}`;
  }
  const number: Record<string, string> = {};
  const struct: Record<string, string> = {};
  for (const [name, path] of Object.entries(paths)) if (!(name in GRAPH_ONLY)) (NUMBERS.has(name) ? number : struct)[name] = path;
  const type: Record<string, string> = { properties_type: '$.properties', graph_created_type: '$.createdDateTime', graph_user_type: '$.userPrincipalName' };
  for (const { name, column } of nested) {
    struct[`${name}_text`] = `$.${column}`;
    type[`${name}_type`] = `$.${column}`;
  }
  return /\.csv(\.gz)?$/i.test(file)
    ? withJsonFields(csvRecords(file), 'record', { number, type, struct })
    : jsonRecordFields(file, ['records', 'value'], { number, type, struct });
}

/**
 * A SELECT of `source_row`, `record` and the fields the entra mapping reads, one row per record of `file`. Three
 * shapes: Log Analytics `SigninLogs` rows (PascalCase columns at the top), diagnostic-settings records (`category`,
 * `properties.*` camelCase) and Graph API `signIn` resources (the same camelCase fields at the top, no category).
 * Panther's fixtures lower-case some top-level keys. `props_<name>` is a SIGN_IN field of the record's shape;
 * `status_*`, `device_*`, `mfa_*` and `location_*` are the SigninLogs object columns' keys (`<name>_present`: the
 * column is there, as an object or as a string that parses). The GRAPH_ONLY fields are NULL but for Graph resources.
 */
export function entraFields(file: string): Sql {
  const shaped = join([
    sql`graph_created_type IS NOT NULL AND graph_user_type IS NOT NULL AS is_graph`,
    // GRAPH_ONLY, read where is_graph holds: a CASE evaluates its THEN for those rows alone.
    sql`CASE WHEN graph_created_type IS NOT NULL AND graph_user_type IS NOT NULL
      THEN json_extract_string(record, ${raw(`[${Object.values(GRAPH_ONLY).map((path) => `'${path}'`).join(', ')}]`)}) END AS __graph`,
    // The column's text is an object's JSON (parsed again: rarer than reading its keys with every record's paths) or a string.
    ...nested.map(({ name }) => sql`CASE WHEN ${col(`${name}_type`)} = 'VARCHAR' THEN TRY_CAST(${col(`${name}_text`)} AS JSON)
      WHEN ${col(`${name}_type`)} = 'OBJECT' THEN ${col(`${name}_text`)}::JSON END AS ${ident(`${name}_parsed`)}`),
  ], ', ');
  const props = Object.keys(SIGN_IN).map((name) => sql`CASE WHEN properties_type IS NOT NULL THEN ${col(`properties_${name}`)}
    WHEN is_graph THEN ${col(`graph_${name}`)} END AS ${ident(`props_${name}`)}`);
  const unpacked = nested.flatMap(({ name, keys }) => [
    sql`${col(`${name}_type`)} IS NOT NULL AND (${col(`${name}_type`)} <> 'VARCHAR' OR ${col(`${name}_parsed`)} IS NOT NULL)
      AS ${ident(`${name}_present`)}`,
    ...keys.map(([key, path]) => sql`${col(`${name}_parsed`)} ->> ${literal(`$.${path}`)} AS ${ident(`${name}_${key}`)}`),
  ]);
  const graphOnly = Object.keys(GRAPH_ONLY).map((name, i) => sql`__graph[${raw(String(i + 1))}] AS ${ident(name)}`);
  return sql`SELECT * EXCLUDE (__graph), ${join([...props, ...unpacked], ', ')}
    FROM (SELECT *, ${join(graphOnly, ', ')} FROM (SELECT *, ${shaped} FROM (${records(file)})))`;
}
