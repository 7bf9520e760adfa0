import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { normalMixtureHalfWidth } from '../../src/stats/normal-mixture-half-width.js';
import { normalMixtureLogLambda } from '../../src/stats/normal-mixture-log-lambda.js';
import { expectRelative } from './relative.js';

describe('normalMixtureHalfWidth', () => {
  it('matches GrowthBook sequential_interval_halfwidth and the root of the integrated mixture', () => {
    // gbstats formula with s2 = v N; brentq on quad(log Lambda) = log(1/alpha), part-b.py
    for (const { v, alpha, tau2, growthbook, root } of fixture.halfWidth) {
      expectRelative(normalMixtureHalfWidth(v, tau2, alpha), growthbook, 1e-13);
      expectRelative(normalMixtureHalfWidth(v, tau2, alpha), root, 1e-10);
    }
  });
  it('puts log Λ exactly at log(1/α) on the boundary', () => {
    const h = normalMixtureHalfWidth(0.01, 0.08, 0.05);
    expect(normalMixtureLogLambda(h, 0.01, 0.08)).toBeCloseTo(Math.log(20), 12);
  });
  it('is 3.04 √v* at the tuning look for alpha = 0.05 (statistics.md section 7)', () => {
    expect(normalMixtureHalfWidth(1, 7.936, 0.05)).toBeCloseTo(3.035, 3);
  });
  it('throws a RangeError for alpha outside (0, 1)', () => {
    expect(() => normalMixtureHalfWidth(1, 1, 0)).toThrow(RangeError);
  });
});
