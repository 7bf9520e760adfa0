import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Dimension } from '../plan/plan-schema.js';
import type { Injection } from './injection.js';
import { PROVIDERS } from './model.js';

/** An injection with the hour (from the start of the history) it switches on. */
export interface ActiveInjection {
  injection: Injection;
  startHour: number;
}

/** True for candidate attempts of the injection's cohort from its start hour on. */
function condition({ injection, startHour }: ActiveInjection): Sql {
  const dims = Object.entries(injection.cohort).map(([dim, value]) => sql`${ident(dim as Dimension)} = ${value}`);
  return join([sql`provider = ${PROVIDERS.candidate}`, sql`hour_idx >= ${startHour}::INTEGER`, ...dims], ' AND ');
}

function total(parts: readonly Sql[], empty: string): Sql {
  if (parts.length === 0) return raw(empty);
  return parts.reduce((all, part) => sql`${all} + ${part}`);
}

function product(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return raw('1.0');
  return parts.reduce((all, part) => sql`${all} * ${part}`);
}

/**
 * Select-list columns giving each attempt its injected effects: inj_fail_success (success-rate
 * drop), inj_pass (success-rate gain), inj_err_<k> (raise of one error code), inj_fail (all drops),
 * inj_latency (multiplier), inj_mfa and inj_mismatch (absolute changes). All zero (or 1) outside
 * the injections' cohorts, before their start, and on legacy traffic.
 */
export function injectionColumns(injections: readonly ActiveInjection[]): Sql {
  const when = (active: ActiveInjection, value: Sql, otherwise: string) =>
    sql`(CASE WHEN ${condition(active)} THEN ${value} ELSE ${raw(otherwise)} END)`;
  const of = (test: (i: Injection) => boolean) => injections.filter((a) => test(a.injection));
  const drops = of((i) => i.metric === 'success_rate' && i.effect < 0).map((a) => when(a, sql`${-a.injection.effect}::DOUBLE`, '0.0'));
  const gains = of((i) => i.metric === 'success_rate' && i.effect > 0).map((a) => when(a, sql`${a.injection.effect}::DOUBLE`, '0.0'));
  const errors = errorInjections(injections).map((a) => when(a, sql`${a.injection.effect}::DOUBLE`, '0.0'));
  const latency = of((i) => i.metric === 'latency_p95').map((a) => when(a, sql`${1 + a.injection.effect}::DOUBLE`, '1.0'));
  const mfa = of((i) => i.metric === 'mfa_rate').map((a) => when(a, sql`${a.injection.effect}::DOUBLE`, '0.0'));
  const mismatch = of((i) => i.metric === 'shadow_mismatch_rate').map((a) => when(a, sql`${a.injection.effect}::DOUBLE`, '0.0'));
  const errorColumns = errors.map((e, k) => sql`${e} AS ${ident(`inj_err_${k}`)}`);
  return join(
    [
      sql`${total(drops, '0.0')} AS inj_fail_success`,
      sql`${total(gains, '0.0')} AS inj_pass`,
      ...errorColumns,
      sql`${total([...drops, ...errors], '0.0')} AS inj_fail`,
      sql`${product(latency)} AS inj_latency`,
      sql`${total(mfa, '0.0')} AS inj_mfa`,
      sql`${total(mismatch, '0.0')} AS inj_mismatch`,
    ],
    ',\n',
  );
}

/** The error-code injections, in the order of their inj_err_<k> columns. */
function errorInjections(injections: readonly ActiveInjection[]): ActiveInjection[] {
  return injections.filter((a) => a.injection.metric.startsWith('error_rate:'));
}

/**
 * The error code of a failure the injections added, given `u_code` uniform in [0, 1): the IdP's
 * usual mix in proportion to the success-rate drop, else each injected code in proportion to its raise.
 */
export function injectedCode(injections: readonly ActiveInjection[], mixCode: Sql): Sql {
  const errors = errorInjections(injections);
  if (errors.length === 0) return mixCode;
  let threshold: Sql = raw('inj_fail_success');
  const arms = [sql`WHEN u_code * inj_fail < inj_fail_success THEN ${mixCode}`];
  errors.forEach((a, k) => {
    threshold = sql`${threshold} + ${ident(`inj_err_${k}`)}`;
    arms.push(sql`WHEN u_code * inj_fail < ${threshold} THEN ${a.injection.metric.slice('error_rate:'.length)}`);
  });
  return sql`(CASE ${join(arms, '\n')} ELSE ${mixCode} END)`;
}
