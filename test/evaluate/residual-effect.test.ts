import { describe, expect, it } from 'vitest';
import { residualEffect, standardError } from '../../src/evaluate/residual-effect.js';

describe('standardError', () => {
  it('divides the half-width of the interval by z_{1−α/2}', () => {
    // z_0.975 = 1.959963984540054 (R: qnorm(0.975))
    expect(standardError({ ci: [-0.03, -0.01] }, 0.05)).toBeCloseTo(0.01 / 1.959963984540054, 12);
  });
  it('throws a RangeError without an interval', () => {
    expect(() => standardError({ ci: null }, 0.05)).toThrow(RangeError);
  });
});

describe('residualEffect', () => {
  // Everyone: 50 000 attempts at −0.92 pp; tenant t1: 10 000 of them at −3 pp; per-attempt SD 0.3.
  const parent = { effect: -0.0092, n: 50_000, se: 0.3 / Math.sqrt(50_000) };
  it('takes the child out of the n-weighted effect, with the rest of the traffic\'s sampling error', () => {
    const rest = residualEffect(parent, [{ effect: -0.03, n: 10_000, se: 0.003 }]);
    expect(rest.n).toBe(40_000);
    expect(rest.effect).toBeCloseTo((-0.0092 * 50_000 + 0.03 * 10_000) / 40_000, 12);
    expect(rest.se).toBeCloseTo(0.3 / Math.sqrt(40_000), 12);
  });
  it('never makes the rest more certain than the parent\'s per-attempt variance allows', () => {
    expect(residualEffect(parent, [{ effect: -0.03, n: 10_000, se: 0.006 }]).se).toBeCloseTo(0.3 / Math.sqrt(40_000), 12);
    expect(residualEffect(parent, [{ effect: -0.03, n: 10_000, se: 0.001 }]).se).toBeCloseTo(Math.sqrt(0.09 * 50_000 - 1e8 * 1e-6) / 40_000, 12);
  });
  it('leaves nothing when the pieces cover the parent', () => {
    expect(residualEffect(parent, [{ effect: -0.01, n: 30_000, se: 0.002 }, { effect: -0.008, n: 20_000, se: 0.002 }])).toEqual({ effect: 0, se: Infinity, n: 0 });
  });
  it('throws a RangeError for a parent without traffic', () => {
    expect(() => residualEffect({ effect: 0, n: 0, se: 1 }, [])).toThrow(RangeError);
  });
});
