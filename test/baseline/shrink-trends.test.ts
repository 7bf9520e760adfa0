import { describe, expect, it } from 'vitest';
import { shrinkTrends, type TrendFit } from '../../src/baseline/shrink-trends.js';

const fit = (cohortKey: string, trendPerDay: number, varTrend: number, setId = 1): TrendFit => ({
  setId,
  metric: 'success_rate',
  cohortKey,
  trendPerDay,
  varTrend,
  covLevelTrend: -0.001,
  trendRaw: trendPerDay,
  varTrendRaw: varTrend,
  trendWeight: 1,
});

describe('shrinkTrends', () => {
  it('pulls each trend towards the set mean by τ²/(τ² + var)', () => {
    // Equal variances: b̄ = 0, Q = 0.2/0.04 = 5, τ² = (5 − 3)/(100 − 25) = 0.08/3 (= Var_set − v), w = 0.4;
    // Var(b̄) = (0.04 + 0.08/3)/4 = 1/60, Var(b*) = 0.4·0.04 + 0.6²/60 = 0.016 + 0.006.
    const shrunk = shrinkTrends([fit('a', 0.1, 0.04), fit('b', -0.1, 0.04), fit('c', 0.3, 0.04), fit('d', -0.3, 0.04)]);
    expect(shrunk.map((f) => f.trendPerDay)).toEqual([0.1, -0.1, 0.3, -0.3].map((b) => expect.closeTo(0.4 * b, 12)));
    for (const f of shrunk) {
      expect(f.trendWeight).toBeCloseTo(0.4, 12);
      expect(f.varTrend).toBeCloseTo(0.022, 12);
      expect(f.covLevelTrend).toBeCloseTo(-0.0004, 12);
    }
    expect(shrunk[2]).toMatchObject({ trendRaw: 0.3, varTrendRaw: 0.04 });
  });

  it('sets every trend to the mean when the spread is all noise', () => {
    const shrunk = shrinkTrends([fit('a', 0.11, 1), fit('b', 0.09, 1), fit('c', 0.1, 1)]);
    for (const f of shrunk) {
      expect(f.trendPerDay).toBeCloseTo(0.1, 12);
      expect(f.trendWeight).toBe(0);
    }
  });

  it('weights cohorts by precision, so one noisy cohort does not hide the spread of the others', () => {
    // With 'noisy' (b = 0, v = 10): Q = 5, K − 1 = 4, Σw − Σw²/Σw = 100.1 − 2500.01/100.1 → τ² = 0.013311, w(c) = 0.2497,
    // where the plain moment max(0, Var_set − mean v) would give 0 (mean v = 2.032): every trend set to the mean.
    const shrunk = shrinkTrends([fit('a', 0.1, 0.04), fit('b', -0.1, 0.04), fit('c', 0.3, 0.04), fit('d', -0.3, 0.04), fit('noisy', 0, 10)]);
    expect(shrunk[2]?.trendWeight).toBeCloseTo(0.013311 / (0.013311 + 0.04), 4);
    expect(shrunk[4]?.trendWeight).toBeLessThan(0.01);
  });

  it('leaves sets of fewer than three cohorts and cohorts without a trend as they are', () => {
    const fits = [fit('', 0.5, 0.01, 0), fit('a', 0.1, 0.04), fit('b', -0.1, 0.04), fit('c', 0.3, 0.04), fit('small', 0, 0)];
    const shrunk = shrinkTrends(fits);
    expect(shrunk[0]).toBe(fits[0]);
    expect(shrunk[4]).toBe(fits[4]);
    expect(shrunk[1]?.trendWeight).toBeLessThan(1);
  });
});
