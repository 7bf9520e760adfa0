import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { ratioVariance } from '../../src/stats/ratio-variance.js';
import { expectRelative } from './relative.js';

const expected = fixture.ratioVariance;

describe('ratioVariance', () => {
  it('matches the sample variance of the linearised unit values x_u − p n_u', () => {
    // numpy: var(x_u - p n_u, ddof=1) / (K nbar^2) on 60 simulated users, test/stats/reference/part-b.py
    const result = ratioVariance(expected.sums);
    expectRelative(result.rate, expected.rate, 1e-15);
    expectRelative(result.variance, expected.variance, 1e-12);
    expectRelative(result.designEffect, expected.designEffect, 1e-12);
  });
  it('gives K/(K − 1) times the binomial variance when every unit has one attempt', () => {
    // Units of one attempt: Sxx = Sx, Snn = Sxn... so Var = p q / (K − 1) and DE = K/(K − 1).
    const K = 200;
    const x = 30;
    const result = ratioVariance({ K, Sx: x, Sn: K, Sxx: x, Snn: K, Sxn: x });
    expectRelative(result.variance, ((x / K) * (1 - x / K)) / (K - 1), 1e-13);
    expectRelative(result.designEffect, K / (K - 1), 1e-13);
  });
  it('reports a design effect of 1 when no unit failed', () => {
    expect(ratioVariance({ K: 5, Sx: 0, Sn: 20, Sxx: 0, Snn: 100, Sxn: 0 })).toEqual({ rate: 0, variance: 0, designEffect: 1 });
  });
  it('throws a RangeError for one unit or no attempts', () => {
    expect(() => ratioVariance({ K: 1, Sx: 1, Sn: 2, Sxx: 1, Snn: 4, Sxn: 2 })).toThrow(RangeError);
    expect(() => ratioVariance({ K: 3, Sx: 0, Sn: 0, Sxx: 0, Snn: 0, Sxn: 0 })).toThrow(RangeError);
  });
});
