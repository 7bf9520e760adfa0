import { join, raw, sql, type Sql } from '../store/sql.js';
import { APPS, MODEL, PROVIDERS, SHADOW_DIFFS } from './model.js';
import type { SimulateOptions } from './options.js';
import { normalText, uniformText } from './random-sql.js';
import { injectedCode, injectionColumns, type ActiveInjection } from './injection-sql.js';

const S = 'tenant, hour_idx, j';
const A = 'tenant, hour_idx, j, attempt';
const U = (keys: string, tag: string) => raw(uniformText(keys, tag));
const N = (keys: string, tag: string) => raw(normalText(keys, tag));

/** `CASE WHEN u < c1 THEN name1 … END` over cumulative weights, for a pick from a code-side list. */
function pick(u: Sql, items: readonly { name: string; weight: number }[]): Sql {
  const totalWeight = items.reduce((a, b) => a + b.weight, 0);
  let running = 0;
  const arms = items.slice(0, -1).map((item) => {
    running += item.weight / totalWeight;
    return sql`WHEN ${u} < ${running}::DOUBLE THEN ${item.name}`;
  });
  const last = items[items.length - 1]?.name ?? '';
  return arms.length === 0 ? sql`${last}` : sql`CASE ${join(arms, '\n')} ELSE ${last} END`;
}

/** Sessions of the slots in [fromHour, toHour): who logs in, with which app, provider and first-attempt failure logit. */
function sessionsSql(options: SimulateOptions, fromHour: number, toHour: number): Sql {
  const route = options.routing === 'user' ? raw('u.user_route_u') : raw('p.tenant_route_u');
  return sql`
    s AS (
      SELECT *, unnest(range(sessions))::INTEGER AS j
      FROM sim_slots WHERE hour_idx >= ${fromHour}::INTEGER AND hour_idx < ${toHour}::INTEGER AND sessions > 0
    ), p AS (
      SELECT *, floor(users * pow(${U(S, 'user')}, ${MODEL.userSkew}::DOUBLE))::INTEGER AS user_idx,
             ${U(S, 'main_app')} AS u_main_app, ${U(S, 'other_app')} AS u_other_app
      FROM s
    ), x AS (
      SELECT p.seed, p.tenant, p.hour_idx, p.j, p.hour_epoch, p.load, p.failure_offset, p.drift_per_week, p.mfa_logit,
             u.user_id, u.idp, u.region, u.frailty, u.mfa_offset,
             CASE WHEN ${route} < p.share THEN ${PROVIDERS.candidate} ELSE ${PROVIDERS.legacy} END AS provider,
             CASE WHEN p.u_main_app < ${MODEL.mainAppShare}::DOUBLE THEN u.main_app
                  ELSE ${pick(raw('p.u_other_app'), APPS)} END AS app
      FROM p JOIN sim_users u ON u.tenant = p.tenant AND u.user_idx = p.user_idx
    ), m AS (
      SELECT x.*, i.code_names, i.code_cum, a.mfa_shift, ih.failure_shift IS NOT NULL AS incident,
             i.failure_logit + x.failure_offset + x.frailty + a.failure_shift
               + x.drift_per_week * hour_idx / 168.0
               + ${MODEL.loadFailureShift}::DOUBLE * x.load
               + ${MODEL.hourShockSd}::DOUBLE * ${N('tenant, idp, hour_idx', 'shock_hour')}
               + ${MODEL.dayShockSd}::DOUBLE * ${N('tenant, idp, hour_idx // 24', 'shock_day')}
               + coalesce(ih.failure_shift, 0) AS logit1,
             i.latency_median_ms * a.latency_factor * r.latency_factor
               * (1 + ${MODEL.latencyLoadFactor}::DOUBLE * x.load) * coalesce(ih.latency_multiplier, 1)
               * exp(${MODEL.latencyHourSd}::DOUBLE * ${N('idp, region, hour_idx', 'latency_hour')}) AS latency_base,
             ${MODEL.retryGapMinS}::DOUBLE + ${MODEL.retryGapSpanS}::DOUBLE * ${U(S, 'gap')} AS gap_s,
             floor(3600000 * ${U(S, 'offset')})::BIGINT AS offset_ms
      FROM x
      JOIN sim_idps i USING (idp)
      JOIN sim_apps a USING (app)
      JOIN sim_regions r USING (region)
      LEFT JOIN sim_idp_hours ih USING (idp, hour_idx)
    )`;
}

/**
 * Each session's chain of attempts: attempt k fails with expit(logit1 + retryShift·[k > 0]);
 * after a failure the user retries with retryProbability, up to maxAttempts.
 */
