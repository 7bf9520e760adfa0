import { describe, expect, it } from 'vitest';
import { checkInjection, injectionStart, parseInjection } from '../../src/simulate/injection.js';
import { rolloutSchedule } from '../../src/simulate/schedule.js';

describe('parseInjection', () => {
  it('reads a one-dimension cohort, a metric, an effect and a stage', () => {
    expect(parseInjection('tenant=t012:success_rate:-0.02@stage-2')).toEqual({
      cohort: { tenant: 't012' },
      metric: 'success_rate',
      effect: -0.02,
      stage: 'stage-2',
    });
  });

  it('reads a cohort of several dimensions and an error_rate metric with its code', () => {
    expect(parseInjection('tenant=t003,idp=okta-oidc:error_rate:upstream_timeout:0.01@post')).toEqual({
      cohort: { tenant: 't003', idp: 'okta-oidc' },
      metric: 'error_rate:upstream_timeout',
      effect: 0.01,
      stage: 'post',
    });
  });

  it.each([
    ['tenant=t012:success_rate:-0.02', /no @stage/],
    ['tenant=t012:-0.02@stage-2', /cohort:metric:effect/],
    ['country=fr:success_rate:-0.02@stage-2', /dim=value/],
    ['tenant=t012:p99:0.2@stage-2', /metric must be/],
    ['tenant=t012:error_rate:bogus:0.01@stage-2', /metric must be/],
    ['tenant=t012:success_rate:abc@stage-2', /non-zero number/],
    ['tenant=t012:success_rate:1.5@stage-2', /out of range/],
    ['tenant=t012:shadow_mismatch_rate:-0.01@stage-2', /only be raised/],
    ['idp=okta:success_rate:-0.02@stage-2', /idp must be one of okta-oidc, azure-ad-saml/],
    ['app=desktop:success_rate:-0.02@stage-2', /app must be one of web, ios/],
    ['region=mars:success_rate:-0.02@stage-2', /region must be one of us-east/],
    ['tenant=acme:success_rate:-0.02@stage-2', /tenant must be t001/],
  ])('rejects %s with a RangeError naming the problem', (spec, message) => {
    expect(() => parseInjection(spec)).toThrow(RangeError);
    expect(() => parseInjection(spec)).toThrow(message);
  });
});

describe('checkInjection', () => {
  it('rejects an injection whose cohort names no dimension', () => {
    expect(() => checkInjection({ cohort: {}, metric: 'mfa_rate', effect: 0.1, stage: 'stage-1' })).toThrow(/no dimension/);
  });
});

describe('injectionStart', () => {
  const schedule = rolloutSchedule(new Date('2026-09-01T00:00:00Z'), 56);

  it('starts at the named stage, or at the end of the last stage for post', () => {
    expect(injectionStart(parseInjection('app=ios:mfa_rate:0.1@stage-3'), schedule)).toEqual(new Date('2026-10-06T00:00:00Z'));
    expect(injectionStart(parseInjection('app=ios:mfa_rate:0.1@post'), schedule)).toEqual(new Date('2026-10-21T00:00:00Z'));
  });

  it('throws a RangeError for a stage the schedule does not have', () => {
    expect(() => injectionStart(parseInjection('app=ios:mfa_rate:0.1@stage-9'), schedule)).toThrow(/stage-9/);
  });
});
