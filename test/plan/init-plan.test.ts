import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { initPlan, planYaml, type ProviderProfile } from '../../src/plan/init-plan.js';
import { checkPlan } from '../../src/plan/plan.js';

const profile = (provider: string, events: number, first: string, last: string, extra: Partial<ProviderProfile> = {}): ProviderProfile => ({
  provider, events, first_ts: new Date(first), last_ts: new Date(last), latency: events, mfa: 0, shadow: 0,
  tenant_values: 12, idp_values: 3, app_values: 1, region_values: 2, top_error: 'invalid_grant', ...extra,
});

describe('initPlan', () => {
  it('takes the busiest provider as legacy and ends the baseline where the candidate starts', () => {
    const { content } = initPlan([
      profile('old-idp', 900, '2026-08-01T05:00:00Z', '2026-10-10T00:00:00Z'),
      profile('new-idp', 100, '2026-09-20T13:00:00Z', '2026-10-10T00:00:00Z'),
    ]);
    expect(content.providers).toEqual({ legacy: 'old-idp', candidate: 'new-idp' });
    expect(content.baseline).toEqual({ start: '2026-08-23', end: '2026-09-20' });
    expect(content.stages[0]?.start).toBe('2026-09-20');
    expect(content.dimensions).toEqual([['tenant'], ['idp'], ['region'], ['tenant', 'idp']]);
    expect(content.metrics.map((m) => m.name)).toEqual(['success_rate', 'latency_p95', 'error_rate:invalid_grant']);
    expect(checkPlan(content).ok).toBe(true);
  });

  it('writes YAML whose comments explain the choices and which parses back to the same plan', () => {
    const { content, comments } = initPlan([profile('only-idp', 500, '2026-09-01T00:00:00Z', '2026-09-10T12:00:00Z', { mfa: 10, shadow: 3 })]);
    expect(content.providers.candidate).toBe('candidate-provider');
    expect(content.baseline).toEqual({ start: '2026-09-01', end: '2026-09-10' });
    const text = planYaml(content, comments);
    expect(text).toContain('# Providers seen: only-idp (500 events). Only one provider has events: set the candidate.');
    expect(parse(text)).toEqual(content);
    expect(checkPlan(parse(text)).ok).toBe(true);
  });

  it('throws a RangeError for an empty profile', () => {
    expect(() => initPlan([])).toThrow(RangeError);
  });
});
