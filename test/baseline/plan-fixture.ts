import { checkPlan, type Plan } from '../../src/plan/plan.js';
import type { PlanInput } from '../../src/plan/plan-schema.js';

/** A valid plan content for tests; `overrides` replace top-level fields. */
export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    name: 'test migration',
    providers: { legacy: 'legacy', candidate: 'candidate' },
    dimensions: [['tenant'], ['idp'], ['tenant', 'idp']],
    metrics: [
      { name: 'success_rate', tolerance: 0.01 },
      { name: 'error_rate:invalid_grant', tolerance: 0.01 },
      { name: 'mfa_rate', tolerance: 0.02 },
      { name: 'latency_p95', tolerance: 0.1 },
      { name: 'shadow_mismatch_rate', tolerance: 0.001 },
    ],
    baseline: { start: '2026-09-01', end: '2026-09-15' },
    stages: [
      { name: 'canary', start: '2026-09-15', end: '2026-09-17', share: 0.05 },
      { name: 'half', start: '2026-09-17', end: '2026-09-24', share: 0.5 },
    ],
    ...overrides,
  };
}

/** A validated plan for tests. */
export function testPlan(overrides: Partial<PlanInput> = {}): Plan {
  const check = checkPlan(planInput(overrides));
  if (!check.ok) throw new Error(check.problems.join('; '));
  return check.plan;
}
