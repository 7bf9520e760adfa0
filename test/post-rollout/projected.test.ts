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

const HISTORY_START = BASELINE.from;
const HISTORY_DAYS = 49; // the baseline period and the stages' legacy arms, up to the window start

function input(shift: number, seed: number, historyDays = HISTORY_DAYS): ProjectedInput {
  const history = hours(HISTORY_START, historyDays, () => 0.97, seed);
  const fit = weightedLogitTrend(history.map((h) => ({ x: h.x, n: h.n, t: h.hour / DAY, offset: 0 })));
  const baseline: CohortBaseline = {
    snapshotId: 'bl-test', dimensions: ['app'], cohort: { app: 'ios' }, cohortKey: 'app=ios', metric: 'success_rate',
    windows: history.length, n: 400 * history.length, x: history.reduce((s, h) => s + h.x, 0), level: fit.level, trendPerDay: fit.slope,
    tBar: new Date(fit.tBar * DAY * 1000), varLevel: fit.varLevel, varTrend: fit.varSlope, covLevelTrend: fit.covLevelSlope,
    tau2: 0, phi: 1, shapeKey: 'app=ios', shapeSource: 'own', shrunk: false, shrinkWeight: 1, mean: 0.97,
  };
  return {
    baseline, shape: undefined, metric, history, historyStart: HISTORY_START, window: hours(START, 7, () => 0.97 + shift, seed + 1),
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
  const history = hours(BASELINE.from, 28, () => 0.97, 3);
  const [from, end] = [BASELINE.from.getTime() / 1000, BASELINE.to.getTime() / 1000];
  it('uses every fake date with ≥ 14 days of fit, the real gap, and a whole window inside the history, per window length', () => {
    const placebo = placeboDeltas(history, from, end, 7 * DAY, [DAY, 7 * DAY, 20 * DAY], undefined, 0);
    expect(placebo.dates[0]).toBe('2026-09-22T00:00:00.000Z'); // 14 days of fit + 7 of gap
    expect(placebo.lengths.map((l) => l.k)).toEqual([7, 1, 0]); // fake dates f with f + ℓ ≤ 28 days: days 21–27, 21, none
    expect(placeboDeltas(history, from, end, 7 * DAY, [7 * DAY], undefined, 0, 7).lengths[0]?.k).toBe(8); // 7 days of fit: days 14–21
    expect(placebo.lengths[2]?.meanSquare).toBe(0);
  });
  it('measures Δ² of the same projection: at least the sampling noise of a window, more with the trend extrapolated from short fits', () => {
    const placebo = placeboDeltas(history, from, end, 0, [7 * DAY], undefined, 0, 7);
    const binomialVar = (0.97 * 0.03) / (400 * 7 * 24);
    // Measured: 7.9 binomial variances (fits on 7–14 days extrapolate an uncertain trend over the 7-day window).
    expect(placebo.lengths[0]?.meanSquare).toBeGreaterThan(binomialVar);
    expect(placebo.lengths[0]?.meanSquare).toBeLessThan(binomialVar * 30);
  });
  it('grows with the gap when the rate drifts (the projection extrapolates further)', () => {
    const drifting = hours(BASELINE.from, 28, (h) => 0.97 - 0.02 * Math.sin(((h - from) / (28 * DAY)) * Math.PI), 4);
    const [near, far] = [0, 7 * DAY].map((gap) => placeboDeltas(drifting, from, end, gap, [3 * DAY], undefined, 0).lengths[0]?.meanSquare ?? NaN);
    expect(far).toBeGreaterThan(2 * (near ?? 0));
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
    expect(placebo.k).toBe(29); // fake dates from day 14 to day 42 of 49 for a 7-day window with no gap
    expect(placebo.gapDays).toBe(0);
    expect(placebo.t).toBeCloseTo((result.effect ?? NaN) / (placebo.rms * Math.sqrt(1 + 1 / placebo.k)), 12);
  });
  it('flags a 3-point drop in success as a regression, with the effect inside its interval (seed 11)', () => {
    const { result } = projectedResult(input(-0.03, 11));
    expect(result.p_value).toBeLessThan(1e-4);
    expect(result.effect).toBeCloseTo(-0.03, 2);
    const [lower, upper] = result.ci ?? [NaN, NaN];
    expect(lower).toBeLessThan(result.effect ?? NaN);
    expect(upper).toBeGreaterThan(result.effect ?? NaN);
    expect(verdictFor({ ...result, p_adjusted: result.p_value }, 'higher_is_better', 0.05)).toBe('regression');
  });
  it('says insufficient data when the window has no candidate hours', () => {
    expect(projectedResult({ ...input(0, 11), window: [] }).result.verdict).toBe('insufficient_data');
  });
  it('waits for 10 expected events of the rarer outcome before a look counts (a tiny cohort is judged through its parent)', () => {
    const base = input(0, 11);
    const history = base.history.map((h, i) => ({ ...h, n: 2, x: i % 50 === 0 ? 1 : 2 })); // 1% failures
    const { result } = projectedResult({ ...base, history, window: base.window.slice(0, 48).map((h) => ({ ...h, n: 2, x: h.hour % 7200 === 0 ? 1 : 2 })) });
    expect(result.verdict).toBe('insufficient_data');
    expect(result.note).toMatch(/^needs ≥ 10 expected events in the window, has \d+\.\d in 96 trials/);
  });
  it('says insufficient data, naming the gap, when the legacy history ended too long before the window to calibrate', () => {
    const { result } = projectedResult(input(0, 11, 20)); // history ends 29 days before the window
    expect(result.verdict).toBe('insufficient_data');
    expect(result.note).toMatch(/29\.0 days before the window: 0 fake date\(s\)/);
  });
  it('keeps false alarms at or below α under day-level shocks and drift the binomial model does not know (A/A, 120 cohorts)', () => {
    const random = seededRandom(2026);
    let [calibrated, naive] = [0, 0];
    const cohorts = 120;
    for (let c = 0; c < cohorts; c++) {
      const shocks = Array.from({ length: HISTORY_DAYS + 7 }, () => 0.2 * random.normal());
      const drift = 0.004 * random.normal(); // logit per day, different in every cohort
      const rate = (hour: number) => {
        const day = Math.floor((hour - HISTORY_START.getTime() / 1000) / DAY);
        return 1 / (1 + Math.exp(-(3.5 + drift * day + (shocks[day] ?? 0))));
      };
      const base = input(0, 3000 + c);
      const history = hours(HISTORY_START, HISTORY_DAYS, rate, 5000 + c);
      const window = hours(START, 7, rate, 7000 + c);
      const { result } = projectedResult({ ...base, history, window });
      if ((result.p_value ?? 1) <= 0.05) calibrated++;
      // The same projection judged by its sampling variance alone (no placebo): what the calibration prevents.
      const fit = weightedLogitTrend(history.map((h) => ({ x: h.x, n: h.n, t: h.hour / DAY, offset: 0 })));
      const d = windowDelta(window, (hour) => {
        const mu = 1 / (1 + Math.exp(-(fit.level + fit.slope * (hour / DAY - fit.tBar))));
        return { mu, gradLevel: mu * (1 - mu), gradTrend: mu * (1 - mu) * (hour / DAY - fit.tBar) };
      }, 0, { varLevel: fit.varLevel, varTrend: fit.varSlope, covLevelTrend: fit.covLevelSlope });
      if (Math.abs(d.delta) / Math.sqrt(d.varSampling + d.varModel) > 1.96) naive++;
    }
    // Binomial(120, 0.05): P(X > 12) ≈ 1%. The naive test flags most cohorts.
    expect(calibrated).toBeLessThanOrEqual(12);
    expect(naive).toBeGreaterThan(cohorts / 3);
  }, 60_000);
});
