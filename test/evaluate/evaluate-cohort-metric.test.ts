import { describe, expect, it } from 'vitest';
import { evaluateCohortMetric } from '../../src/evaluate/evaluate-cohort-metric.js';
import type { CohortMetricInput } from '../../src/evaluate/hourly-stats.js';
import { withinSplitStream } from '../../src/evaluate/rate-within.js';
import { lookObjects } from '../../src/evaluate/stream.js';
import { fisherExact } from '../../src/stats/fisher-exact.js';
import { normalMixtureHalfWidth } from '../../src/stats/normal-mixture-half-width.js';
import { normalMixtureSequence } from '../../src/stats/normal-mixture-sequence.js';
import { FAILURES, P95, binomialArm, steadyArm, steadyLatency } from './fixtures.js';

const within = (candidate: ReturnType<typeof steadyArm>, legacy: ReturnType<typeof steadyArm>, hours: number): CohortMetricInput => ({
  cohort: { tenant: 't1' },
  metric: FAILURES,
  design: 'within_cohort_split',
  hours,
  alpha: 0.05,
  tau2: 1e-4,
  rate: { candidate, legacy },
});

describe('evaluateCohortMetric', () => {
  it('takes the always-valid p and confidence sequence of the mSPRT over every hourly look', () => {
    const input = within(steadyArm(24, 500, 30), steadyArm(24, 2000, 100), 24);
    const result = evaluateCohortMetric(input);
    const looks = lookObjects(withinSplitStream(input.rate!.candidate, input.rate!.legacy!, 24).columns);
    const last = normalMixtureSequence(looks, { tau2: 1e-4, alpha: 0.05 }).at(-1)!;
    expect(looks).toHaveLength(24);
    expect(result.p_value).toBe(last.p);
    // The reported interval is the latest look's confidence sequence (centred on the latest estimate).
    const latest = looks.at(-1)!;
    const half = normalMixtureHalfWidth(latest.v, 1e-4, 0.05);
    expect(result.ci![0]).toBeCloseTo(latest.thetaHat - half, 14);
    expect(result.ci![1]).toBeCloseTo(latest.thetaHat + half, 14);
    expect(last.lower).toBeGreaterThanOrEqual(result.ci![0]); // the intersection is never wider
    expect(result.effect).toBeCloseTo(0.01, 14);
    expect(result.method).toMatch(/^mSPRT normal mixture over 24 hourly looks/);
  });
  it('gives the same numbers at hour t whether later hours exist or not', () => {
    const full = within(binomialArm([300, 500, 800, 900, 400], [20, 41, 50, 75, 22]), binomialArm([1200, 2000, 3200, 3600, 1600], [60, 101, 160, 180, 80]), 3);
    const cut = within(binomialArm([300, 500, 800], [20, 41, 50]), binomialArm([1200, 2000, 3200], [60, 101, 160]), 3);
    expect(evaluateCohortMetric(full)).toEqual(evaluateCohortMetric(cut));
  });
  it('reports the latest look\'s interval around the latest estimate, and says so when the effect moved', () => {
    // A big early harm (10% vs 5% failures) that vanishes later: the running intersection keeps the early upper bound.
    const candidate = binomialArm([2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000], [200, 200, 100, 100, 100, 100, 100, 100]);
    const legacy = binomialArm([8000, 8000, 8000, 8000, 8000, 8000, 8000, 8000], [400, 400, 400, 400, 400, 400, 400, 400]);
    const result = evaluateCohortMetric(within(candidate, legacy, 8));
    const looks = lookObjects(withinSplitStream(candidate, legacy, 8).columns);
    const latest = looks.at(-1)!.thetaHat;
    const [lower, upper] = result.ci!;
    expect(latest).toBeGreaterThan(lower);
    expect(latest).toBeLessThan(upper);
    expect(result.method).toMatch(/the effect moved during the window/);
  });
  it('says what an unjudgeable cohort would need instead of passing it', () => {
    const result = evaluateCohortMetric(within(steadyArm(4, 10, 0), steadyArm(4, 40, 1), 4));
    expect(result.verdict).toBe('insufficient_data');
    expect(result.p_value).toBeNull();
    expect(result.note).toMatch(/needs ≥ 10 expected events per arm/);
  });
  it('uses Fisher exact test, Bonferroni over every planned look of the stage, for small cohorts', () => {
    // 7.5 expected failures on the smaller arm after 3 hours (pooled rate 24/750): in the exact band.
    const input = { ...within(steadyArm(3, 50, 6), steadyArm(3, 200, 6), 3), plannedLooks: 48 };
    const result = evaluateCohortMetric(input);
    const fixedN = fisherExact({ a: 18, b: 132, c: 18, d: 582 }).pValue;
    expect(result.method).toMatch(/^Fisher exact test .*Bonferroni over the stage's 48 hourly looks/);
    expect(result.p_value).toBeCloseTo(Math.min(1, 48 * fixedN), 12);
  });
  it('compares latency quantiles as a ratio with a relative effect', () => {
    const bins = [100, 110, 120, 130];
    const result = evaluateCohortMetric({
      cohort: {},
      metric: P95,
      design: 'within_cohort_split',
      hours: 12,
      alpha: 0.05,
      tau2: 0.01,
      latency: { candidate: steadyLatency(12, bins.map((b) => b + 4), [50, 100, 100, 50]), legacy: steadyLatency(12, bins, [200, 400, 400, 200]) },
    });
    expect(result.effect).toBeCloseTo(1.05 ** 4 - 1, 6);
    expect(result.ci![0]).toBeLessThan(result.effect!);
    expect(result.ci![1]).toBeGreaterThan(result.effect!);
    expect(result.p_value).toBeLessThan(1e-6);
  });
});
