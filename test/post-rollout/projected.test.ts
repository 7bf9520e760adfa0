import { describe, expect, it } from 'vitest';
import { verdictFor } from '../../src/evaluate/judge-results.js';
import { dailyLookEnds } from '../../src/post-rollout/daily-looks.js';
import { placeboDeltas } from '../../src/post-rollout/placebo.js';
import { projectedResult, type ProjectedInput } from '../../src/post-rollout/projected.js';
import { windowDelta, type HourCount } from '../../src/post-rollout/window-delta.js';
import type { PlanMetric } from '../../src/plan/plan.js';
import { seededRandom } from '../../src/stats/random.js';
import { weightedLogitTrend } from '../../src/stats/weighted-logit-trend.js';
import type { CohortBaseline } from '../../src/types.js';

const DAY = 86_400;
const BASELINE = { from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-09-29T00:00:00Z') };
const START = new Date('2026-10-20T00:00:00Z');
const metric: PlanMetric = { name: 'success_rate', family: 'rate', tolerance: 0.005, direction: 'higher_is_better' };

function hours(from: Date, days: number, rate: (hour: number) => number, seed: number): HourCount[] {
  const random = seededRandom(seed);
  return Array.from({ length: days * 24 }, (_, h) => {
    const hour = from.getTime() / 1000 + h * 3600;
    return { hour, n: 400, x: random.binomial(400, rate(hour)) };
  });
}

function input(shift: number, seed: number): ProjectedInput {
  const history = hours(BASELINE.from, 28, () => 0.97, seed);
  const fit = weightedLogitTrend(history.map((h) => ({ x: h.x, n: h.n, t: h.hour / DAY, offset: 0 })));
  const baseline: CohortBaseline = {
    snapshotId: 'bl-test', dimensions: ['app'], cohort: { app: 'ios' }, cohortKey: 'app=ios', metric: 'success_rate',
    windows: history.length, n: 400 * history.length, x: history.reduce((s, h) => s + h.x, 0), level: fit.level, trendPerDay: fit.slope,
    tBar: new Date(fit.tBar * DAY * 1000), varLevel: fit.varLevel, varTrend: fit.varSlope, covLevelTrend: fit.covLevelSlope,
    tau2: 0, phi: 1, shapeKey: 'app=ios', shapeSource: 'own', shrunk: false, shrinkWeight: 1, mean: 0.97,
  };
  return {
    baseline, shape: undefined, metric, history, window: hours(START, 7, () => 0.97 + shift, seed + 1), baselinePeriod: BASELINE,
    start: START, at: new Date(START.getTime() + 7 * DAY * 1000), plannedEnd: new Date(START.getTime() + 14 * DAY * 1000), alpha: 0.05,
  };
}

describe('windowDelta', () => {
  it('is the inverse-variance weighted mean of observed minus projected rates', () => {
    const predict = () => ({ mu: 0.9, gradLevel: 0.09, gradTrend: 0 });
    const d = windowDelta([{ hour: 0, n: 100, x: 95 }, { hour: 3600, n: 300, x: 264 }], predict, 0, { varLevel: 0, varTrend: 0, covLevelTrend: 0 });
    // s² = 0.09/n: weights 100/0.09 and 300/0.09 → Δ = (100·0.05 + 300·(−0.02))/400
    expect(d.delta).toBeCloseTo((100 * 0.05 + 300 * -0.02) / 400, 12);
    expect(d.varSampling).toBeCloseTo(0.09 / 400, 12);
  });
});

describe('placeboDeltas', () => {
  it('uses every fake date with a 7-day fit, a 7-day gap and a whole 7-day window inside the baseline', () => {
    const placebo = placeboDeltas(hours(BASELINE.from, 28, () => 0.97, 3), BASELINE, undefined, 0);
    expect(placebo.k).toBe(8);
    expect(placebo.dates[0]).toBe('2026-09-15T00:00:00.000Z');
    expect(Math.abs(placebo.mean)).toBeLessThan(3 * placebo.sd);
  });
});

describe('dailyLookEnds', () => {
  it('ends a look every 24 hours after the start and at --at', () => {
    expect(dailyLookEnds(new Date('2026-10-01T00:00:00Z'), new Date('2026-10-03T06:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-10-02T00:00:00.000Z', '2026-10-03T00:00:00.000Z', '2026-10-03T06:00:00.000Z',
    ]);
  });
});

describe('projectedResult', () => {
  it('does not flag a cohort whose candidate matches its projection (seed 11)', () => {
    const { result, placebo } = projectedResult(input(0, 11));
    expect(result.design).toBe('baseline_projection');
    expect(verdictFor({ ...result, p_adjusted: result.p_value }, 'higher_is_better', 0.05)).not.toBe('regression');
    expect(placebo.k).toBe(8);
    expect(placebo.t).toBeCloseTo((result.effect ?? NaN) / (placebo.sd * Math.sqrt(1 + 1 / placebo.k)), 12);
  });
  it('flags a 3-point drop in success as a regression, net of the placebo mean (seed 11)', () => {
    const { result, placebo } = projectedResult(input(-0.03, 11));
    expect(result.p_value).toBeLessThan(1e-4);
    expect(result.effect).toBeCloseTo(-0.03 - placebo.mean, 2);
    expect(verdictFor({ ...result, p_adjusted: result.p_value }, 'higher_is_better', 0.05)).toBe('regression');
  });
  it('says insufficient data when the window has no candidate hours', () => {
    expect(projectedResult({ ...input(0, 11), window: [] }).result.verdict).toBe('insufficient_data');
  });
});
