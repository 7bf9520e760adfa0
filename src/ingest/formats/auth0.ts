import type { LoginFormat } from '../format.js';
import { sql } from '../../store/sql.js';
import { at, sampleObjects, type JsonObject } from './vendor-detect.js';
import { jsonRecordFields } from './vendor-json.js';
import { attributesObject, inList, stagedSelect } from './vendor-staged.js';

/** Auth0 log event type codes that are login attempts, by outcome (Auth0 "Log Event Type Codes"). */
const SUCCESS_TYPES = ['s', 'ssa', 'seacft'] as const;
const FAILURE_TYPES = ['f', 'fp', 'fu', 'fcoa', 'fsa', 'feacft'] as const;

// Every text field is read from the record in the parse that finds log-stream batches (jsonRecordFields); the
// prompts list is parsed again only where the record has one (most events have no details.prompts).
const fields = (file: string) => sql`
  SELECT *, CASE WHEN prompts_text IS NOT NULL THEN record -> '$.data.details.prompts' END AS prompts
  FROM (${jsonRecordFields(file, ['events'], {
  text: {
    log_id: '$.log_id', type: '$.data.type', date: '$.data.date', user_name: '$.data.user_name', user_id: '$.data.user_id',
    hostname: '$.data.hostname', connection: '$.data.connection', details_connection: '$.data.details.connection',
    client_name: '$.data.client_name', description: '$.data.description', error_message: '$.data.details.error.message',
    elapsed_time: '$.data.details.elapsedTime', ip: '$.data.ip', client_id: '$.data.client_id',
    connection_id: '$.data.connection_id', strategy: '$.data.strategy', strategy_type: '$.data.strategy_type',
    oauth_error: '$.data.details.error.oauthError', error_type: '$.data.details.error.type', user_agent: '$.data.user_agent',
    prompts_text: '$.data.details.prompts',
  },
})})`;

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
      event_id: sql`log_id`,
      ts: sql`date`,
      user_raw: sql`coalesce(nullif(user_name, ''), nullif(user_id, ''))`,
      tenant: sql`hostname`,
      idp: sql`coalesce(connection, details_connection)`,
      app: sql`nullif(client_name, '')`,
      outcome: sql`CASE WHEN type IN ${inList(SUCCESS_TYPES)} THEN 'success' WHEN type IN ${inList(FAILURE_TYPES)} THEN 'failure' END`,
      error_code: sql`CASE WHEN type IN ${inList(FAILURE_TYPES)}
                           THEN coalesce(nullif(description, ''), error_message) END`,
      latency_ms: sql`elapsed_time`,
      mfa_challenged: sql`CASE WHEN json_array_length(prompts) > 0
                               THEN CAST(list_contains(json_extract_string(prompts, '$[*].name'), 'mfa') AS VARCHAR) END`,
      ip_raw: sql`ip`,
      skip_reason: sql`CASE WHEN type IS NULL THEN 'no type'
                            WHEN type NOT IN ${inList([...SUCCESS_TYPES, ...FAILURE_TYPES])} THEN 'not a login event: ' || type END`,
      attributes: attributesObject({
        type: sql`type`,
        user_id: sql`nullif(user_id, '')`,
        client_id: sql`client_id`,
        connection_id: sql`nullif(connection_id, '')`,
        strategy: sql`strategy`,
        strategy_type: sql`strategy_type`,
        oauth_error: sql`oauth_error`,
        error_type: sql`error_type`,
        user_agent: sql`user_agent`,
      }),
    }),
};

