import { describe, expect, it } from 'vitest';
import { canonicalJson, checkPlan, formatPath } from '../../src/plan/plan.js';

const valid = {
  name: 'okta-to-nova',
  providers: { legacy: 'legacy-idp', candidate: 'nova-auth' },
  dimensions: [['tenant'], ['idp'], ['tenant', 'idp']],
  metrics: [
    { name: 'success_rate', tolerance: 0.005 },
    { name: 'latency_p95', tolerance: 0.1 },
    { name: 'error_rate:invalid_grant', tolerance: 0.002 },
    { name: 'shadow_mismatch_rate', tolerance: 0.001 },
  ],
  baseline: { start: '2026-09-01', end: '2026-10-01' },
  stages: [
    { name: 'stage-1', start: '2026-10-01', end: '2026-10-04', share: 0.02 },
    { name: 'stage-2', start: '2026-10-04T00:00:00Z', end: '2026-10-08', share: 0.1, unit: 'tenant' },
  ],
};

describe('checkPlan', () => {
  it('accepts a valid plan, fills defaults and resolves metric families and directions', () => {
    const check = checkPlan(valid);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const { plan } = check;
    expect(plan.alpha).toBe(0.05);
    expect(plan.power).toBe(0.8);
    expect(plan.stages[0]?.unit).toBe('user');
    expect(plan.stages[1]?.start.toISOString()).toBe('2026-10-04T00:00:00.000Z');
    expect(plan.metrics.map((m) => [m.name, m.family, m.direction])).toEqual([
      ['success_rate', 'rate', 'higher_is_better'],
      ['latency_p95', 'latency_quantile', 'lower_is_better'],
      ['error_rate:invalid_grant', 'rate', 'lower_is_better'],
      ['shadow_mismatch_rate', 'shadow', 'lower_is_better'],
    ]);
    expect(plan.metrics[1]?.quantile).toBe(0.95);
    expect(plan.metrics[2]?.errorCode).toBe('invalid_grant');
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives one message per problem with its path in the file', () => {
    const bad = {
      ...valid,
      stages: [
        { name: 'stage-1', start: '2026-10-04', end: '2026-10-01', share: 0.02 },
        { name: 'stage-1', start: '2026-10-05', end: '2026-10-08', share: 0.01 },
      ],
    };
    const check = checkPlan(bad);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toEqual([
      'stages[0].end is before stages[0].start',
      'stages[1].name "stage-1" is used by an earlier stage',
      'stages[1].share is smaller than stages[0].share',
    ]);
  });

  it('reports schema problems with their paths', () => {
    const check = checkPlan({ ...valid, metrics: [{ name: 'speed', tolerance: -1 }], dimensions: [['tenant', 'planet']] });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.some((p) => p.startsWith('metrics[0].name:'))).toBe(true);
    expect(check.problems.some((p) => p.startsWith('metrics[0].tolerance:'))).toBe(true);
    expect(check.problems.some((p) => p.startsWith('dimensions[0][1]:'))).toBe(true);
  });

  it('gives the same hash for the same content written in another key order', () => {
    const reordered = { stages: valid.stages, baseline: valid.baseline, metrics: valid.metrics, dimensions: valid.dimensions, providers: valid.providers, name: valid.name };
    const a = checkPlan(valid);
    const b = checkPlan(reordered);
    const c = checkPlan({ ...valid, alpha: 0.01 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected valid plans');
    expect(b.plan.hash).toBe(a.plan.hash);
    expect(c.plan.hash).not.toBe(a.plan.hash);
  });
});

describe('formatPath', () => {
  it('writes array indexes in brackets', () => {
    expect(formatPath(['stages', 2, 'end'])).toBe('stages[2].end');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});
