import { describe, expect, it } from 'vitest';
import { rateArmVariance } from '../../src/evaluate/rate-arm-variance.js';
import { ratioVariance } from '../../src/stats/ratio-variance.js';
import { binomialArm } from './fixtures.js';

describe('rateArmVariance', () => {
  it('equals ratioVariance on the same unit sums', () => {
    const sums = { K: 40, Sx: 31, Sn: 97, Sxx: 55, Snn: 301, Sxn: 120 };
    const arm = {
      n: Float64Array.of(sums.Sn),
      x: Float64Array.of(sums.Sx),
      units: { K: Float64Array.of(sums.K), sxx: Float64Array.of(sums.Sxx), snn: Float64Array.of(sums.Snn), sxn: Float64Array.of(sums.Sxn) },
    };
    expect(rateArmVariance(arm, 0, sums.Sx / sums.Sn)).toBeCloseTo(ratioVariance(sums).variance, 15);
  });
  it('falls back to the binomial variance times the design effect without unit sums', () => {
    const arm = { ...binomialArm([200], [20]), designEffect: Float64Array.of(1.5) };
    expect(rateArmVariance(arm, 0, 0.1)).toBeCloseTo((1.5 * 0.1 * 0.9) / 200, 15);
    expect(rateArmVariance(binomialArm([200], [20]), 0, 0.1)).toBeCloseTo((0.1 * 0.9) / 200, 15);
  });
  it('is 0 for an hour without attempts', () => {
    expect(rateArmVariance(binomialArm([0], [0]), 0, 0.5)).toBe(0);
  });
});
