import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { mdeTwoProportions } from '../../src/stats/mde-two-proportions.js';
import { sampleSizeTwoProportions } from '../../src/stats/sample-size-two-proportions.js';
import { expectRelative } from './relative.js';

const u = fixture.power.mdeUnequal;
const design = { p0: u.p0, nT: u.nT, nC: u.nC, alpha: u.alpha, power: u.power, designEffect: u.designEffect };

describe('mdeTwoProportions', () => {
  it('matches R power.prop.test solved for p2', () => {
    // R: power.prop.test(n = 20000, p1 = 0.05, power = 0.8, tol = 1e-12)$p2; and n = 1500, p1 = 0.2, 0.9, 0.01
    expectRelative(mdeTwoProportions({ p0: 0.05, nT: 20000, nC: 20000, alpha: 0.05, power: 0.8 }).rate, fixture.r.powerPropP2[0] ?? NaN, 1e-9);
    expectRelative(mdeTwoProportions({ p0: 0.2, nT: 1500, nC: 1500, alpha: 0.01, power: 0.9 }).rate, fixture.r.powerPropP2Small[0] ?? NaN, 1e-9);
  });
  it('solves the unequal-allocation power equation in both directions and sequentially', () => {
    // scipy brentq, part-b.py; the sequential critical value is the mixture CS boundary 3.035
    expectRelative(mdeTwoProportions(design).mde, u.mde, 1e-10);
    expectRelative(mdeTwoProportions({ ...design, direction: 'decrease' }).mde, u.mdeDecrease, 1e-10);
    const sequential = mdeTwoProportions({ ...design, sequential: true });
    expectRelative(sequential.mde, u.mdeSequential, 1e-9);
    expectRelative(sequential.critical, fixture.power.sequentialBoundary, 1e-10);
  });
  it('inverts sampleSizeTwoProportions', () => {
    const { nC } = sampleSizeTwoProportions({ p1: 0.035, p2: 0.03, alpha: 0.05, power: 0.8, ratio: 0.5 });
    expect(mdeTwoProportions({ p0: 0.03, nT: 0.5 * nC, nC, alpha: 0.05, power: 0.8 }).rate).toBeCloseTo(0.035, 12);
  });
  it('returns an infinite MDE when no rate reaches the power', () => {
    expect(mdeTwoProportions({ p0: 0.5, nT: 2, nC: 2, alpha: 0.05, power: 0.99 }).mde).toBe(Infinity);
  });
  it('throws a RangeError for zero attempts', () => {
    expect(() => mdeTwoProportions({ ...design, nT: 0 })).toThrow(RangeError);
  });
});
