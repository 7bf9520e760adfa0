import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { normalMixtureHalfWidth } from '../../src/stats/normal-mixture-half-width.js';
import { oneSidedNormalMixtureHalfWidth } from '../../src/stats/one-sided-normal-mixture-half-width.js';
import { oneSidedNormalMixtureLogLambda } from '../../src/stats/one-sided-normal-mixture-log-lambda.js';
import { expectRelative } from './relative.js';

describe('oneSidedNormalMixtureHalfWidth', () => {
  it('matches the root of the integrated half-normal mixture', () => {
    // brentq on quad(one-sided log Lambda) = log(1/alpha), part-b.py
    for (const { v, alpha, tau2, oneSidedRoot } of fixture.halfWidth) {
      expectRelative(oneSidedNormalMixtureHalfWidth(v, tau2, alpha), oneSidedRoot, 1e-10);
    }
  });
  it('is narrower than the two-sided half-width and puts log Λ⁺ at log(1/α)', () => {
    const d = oneSidedNormalMixtureHalfWidth(0.02, 0.15, 0.05);
    expect(d).toBeLessThan(normalMixtureHalfWidth(0.02, 0.15, 0.05));
    expect(oneSidedNormalMixtureLogLambda(d, 0.02, 0.15)).toBeCloseTo(Math.log(20), 12);
  });
  it('throws a RangeError for alpha of 1', () => {
    expect(() => oneSidedNormalMixtureHalfWidth(1, 1, 1)).toThrow(RangeError);
  });
});
