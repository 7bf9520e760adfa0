import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/stats/random.js';

const draws = (count: number, draw: () => number) => Array.from({ length: count }, draw);
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const variance = (values: readonly number[]) => {
  const centre = mean(values);
  return mean(values.map((value) => (value - centre) ** 2));
};

describe('seededRandom', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    expect(draws(5, seededRandom(7).uniform)).toEqual(draws(5, seededRandom(7).uniform));
    expect(draws(5, seededRandom(7).uniform)).not.toEqual(draws(5, seededRandom(8).uniform));
  });
  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const u = draws(20_000, seededRandom(1).uniform);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / 20_000));
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.003);
  });
  it('draws standard normals with mean 0 and variance 1', () => {
    const z = draws(20_000, seededRandom(2).normal);
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(20_000));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.04);
  });
  it('draws binomials with mean np and variance npq, small and large n', () => {
    const random = seededRandom(3);
    for (const [n, p] of [[20, 0.3], [100_000, 0.02]] as const) {
      const x = draws(5_000, () => random.binomial(n, p));
      expect(x.every((value) => Number.isInteger(value) && value >= 0 && value <= n)).toBe(true);
      expect(Math.abs(mean(x) - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / 5_000));
      expect(variance(x) / (n * p * (1 - p))).toBeCloseTo(1, 1);
    }
    expect(random.binomial(10, 0)).toBe(0);
    expect(random.binomial(10, 1)).toBe(10);
  });
  it('draws Poisson counts with mean and variance λ', () => {
    const random = seededRandom(4);
    for (const lambda of [0.7, 250]) {
      const x = draws(5_000, () => random.poisson(lambda));
      expect(Math.abs(mean(x) - lambda)).toBeLessThan(4 * Math.sqrt(lambda / 5_000));
      expect(variance(x) / lambda).toBeCloseTo(1, 1);
    }
  });
  it('throws a RangeError for a non-finite seed or an impossible binomial', () => {
    expect(() => seededRandom(Number.NaN)).toThrow(RangeError);
    expect(() => seededRandom(1).binomial(2.5, 0.5)).toThrow(RangeError);
    expect(() => seededRandom(1).poisson(-1)).toThrow(RangeError);
  });
});
