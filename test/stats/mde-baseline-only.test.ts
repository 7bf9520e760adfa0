import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { mdeBaselineOnly } from '../../src/stats/mde-baseline-only.js';
import { expectRelative } from './relative.js';

const { mde, floor, ...design } = fixture.power.baselineOnly;

describe('mdeBaselineOnly', () => {
  it('matches the reference MDE and floor', () => {
    // part-b.py with scipy norm.ppf quantiles
    const result = mdeBaselineOnly(design);
    expectRelative(result.mde, mde, 1e-12);
    expectRelative(result.floor, floor, 1e-12);
  });
  it('approaches the floor, never below it, as traffic per window grows', () => {
    const huge = mdeBaselineOnly({ ...design, nPerWindow: 1e12 });
    expect(huge.mde).toBeGreaterThan(huge.floor);
    expect(huge.mde).toBeCloseTo(huge.floor, 6);
  });
  it('throws a RangeError for a negative τ²', () => {
    expect(() => mdeBaselineOnly({ ...design, tau2: -1 })).toThrow(RangeError);
  });
});
