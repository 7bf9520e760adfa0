import { describe, expect, it } from 'vitest';
import { judgeResults } from '../../src/evaluate/judge-results.js';
import type { PlanMetric } from '../../src/plan/plan.js';
import { evaluateShadow, type ShadowCohortStats } from '../../src/shadow/evaluate-shadow.js';

// `stagewise evaluate` hands shadow results to its own judge (BH across all results, then
// regression if p_adjusted ≤ α and effect > 0, pass if the CI for m − m0 lies below 0). This pins that the
// judge reads them as the shadow analysis means: ci is on the effect scale (m − m0), tolerance = m0.
const metric: PlanMetric = { name: 'shadow_mismatch_rate', family: 'shadow', tolerance: 0.002, direction: 'lower_is_better' };
const row = (cohort_key: string, pairs: number, mismatches: number): ShadowCohortStats => ({
  cohort_key, hour: '2026-10-04T00:00:00Z', pairs, mismatches, shadow_errors: 0, live_fail_legacy_ok: 0, live_ok_legacy_fail: 0,
});

describe('evaluateShadow results in the evaluate judge', () => {
  it('keep their verdicts: regression, pass, inconclusive and insufficient_data', () => {
    const results = evaluateShadow(
      [row('tenant=a', 5000, 60), row('tenant=b', 5000, 0), row('tenant=c', 5000, 10), row('tenant=d', 100, 0)],
      metric,
      { alpha: 0.05 },
    );
    expect(results.map((r) => r.verdict)).toEqual(['regression', 'pass', 'inconclusive', 'insufficient_data']);
    const judged = judgeResults(results, [metric], [], 0.05);
    expect(judged.map((r) => r.verdict)).toEqual(['regression', 'pass', 'inconclusive', 'insufficient_data']);
  });
});
