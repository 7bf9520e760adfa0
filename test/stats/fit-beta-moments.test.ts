import { describe, expect, it } from 'vitest';
import { fitBetaMoments } from '../../src/stats/fit-beta-moments.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Rows = { rows: { x: number; n: number }[] };
type Expected = { a: number; b: number; mean: number; rho: number };

describe('fitBetaMoments', () => {
  it.each(cases<Rows, Expected>('fitBetaMoments'))('matches the exact rational estimate, $expected.rho', ({ args, expected }) => {
    const fit = fitBetaMoments(args.rows);
    expect(fit.mean).toBeCloseTo(expected.mean, 15);
    expect(fit.rho).toBeCloseTo(expected.rho, 14);
    expectRelative(fit.a, expected.a, 1e-11);
    expectRelative(fit.b, expected.b, 1e-11);
  });
  it('gives a + b = (1 − rho)/rho and a/(a + b) = mean', () => {
    const fit = fitBetaMoments([{ x: 1, n: 50 }, { x: 0, n: 40 }, { x: 3, n: 60 }, { x: 2, n: 45 }, { x: 9, n: 55 }]);
    expect(fit.a / (fit.a + fit.b)).toBeCloseTo(fit.mean, 15);
    expect(1 / (fit.a + fit.b + 1)).toBeCloseTo(fit.rho, 15);
  });
  it('truncates rho at 0 (infinite a and b) when the rows vary less than binomial', () => {
    expect(fitBetaMoments([{ x: 10, n: 100 }, { x: 10, n: 100 }])).toEqual({ a: Infinity, b: Infinity, mean: 0.1, rho: 0 });
  });
  it('throws a RangeError for one row, a pooled rate of 0, Bernoulli rows or all-or-nothing rows', () => {
    expect(() => fitBetaMoments([{ x: 1, n: 10 }])).toThrow(RangeError);
    expect(() => fitBetaMoments([{ x: 0, n: 10 }, { x: 0, n: 20 }])).toThrow(RangeError);
    expect(() => fitBetaMoments([{ x: 0, n: 1 }, { x: 1, n: 1 }, { x: 1, n: 1 }])).toThrow(RangeError);
    expect(() => fitBetaMoments([{ x: 0, n: 30 }, { x: 20, n: 20 }, { x: 0, n: 10 }])).toThrow(RangeError);
  });
});
