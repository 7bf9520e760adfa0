import { describe, expect, it } from 'vitest';
import { betaMixtureUpperBound } from '../../src/shadow/beta-mixture-upper-bound.js';
import { shadowPairsNeeded } from '../../src/shadow/shadow-pairs-needed.js';
import { shadowPrior } from '../../src/shadow/shadow-prior.js';
import { truncatedBetaMixtureLogE } from '../../src/shadow/truncated-beta-mixture.js';
import reference from './fixtures/beta-mixture.json' with { type: 'json' };

// Reference: /usr/bin/python3 test/shadow/fixtures/reference.py (mpmath quadrature at 40 digits).
describe('shadowPrior', () => {
  it('centres the prior on m0 with standard deviation m0 by default', () => {
    const { a, b } = shadowPrior(0.01);
    expect(a / (a + b)).toBeCloseTo(0.01, 15);
    expect(Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)))).toBeCloseTo(0.01, 12);
  });
  it('takes a given concentration', () => {
    expect(shadowPrior(0.2, 10)).toEqual({ a: 2, b: 8 });
  });
  it('throws a RangeError for a noise floor outside (0, 1)', () => {
    expect(() => shadowPrior(0)).toThrow(RangeError);
    expect(() => shadowPrior(1)).toThrow(RangeError);
  });
});

describe('truncatedBetaMixtureLogE', () => {
  it.each(reference.truncated)('matches mpmath quadrature at x=$x n=$n m0=$m0', ({ x, n, m0, logE }) => {
    expect(truncatedBetaMixtureLogE(x, n, m0, shadowPrior(m0))).toBeCloseTo(logE, 9);
  });
  it('grows with mismatches at fixed pairs (monotone likelihood ratio)', () => {
    const prior = shadowPrior(0.01);
    const values = [0, 5, 10, 20, 40].map((x) => truncatedBetaMixtureLogE(x, 1000, 0.01, prior));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] ?? Infinity);
  });
  it('stays finite or −∞, never NaN, for zero mismatches in very many pairs', () => {
    const value = truncatedBetaMixtureLogE(0, 10_000_000, 0.002, shadowPrior(0.002));
    expect(Number.isNaN(value)).toBe(false);
    expect(value).toBeLessThan(0);
  });
  it('throws a RangeError for more mismatches than pairs', () => {
    expect(() => truncatedBetaMixtureLogE(3, 2, 0.01, shadowPrior(0.01))).toThrow(RangeError);
  });
});

describe('betaMixtureUpperBound', () => {
  it.each(reference.upper)('matches the mpmath root at x=$x n=$n alpha=$alpha', ({ x, n, alpha, m0, upper }) => {
    expect(betaMixtureUpperBound(x, n, alpha, shadowPrior(m0))).toBeCloseTo(upper, 10);
  });
  it('is 1 when every pair mismatched', () => {
    expect(betaMixtureUpperBound(4, 4, 0.05, shadowPrior(0.01))).toBe(1);
  });
  it('is wider than the fixed-horizon Clopper–Pearson bound (the price of hourly looks)', () => {
    // R: binom.test(0, 1000, alternative = 'less')$conf.int[2] = 0.002991224
    expect(betaMixtureUpperBound(0, 1000, 0.05, shadowPrior(0.002))).toBeGreaterThan(0.002991224);
  });
});

describe('shadowPairsNeeded', () => {
  it.each(reference.needed)('matches a linear scan at m0=$m0 alpha=$alpha', ({ m0, alpha, sequential }) => {
    expect(shadowPairsNeeded(m0, alpha, shadowPrior(m0)).sequential).toBe(sequential);
  });
  it('gives the rule-of-three count for one fixed look', () => {
    // ln(0.05)/ln(0.998) = 1496.3: 1 − 0.05^(1/1497) < 0.002 ≤ 1 − 0.05^(1/1496)
    expect(shadowPairsNeeded(0.002, 0.05, shadowPrior(0.002)).fixed).toBe(1497);
  });
  it('is the first n whose zero-mismatch upper bound is below m0', () => {
    const prior = shadowPrior(0.01);
    const { sequential } = shadowPairsNeeded(0.01, 0.05, prior);
    expect(betaMixtureUpperBound(0, sequential, 0.05, prior)).toBeLessThan(0.01);
    expect(betaMixtureUpperBound(0, sequential - 1, 0.05, prior)).toBeGreaterThanOrEqual(0.01);
  });
});
