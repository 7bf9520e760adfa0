import { describe, expect, it } from 'vitest';
import { verdictFor } from '../../src/evaluate/judge-results.js';
import { holdbackResult, type HoldbackInput } from '../../src/post-rollout/holdback.js';
import type { HourCount } from '../../src/post-rollout/window-delta.js';
import { seededRandom } from '../../src/stats/random.js';
import type { CohortBaseline } from '../../src/types.js';

const START = new Date('2026-10-20T00:00:00Z');
const baseline = {
  snapshotId: 'bl', dimensions: ['tenant'], cohort: { tenant: 't1' }, cohortKey: 'tenant=t1', metric: 'success_rate', windows: 672,
  n: 672 * 1000, x: 672 * 970, level: 3.48, trendPerDay: 0, tBar: new Date('2026-09-15T00:00:00Z'), varLevel: 1e-5, varTrend: 0,
  covLevelTrend: 0, tau2: 0, phi: 1, shapeKey: 'tenant=t1', shapeSource: 'own', shrunk: false, shrinkWeight: 1, mean: 0.97,
} satisfies CohortBaseline;

function input(candidateRate: number, seed: number): HoldbackInput {
  const random = seededRandom(seed);
  const arm = (n: number, rate: number): HourCount[] =>
    Array.from({ length: 7 * 24 }, (_, h) => ({ hour: START.getTime() / 1000 + h * 3600, n, x: random.binomial(n, rate) }));
  return {
    baseline, metric: { name: 'success_rate', family: 'rate', tolerance: 0.005, direction: 'higher_is_better' },
    candidate: arm(980, candidateRate), legacy: arm(20, 0.97), start: START, at: new Date(START.getTime() + 7 * 86_400_000),
    plannedEnd: new Date(START.getTime() + 14 * 86_400_000), holdbackShare: 0.02, alpha: 0.05,
  };
}

describe('holdbackResult', () => {
  it('compares the candidate with the legacy holdback in the same hours (seed 5)', () => {
    const result = holdbackResult(input(0.97, 5));
    expect(result.design).toBe('within_cohort_split');
    expect(result.n_control).toBe(input(0.97, 5).legacy.reduce((s, h) => s + h.n, 0));
    expect(verdictFor({ ...result, p_adjusted: result.p_value }, 'higher_is_better', 0.05)).not.toBe('regression');
  });
  it('flags a candidate 3 points worse than the holdback (seed 5)', () => {
    const result = holdbackResult(input(0.94, 5));
    expect(result.effect).toBeCloseTo(-0.03, 2);
    expect(result.ci?.[1]).toBeLessThan(0);
    expect(verdictFor({ ...result, p_adjusted: result.p_value }, 'higher_is_better', 0.05)).toBe('regression');
  });
  it('waits for ten expected events on each provider', () => {
    const small = input(0.97, 5);
    const result = holdbackResult({ ...small, legacy: small.legacy.slice(0, 10) });
    expect(result.verdict).toBe('insufficient_data');
  });
});
