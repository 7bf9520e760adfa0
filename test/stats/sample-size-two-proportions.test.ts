import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { sampleSizeTwoProportions } from '../../src/stats/sample-size-two-proportions.js';
import { expectRelative } from './relative.js';

describe('sampleSizeTwoProportions', () => {
  it('matches R power.prop.test for equal arms', () => {
    // R: power.prop.test(p1 = 0.95, p2 = 0.94, power = 0.8, tol = 1e-12)$n
    const { nT, nC } = sampleSizeTwoProportions({ p1: 0.95, p2: 0.94, alpha: 0.05, power: 0.8 });
    expectRelative(nC, fixture.r.powerPropN[0] ?? NaN, 1e-10);
    expect(nT).toBe(nC);
  });
  it('solves the power equation for unequal allocation and a design effect', () => {
    // scipy brentq on the Fleiss power equation in n_C, part-b.py
    const { p1, p2, alpha, power, ratio, designEffect, nC } = fixture.power.unequal;
    const result = sampleSizeTwoProportions({ p1, p2, alpha, power, ratio, designEffect });
    expectRelative(result.nC, nC, 1e-10);
    expectRelative(result.nT, ratio * nC, 1e-10);
  });
  it('scales linearly with the design effect', () => {
    const base = sampleSizeTwoProportions({ p1: 0.03, p2: 0.02, alpha: 0.05, power: 0.9 });
    const clustered = sampleSizeTwoProportions({ p1: 0.03, p2: 0.02, alpha: 0.05, power: 0.9, designEffect: 2.5 });
    expect(clustered.nC / base.nC).toBeCloseTo(2.5, 12);
  });
  it('throws a RangeError for equal rates', () => {
    expect(() => sampleSizeTwoProportions({ p1: 0.1, p2: 0.1, alpha: 0.05, power: 0.8 })).toThrow(RangeError);
  });
});