function attemptsSql(): Sql {
  const max = MODEL.maxAttempts;
  const failK = uniformText('tenant, hour_idx, j, k', 'fail');
  const retryK = uniformText('tenant, hour_idx, j, k', 'retry');
  return sql`
    c AS (
      SELECT *, list_transform(range(${raw(String(max))}),
               lambda k: ${raw(failK)} < 1 / (1 + exp(-(logit1 + CASE WHEN k > 0 THEN ${MODEL.retryLogitShift}::DOUBLE ELSE 0 END)))) AS fails
      FROM m
    ), n AS (
      SELECT *, list_position(list_transform(range(${raw(String(max))}),
               lambda k: NOT fails[k + 1] OR k = ${raw(String(max - 1))} OR ${raw(retryK)} >= ${MODEL.retryProbability}::DOUBLE), true) AS attempts
      FROM c
    ), t AS (
      SELECT *, unnest(range(attempts))::INTEGER AS attempt FROM n
    )`;
}

/**
 * The simulated login events of hours [fromHour, toHour), with exactly the canonical columns of
 * `login_events` (event_id … shadow_diff). Reads the sim_* tables `prepareSimulation` creates.
 * Latency follows the drawn (pre-injection) outcome, so an injected failure or success leaves the
 * latency distribution alone. Shadow tokens follow the dual-write logic: an attempt that both
 * providers would reject issues no token (NULL); one only the candidate rejects (an injected
 * failure) is a mismatch `no_live_token` (McNemar b: live fails, legacy ok); one only the legacy
 * provider would have rejected is a `shadow_error` (McNemar c). In an A/A run b and c both stay small.
 */
export function eventsSql(options: SimulateOptions, injections: readonly ActiveInjection[], fromHour: number, toHour: number): Sql {
  // Retries of the last sessions would fall after the end of the history: they are left out.
  const endMs = options.start.getTime() + options.days * 86_400_000;
  const mixCode = raw(`code_names[list_position(list_transform(code_cum, lambda c: c > u_code), true)]`);
  return sql`
    WITH ${sessionsSql(options, fromHour, toHour)}, ${attemptsSql()},
    i AS (
      SELECT *, 1 / (1 + exp(-(logit1 + CASE WHEN attempt > 0 THEN ${MODEL.retryLogitShift}::DOUBLE ELSE 0 END))) AS p_fail,
             fails[attempt + 1] AS base_fail, ${U(A, 'inject')} AS u_inject, ${U(A, 'code')} AS u_code,
             ${injectionColumns(injections)}
      FROM t
    ), f AS (
      SELECT *, CASE WHEN base_fail THEN NOT (u_inject < inj_pass / p_fail)
                     ELSE u_inject < inj_fail / (1 - p_fail) END AS failed
      FROM i
    ), e AS (
      SELECT *, CASE WHEN NOT failed THEN NULL
                     WHEN NOT base_fail THEN ${injectedCode(injections, mixCode)}
                     WHEN incident AND ${U(A, 'upstream')} < ${MODEL.incidentUpstreamShare}::DOUBLE THEN 'upstream_timeout'
                     ELSE ${mixCode} END AS error_code,
             ${U(A, 'shadow')} AS u_shadow,
             offset_ms + floor(attempt * gap_s * 1000)::BIGINT AS attempt_ms
      FROM f
    )
    SELECT printf('ev-%s-%05d-%05d-%d', tenant, hour_idx, j, attempt) AS event_id,
           to_timestamp(hour_epoch) + to_milliseconds(attempt_ms) AS ts,
           user_id, tenant, idp, app, region, provider,
           CASE WHEN failed THEN 'failure' ELSE 'success' END AS outcome,
           error_code,
           round(latency_base * inj_latency * exp(${MODEL.latencySd}::DOUBLE * ${N(A, 'latency')})
                 * CASE WHEN NOT base_fail THEN 1
                        WHEN error_code = 'upstream_timeout' THEN ${MODEL.upstreamTimeoutLatencyFactor}::DOUBLE
                        ELSE ${MODEL.failureLatencyFactor}::DOUBLE END, 1) AS latency_ms,
           ${U(A, 'mfa')} < 1 / (1 + exp(-(mfa_logit + mfa_shift + mfa_offset))) + inj_mfa
             OR coalesce(error_code = 'mfa_timeout', false) AS mfa_challenged,
           CASE WHEN provider = ${PROVIDERS.legacy} THEN NULL
                WHEN failed AND base_fail THEN NULL
                WHEN failed THEN 'mismatch'
                WHEN base_fail THEN 'shadow_error'
                WHEN u_shadow < ${MODEL.shadowError}::DOUBLE THEN 'shadow_error'
                WHEN u_shadow < ${MODEL.shadowError + MODEL.shadowMismatch}::DOUBLE + inj_mismatch THEN 'mismatch'
                ELSE 'match' END AS shadow_outcome,
           CASE WHEN provider = ${PROVIDERS.candidate} AND failed AND NOT base_fail THEN 'no_live_token'
                WHEN provider = ${PROVIDERS.candidate} AND NOT failed AND NOT base_fail AND u_shadow >= ${MODEL.shadowError}::DOUBLE
                     AND u_shadow < ${MODEL.shadowError + MODEL.shadowMismatch}::DOUBLE + inj_mismatch
                THEN ${pick(U(A, 'shadow_diff'), SHADOW_DIFFS)} END AS shadow_diff
    FROM e
    WHERE hour_epoch * 1000 + attempt_ms < ${endMs}::BIGINT`;
}
