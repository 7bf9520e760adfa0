import { describe, expect, it } from 'vitest';
import type { PlanMetric } from '../../src/plan/plan.js';
import { adjustShadowFamily } from '../../src/shadow/adjust-shadow-family.js';
import { evaluateShadow, type ShadowCohortStats } from '../../src/shadow/evaluate-shadow.js';
import { shadowReport } from '../../src/shadow/shadow-report.js';
import { shadowReportText } from '../../src/shadow/shadow-report-text.js';

const metric: PlanMetric = { name: 'shadow_mismatch_rate', family: 'shadow', tolerance: 0.01, direction: 'lower_is_better' };
const row = (cohort_key: string, pairs: number, mismatches: number): ShadowCohortStats => ({
  cohort_key, hour: '2026-10-04T00:00:00Z', pairs, mismatches, shadow_errors: 0, live_fail_legacy_ok: 0, live_ok_legacy_fail: 0,
});

const results = adjustShadowFamily(
  evaluateShadow([row('', 3000, 90), row('app=a', 1000, 60), row('app=b', 1000, 20), row('app=c', 1000, 10)], metric, { alpha: 0.05 }),
  0.05,
);
const input = {
  planName: 'p', stage: 'stage-2', window: { start: new Date('2026-10-04T00:00:00Z'), end: new Date('2026-10-05T00:00:00Z') },
  candidateProvider: 'nova', alpha: 0.05, noiseFloor: 0.01, results,
  kinds: [
    { cohort_key: '', kind: 'aud', mismatches: 30 }, { cohort_key: '', kind: 'sub', mismatches: 60 },
    { cohort_key: 'app=a', kind: 'sub', mismatches: 60 }, { cohort_key: 'app=b', kind: 'aud', mismatches: 20 },
  ],
};

describe('shadowReport', () => {
  it('ranks cohorts by excess mismatches over m0 · pairs and leaves out those without excess', () => {
    const report = shadowReport(input);
    expect(report.concentration.cohorts).toEqual([
      { cohort: { app: 'a' }, pairs: 1000, mismatches: 60, expected_at_floor: 10, excess: 50, share_of_mismatches: 60 / 90 },
      { cohort: { app: 'b' }, pairs: 1000, mismatches: 20, expected_at_floor: 10, excess: 10, share_of_mismatches: 20 / 90 },
    ]);
    expect(shadowReport({ ...input, top: 1 }).concentration.cohorts).toHaveLength(1);
  });

  it('lists mismatch kinds overall, most first with shares, and for flagged cohorts only', () => {
    const report = shadowReport(input);
    expect(report.kinds.overall).toEqual([{ kind: 'sub', mismatches: 60, share: 60 / 90 }, { kind: 'aud', mismatches: 30, share: 30 / 90 }]);
    expect(results.map((r) => r.verdict)).toEqual(['regression', 'regression', 'inconclusive', 'inconclusive']);
    expect(report.kinds.flagged).toEqual([{ cohort: { app: 'a' }, kinds: [{ kind: 'sub', mismatches: 60, share: 1 }] }]);
    expect(report.regressions).toBe(2);
  });
});

describe('shadowReportText', () => {
  it('prints one table line per result and says how many regressions there are', () => {
    const text = shadowReportText(shadowReport(input));
    expect(text).toMatch(/^everyone +3000 +90 +0 +3\.000%/m);
    expect(text).toMatch(/^app=c +1000 +10 +0 +1\.000% .* inconclusive/m);
    expect(text).toContain('Mismatch kinds, app=a: sub 60 (100%)');
    expect(text).toContain('  app=a: 60 mismatches in 1000 pairs, 50.0 above the floor\'s 10.0 (67% of all)');
    expect(text.endsWith('2 regression(s) against the noise floor.')).toBe(true);
  });
});
