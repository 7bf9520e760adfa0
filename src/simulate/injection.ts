import { DIMENSIONS, type Dimension } from '../plan/plan-schema.js';
import { APPS, ERROR_CODES, IDPS, REGIONS } from './model.js';
import type { RolloutSchedule } from './schedule.js';

/** Metrics an injection can move. */
export type InjectionMetric = 'success_rate' | 'latency_p95' | 'mfa_rate' | 'shadow_mismatch_rate' | `error_rate:${string}`;

/** An effect applied to candidate traffic of one cohort from the start of a stage. */
export interface Injection {
  /** Dimension → value; every pair must match (tenant=t012,idp=okta-oidc). */
  cohort: Partial<Record<Dimension, string>>;
  metric: InjectionMetric;
  /**
   * Absolute change of the rate for rate metrics (−0.02 = two points lower), the latency
   * multiplier minus one for latency_p95 (+0.2 = every attempt 20% slower).
   */
  effect: number;
  /** The stage whose start switches it on (`stage-2`), or `post` for after the last stage. */
  stage: string;
}

/**
 * Parses `tenant=t012,idp=okta-oidc:success_rate:-0.02@stage-2` into an injection.
 *
 * @throws {RangeError} naming what is wrong with the spec.
 */
export function parseInjection(spec: string): Injection {
  const at = spec.lastIndexOf('@');
  if (at < 0) throw new RangeError(`injection "${spec}" has no @stage (e.g. @stage-2 or @post)`);
  const parts = spec.slice(0, at).split(':');
  if (parts.length < 3) throw new RangeError(`injection "${spec}" is not cohort:metric:effect@stage`);
  const cohortText = parts[0] ?? '';
  const effectText = parts[parts.length - 1] ?? '';
  const metric = parts.slice(1, -1).join(':');
  const cohort: Partial<Record<Dimension, string>> = {};
  for (const pair of cohortText.split(',')) {
    const [dimension, value, extra] = pair.split('=');
    if (!isDimension(dimension) || !value || extra !== undefined) {
      throw new RangeError(`injection "${spec}": cohort part "${pair}" is not dim=value with dim one of ${DIMENSIONS.join(', ')}`);
    }
    cohort[dimension] = value;
  }
  return checkInjection({ cohort, metric: metric as InjectionMetric, effect: Number(effectText), stage: spec.slice(at + 1) });
}

/**
 * Returns the injection if its metric, effect and cohort make sense.
 *
 * @throws {RangeError} naming what is wrong.
 */
export function checkInjection(injection: Injection): Injection {
  const { metric, effect } = injection;
  const name = `injection ${JSON.stringify(injection)}`;
  const code = metric.startsWith('error_rate:') ? metric.slice('error_rate:'.length) : undefined;
  const known = ['success_rate', 'latency_p95', 'mfa_rate', 'shadow_mismatch_rate'].includes(metric);
  if (!known && !(code && (ERROR_CODES as readonly string[]).includes(code))) {
    throw new RangeError(
      `${name}: metric must be success_rate, latency_p95, mfa_rate, shadow_mismatch_rate or error_rate:<${ERROR_CODES.join('|')}>`,
    );
  }
  if (!Number.isFinite(effect) || effect === 0) throw new RangeError(`${name}: effect must be a non-zero number`);
  if (metric === 'latency_p95' ? effect <= -1 : Math.abs(effect) >= 1) {
    throw new RangeError(`${name}: effect is out of range (rates: between −1 and 1; latency: above −1)`);
  }
  if ((code || metric === 'shadow_mismatch_rate') && effect < 0) {
    throw new RangeError(`${name}: error and mismatch rates can only be raised`);
  }
  if (Object.keys(injection.cohort).length === 0) throw new RangeError(`${name}: cohort names no dimension`);
  for (const [dimension, known] of Object.entries(KNOWN_VALUES)) {
    const value = injection.cohort[dimension as Dimension];
    if (value !== undefined && !known.includes(value)) {
      throw new RangeError(`${name}: ${dimension} must be one of ${known.join(', ')}`);
    }
  }
  if (injection.cohort.tenant !== undefined && !/^t\d{3,}$/.test(injection.cohort.tenant)) {
    throw new RangeError(`${name}: tenant must be t001, t002, …`);
  }
  return injection;
}

/**
 * When the injection starts: its stage's start, or the end of the last stage for `post`.
 *
 * @throws {RangeError} if the schedule has no such stage.
 */
export function injectionStart(injection: Injection, schedule: RolloutSchedule): Date {
  if (injection.stage === 'post') return schedule.post.start;
  const stage = schedule.stages.find((s) => s.name === injection.stage);
  if (!stage) {
    throw new RangeError(`injection stage "${injection.stage}" is not one of ${schedule.stages.map((s) => s.name).join(', ')}, post`);
  }
  return stage.start;
}

const KNOWN_VALUES: Partial<Record<Dimension, readonly string[]>> = {
  idp: IDPS.map((i) => i.name),
  app: APPS.map((a) => a.name),
  region: REGIONS.map((r) => r.name),
};

function isDimension(value: string | undefined): value is Dimension {
  return (DIMENSIONS as readonly string[]).includes(value ?? '');
}
