import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { normalMixtureLogLambda } from '../../src/stats/normal-mixture-log-lambda.js';
import { expectRelative } from './relative.js';

describe('normalMixtureLogLambda', () => {
  it('matches the mixture likelihood ratio integrated numerically', () => {
    // scipy.integrate.quad of N(thetaHat; theta, v) N(theta; theta0, tau2) / N(thetaHat; theta0, v), part-b.py
    for (const { thetaHat, v, tau2, theta0, logLambda } of fixture.mixture) {
      expectRelative(normalMixtureLogLambda(thetaHat, v, tau2, theta0), logLambda, 1e-11);
    }
  });
  it('matches confseq TwoSidedNormalMixture in the Howard et al. time scale', () => {
    // log M = 0.5 log(rho/(V + rho)) + S²/(2 (V + rho)), S = (thetaHat − theta0)/v, V = 1/v, rho = 1/tau2
    const [thetaHat, v, tau2] = [0.4, 0.05, 0.3];
    const [s, time, rho] = [thetaHat / v, 1 / v, 1 / tau2];
    const howard = 0.5 * Math.log(rho / (time + rho)) + s ** 2 / (2 * (time + rho));
    expect(normalMixtureLogLambda(thetaHat, v, tau2)).toBeCloseTo(howard, 12);
  });
  it('is symmetric about theta0 and negative at theta0', () => {
    expect(normalMixtureLogLambda(1.3, 0.2, 1)).toBeCloseTo(normalMixtureLogLambda(-1.3, 0.2, 1), 14);
    expect(normalMixtureLogLambda(0.5, 0.2, 1, 0.5)).toBeLessThan(0);
  });
  it('throws a RangeError for a zero variance', () => {
    expect(() => normalMixtureLogLambda(1, 0, 1)).toThrow(RangeError);
    expect(() => normalMixtureLogLambda(1, 1, 0)).toThrow(RangeError);
  });
});
