import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { overdispersion } from '../../src/stats/overdispersion.js';
import { expectRelative } from './relative.js';

const od = fixture.overdispersion;
const constantMean = od.x.map((x, w) => ({ x, n: od.n[w] ?? 0, mu: od.mu }));

describe('overdispersion', () => {
  it('matches R quasibinomial dispersion, the DerSimonian–Laird τ² and the moment ICC', () => {
    // R: summary(glm(cbind(x, n - x) ~ 1, family = quasibinomial))$dispersion; DL and ICC from part-b.py
    const result = overdispersion(constantMean);
    expectRelative(result.x2, od.x2, 1e-12);
    expectRelative(result.phi, fixture.r.odPhi[0] ?? NaN, 1e-10);
    expectRelative(result.tau2, od.tau2, 1e-12);
    expectRelative(result.rho, od.rho, 1e-12);
  });
  it('equals the constant-mean τ² formula of section 1.2 when μ is the pooled rate', () => {
    expectRelative(overdispersion(constantMean).tau2, od.tau2ConstantMean, 1e-12);
  });
  it('matches R mad() for the robust τ²', () => {
    // R: max(0, mad(r)^2 - 1) * median(v)
    expectRelative(overdispersion(constantMean).tau2Robust, fixture.r.odTau2Robust[0] ?? NaN, 1e-12);
  });
  it('matches R quasibinomial dispersion with a fitted trend (two parameters)', () => {
    // R: summary(glm(cbind(x, n - x) ~ t, family = quasibinomial))$dispersion, mu = fitted values
    const windows = od.x.map((x, w) => ({ x, n: od.n[w] ?? 0, mu: fixture.r.odMuTrend[w] ?? NaN }));
    expectRelative(overdispersion(windows, 2).phi, fixture.r.odPhiTrend[0] ?? NaN, 1e-9);
  });
  it('truncates τ² and ρ at 0 when the windows vary less than binomial noise', () => {
    const calm = [100, 100, 100, 100].map((n, w) => ({ x: 10 + (w % 2), n, mu: 0.105 }));
    const result = overdispersion(calm);
    expect(result.phi).toBeLessThan(1);
    expect(result.tau2).toBe(0);
    expect(result.rho).toBe(0);
  });
  it('throws a RangeError for too few windows or a mean of 0', () => {
    expect(() => overdispersion(constantMean.slice(0, 1))).toThrow(RangeError);
    expect(() => overdispersion([{ x: 0, n: 10, mu: 0 }, { x: 0, n: 10, mu: 0 }])).toThrow(RangeError);
  });
});
