import betaln from '@stdlib/math-base-special-betaln';
import { describe, expect, it } from 'vitest';
import { betaBinomialUpperTail } from '../../src/stats/beta-binomial-upper-tail.js';
import { cases, expectRelative } from './part-a-fixture.js';

type Args = { x: number; n: number; a: number; b: number };

describe('betaBinomialUpperTail', () => {
  it.each(cases<Args, { p: number }>('betaBinomialUpperTail'))('matches the 50-digit sum for $args', ({ args, expected }) => {
    expectRelative(betaBinomialUpperTail(args.x, args.n, args.a, args.b), expected.p, 1e-11);
  });
  it.each(cases<Args, { p: number }>('betaBinomialScipy'))('matches $source', ({ args, expected }) => {
    expect(betaBinomialUpperTail(args.x, args.n, args.a, args.b)).toBeCloseTo(expected.p, 13);
  });
  it('is 1 at x ≤ 0, 0 above n, and B(n + a, b)/B(a, b) at x = n', () => {
    expect(betaBinomialUpperTail(0, 10, 2, 3)).toBe(1);
    expect(betaBinomialUpperTail(11, 10, 2, 3)).toBe(0);
    expectRelative(betaBinomialUpperTail(10, 10, 2, 3), Math.exp(betaln(12, 3) - betaln(2, 3)), 1e-13);
  });
  it('is heavier-tailed than the binomial with the same mean (overdispersion)', () => {
    // Binomial(200, 0.02) upper tail at 10, R: pbinom(9, 200, 0.02, lower.tail = FALSE)
    expect(betaBinomialUpperTail(10, 200, 2, 98)).toBeGreaterThan(0.007479287865361498);
  });
  it('decreases in x', () => {
    const tail = [1, 2, 5, 10, 20].map((x) => betaBinomialUpperTail(x, 50, 1.5, 30));
    tail.slice(1).forEach((p, i) => expect(p).toBeLessThan(tail[i] ?? 0));
  });
  it('throws a RangeError for a non-positive shape or fractional n', () => {
    expect(() => betaBinomialUpperTail(1, 10, 0, 3)).toThrow(RangeError);
    expect(() => betaBinomialUpperTail(1, 10.5, 1, 3)).toThrow(RangeError);
  });
});
