import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { weightedLogitTrend } from '../../src/stats/weighted-logit-trend.js';
import { expectRelative } from './relative.js';

const tr = fixture.trend;
const windows = tr.x.map((x, w) => ({ x, n: tr.n[w] ?? 0, t: tr.t[w] ?? 0, offset: tr.offset[w] ?? 0 }));

describe('weightedLogitTrend', () => {
  it('matches R glm with an offset and a centred time', () => {
    // R: glm(cbind(x, n - x) ~ I(t - tBar) + offset(offset), binomial, control = glm.control(epsilon = 1e-15))
    const fit = weightedLogitTrend(windows);
    expectRelative(fit.tBar, fixture.r.trendTBar[0] ?? NaN, 1e-14);
    expectRelative(fit.level, fixture.r.trendCoef[0] ?? NaN, 1e-10);
    expectRelative(fit.slope, fixture.r.trendCoef[1] ?? NaN, 1e-9);
    expectRelative(fit.varLevel, fixture.r.trendCov[0] ?? NaN, 1e-8);
    expectRelative(fit.covLevelSlope, fixture.r.trendCov[1] ?? NaN, 1e-8);
    expectRelative(fit.varSlope, fixture.r.trendCov[3] ?? NaN, 1e-8);
    expect(fit.iterations).toBeLessThan(15);
  });
  it('recovers an exact logit-linear rate', () => {
    const exact = [0, 1, 2, 3].map((t) => ({ x: 1e6 / (1 + Math.exp(-(-2 + 0.1 * (t - 1.5)))), n: 1e6, t, offset: 0 }));
    const fit = weightedLogitTrend(exact);
    expect(fit.level).toBeCloseTo(-2, 10);
    expect(fit.slope).toBeCloseTo(0.1, 10);
  });
  it('moves the level, not the slope, by a constant offset', () => {
    const shifted = weightedLogitTrend(windows.map((w) => ({ ...w, offset: w.offset + 0.5 })));
    const fit = weightedLogitTrend(windows);
    expect(shifted.level).toBeCloseTo(fit.level - 0.5, 9);
    expect(shifted.slope).toBeCloseTo(fit.slope, 11);
  });
  it('throws a RangeError for one distinct time or no events at all', () => {
    expect(() => weightedLogitTrend([{ x: 1, n: 10, t: 0, offset: 0 }, { x: 2, n: 10, t: 0, offset: 0 }])).toThrow(RangeError);
    expect(() => weightedLogitTrend([{ x: 0, n: 10, t: 0, offset: 0 }, { x: 0, n: 10, t: 1, offset: 0 }])).toThrow(RangeError);
  });
});
