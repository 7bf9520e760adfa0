import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { dirichletMultinomialLogBF } from '../../src/stats/dirichlet-multinomial-log-bf.js';
import { expectRelative } from './relative.js';

const d = fixture.dirichlet;

describe('dirichletMultinomialLogBF', () => {
  it('matches the beta-mixture integral for failures 30 vs 210 with exposures 1:10, k = 100', () => {
    // scipy: quad of theta^30 (1 - theta)^210 Beta(theta; k th0, k (1 - th0)) / (th0^30 (1 - th0)^210), part-b.py
    expectRelative(dirichletMultinomialLogBF(d.counts, d.theta0, d.k), d.logBFQuad, 1e-10);
    expectRelative(dirichletMultinomialLogBF(d.counts, d.theta0, d.k), d.logBF, 1e-12);
  });
  it('matches scipy gammaln for three arms', () => {
    const { counts, theta0, k, logBF } = d.three;
    expectRelative(dirichletMultinomialLogBF(counts, theta0, k), logBF, 1e-11);
  });
  it('is 0 with no events and negative for counts exactly at the null split', () => {
    expect(dirichletMultinomialLogBF([0, 0], [0.3, 0.7], 50)).toBeCloseTo(0, 14);
    expect(dirichletMultinomialLogBF([300, 700], [0.3, 0.7], 50)).toBeLessThan(0);
  });
  it('throws a RangeError for a split that does not sum to 1 or a negative count', () => {
    expect(() => dirichletMultinomialLogBF([1, 2], [0.5, 0.6], 10)).toThrow(RangeError);
    expect(() => dirichletMultinomialLogBF([-1, 2], [0.5, 0.5], 10)).toThrow(RangeError);
    expect(() => dirichletMultinomialLogBF([1, 2, 3], [0.5, 0.5], 10)).toThrow(RangeError);
  });
});
