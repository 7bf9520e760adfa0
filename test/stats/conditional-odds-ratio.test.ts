import hypergeometric from '@stdlib/stats-base-dists-hypergeometric';
import { describe, expect, it } from 'vitest';
import { conditionalOddsRatio } from '../../src/stats/conditional-odds-ratio.js';
import type { TwoByTwo } from '../../src/stats/fisher-exact.js';
import { cases, expectRelative } from './part-a-fixture.js';

describe('conditionalOddsRatio', () => {
  it.each(cases<TwoByTwo, { oddsRatio: number }>('fisherExact'))('matches the R construction at tol 1e-15 for $args', ({ args, expected }) => {
    expectRelative(conditionalOddsRatio(args), expected.oddsRatio, 1e-9);
  });
  it('sets the noncentral hypergeometric mean to the observed a', () => {
    const [a, b, c, d] = [25, 975, 10, 990];
    const psi = conditionalOddsRatio({ a, b, c, d });
    const support = Array.from({ length: 36 }, (_, k) => k);
    const weights = support.map((k) => Math.exp(hypergeometric.logpmf(k, a + b + c + d, a + c, a + b) + k * Math.log(psi)));
    const mean = support.reduce((s, k) => s + k * (weights[k] ?? 0), 0) / weights.reduce((s, w) => s + w, 0);
    expect(mean).toBeCloseTo(a, 10);
  });
  it('is 1 for a table with equal rows and lies between 1 and the sample odds ratio', () => {
    expect(conditionalOddsRatio({ a: 5, b: 15, c: 5, d: 15 })).toBeCloseTo(1, 12);
    const psi = conditionalOddsRatio({ a: 40, b: 60, c: 20, d: 80 });
    expect(psi).toBeGreaterThan(1);
    expect(psi).toBeLessThan((40 * 80) / (60 * 20));
  });
  it('converges for large tables', () => {
    const psi = conditionalOddsRatio({ a: 5200, b: 94800, c: 5000, d: 95000 });
    expect(psi).toBeCloseTo((5200 * 95000) / (94800 * 5000), 3);
  });
  it('throws a RangeError for a fractional cell', () => {
    expect(() => conditionalOddsRatio({ a: 1, b: 2.5, c: 3, d: 4 })).toThrow(RangeError);
  });
});
