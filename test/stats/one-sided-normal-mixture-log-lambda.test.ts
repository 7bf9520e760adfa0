import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { normalMixtureLogLambda } from '../../src/stats/normal-mixture-log-lambda.js';
import { oneSidedNormalMixtureLogLambda } from '../../src/stats/one-sided-normal-mixture-log-lambda.js';
import { expectRelative } from './relative.js';

describe('oneSidedNormalMixtureLogLambda', () => {
  it('matches the half-normal mixture integrated numerically', () => {
    // scipy.integrate.quad over delta >= 0 with density 2 N(delta; 0, tau2), part-b.py
    for (const { thetaHat, v, tau2, theta0, logLambdaOneSided } of fixture.mixture) {
      expectRelative(oneSidedNormalMixtureLogLambda(thetaHat, v, tau2, theta0), logLambdaOneSided, 1e-10);
    }
  });
  it('equals the two-sided value at theta0 and increases with the estimate', () => {
    expect(oneSidedNormalMixtureLogLambda(0, 0.1, 1)).toBeCloseTo(normalMixtureLogLambda(0, 0.1, 1), 14);
    const values = [-3, -1, 0, 1, 3].map((thetaHat) => oneSidedNormalMixtureLogLambda(thetaHat, 0.1, 1));
    values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i] ?? Infinity));
  });
  it('stays finite for a strongly negative estimate', () => {
    expect(Number.isFinite(oneSidedNormalMixtureLogLambda(-50, 0.01, 1))).toBe(true);
  });
  it('throws a RangeError for a non-finite estimate', () => {
    expect(() => oneSidedNormalMixtureLogLambda(Number.NaN, 1, 1)).toThrow(RangeError);
  });
});
