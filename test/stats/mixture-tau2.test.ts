import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { mixtureTau2 } from '../../src/stats/mixture-tau2.js';
import { expectRelative } from './relative.js';

describe('mixtureTau2', () => {
  it('equals GrowthBook sequential_rho² · s² tuned at the same look', () => {
    // gbstats: rho = sqrt((-2 log a + log(-2 log a + 1)) / N), tau2 = rho^2 s2, v* = s2 / N (part-b.py)
    for (const { v, alpha, tau2 } of fixture.halfWidth) expectRelative(mixtureTau2(v, alpha), tau2, 1e-14);
  });
  it('is 7.94 v* at alpha = 0.05 (statistics.md section 3.1)', () => {
    expect(mixtureTau2(1, 0.05)).toBeCloseTo(7.936, 3);
  });
  it('throws a RangeError for a non-positive v* or alpha outside (0, 1)', () => {
    expect(() => mixtureTau2(0, 0.05)).toThrow(RangeError);
    expect(() => mixtureTau2(1, 1)).toThrow(RangeError);
  });
});
