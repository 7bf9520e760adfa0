import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { at, sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecords } from './vendor-json.js';
import { attributesObject, inList, stagedSelect } from './vendor-staged.js';

/** Auth0 log event type codes that are login attempts, by outcome (Auth0 "Log Event Type Codes"). */
const SUCCESS_TYPES = ['s', 'ssa', 'seacft'] as const;
const FAILURE_TYPES = ['f', 'fp', 'fu', 'fcoa', 'fsa', 'feacft'] as const;

const fields = (file: string) => sql`
  SELECT source_row, record, record -> '$.data' AS data, record ->> '$.data.type' AS type
  FROM (${jsonRecords(file, ['events'])})`;

/** An Auth0 log event `{log_id, data: {type, date, …}}`. */
function looksLikeAuth0(record: JsonObject): boolean {
  return typeof at(record, 'data', 'type') === 'string' && (at(record, 'data', 'date') !== undefined || 'log_id' in record);
}

/**
 * Auth0 log events: JSON Lines of `{log_id, data}`, or log-stream batches `{"events": [{"json": {log_id, data}}]}`.
 * Types s/ssa/seacft are successful logins, f/fp/fu/fcoa/fsa/feacft failed ones; every other type is skipped.
 */
export const auth0: LoginFormat = {
  name: 'auth0',
  description: 'Auth0 log events ({log_id, data} JSON Lines, or log-stream {"events": [...]} batches)',
  detect: (sample) => sampleObjects(sample, ['events']).some(looksLikeAuth0),
  stage: (file) =>
    stagedSelect(fields(file), {
      event_id: sql`record ->> '$.log_id'`,
      ts: sql`data ->> '$.date'`,
      user_raw: sql`coalesce(nullif(data ->> '$.user_name', ''), nullif(data ->> '$.user_id', ''))`,
      tenant: sql`data ->> '$.hostname'`,
      idp: sql`coalesce(data ->> '$.connection', data ->> '$.details.connection')`,
      app: sql`nullif(data ->> '$.client_name', '')`,
      outcome: sql`CASE WHEN type IN ${inList(SUCCESS_TYPES)} THEN 'success' WHEN type IN ${inList(FAILURE_TYPES)} THEN 'failure' END`,
      error_code: sql`CASE WHEN type IN ${inList(FAILURE_TYPES)}
                           THEN coalesce(nullif(data ->> '$.description', ''), data ->> '$.details.error.message') END`,
      latency_ms: sql`data ->> '$.details.elapsedTime'`,
      mfa_challenged: sql`CASE WHEN json_array_length(data, '$.details.prompts') > 0
                               THEN CAST(list_contains(json_extract_string(data, '$.details.prompts[*].name'), 'mfa') AS VARCHAR) END`,
      ip_raw: sql`data ->> '$.ip'`,
      skip_reason: sql`CASE WHEN type IS NULL THEN 'no type'
                            WHEN type NOT IN ${inList([...SUCCESS_TYPES, ...FAILURE_TYPES])} THEN 'not a login event: ' || type END`,
      attributes: attributesObject({
        type: sql`type`,
        user_id: sql`nullif(data ->> '$.user_id', '')`,
        client_id: sql`data ->> '$.client_id'`,
        connection_id: sql`nullif(data ->> '$.connection_id', '')`,
        strategy: sql`data ->> '$.strategy'`,
        strategy_type: sql`data ->> '$.strategy_type'`,
        oauth_error: sql`data ->> '$.details.error.oauthError'`,
        error_type: sql`data ->> '$.details.error.type'`,
        user_agent: sql`data ->> '$.user_agent'`,
      }),
    }),
};

