import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { exactBinomialPower } from '../../src/stats/exact-binomial-power.js';
import { expectRelative } from './relative.js';

describe('exactBinomialPower', () => {
  it('matches R qbinom/pbinom and scipy binom.sf', () => {
    // R: c <- qbinom(0.95, 200, 0.01) + 1; pbinom(c - 1, 200, 0.04, lower.tail = FALSE)
    const result = exactBinomialPower(200, 0.01, 0.04, 0.05);
    expect(result.critical).toBe(fixture.r.exactCritical[0]);
    expect(result.critical).toBe(fixture.power.exactScipy.critical);
    expectRelative(result.size, fixture.r.exactSize[0] ?? NaN, 1e-12);
    expectRelative(result.power, fixture.r.exactPower[0] ?? NaN, 1e-12);
  });
  it('keeps the size at or below α and one count less above it', () => {
    const { critical, size } = exactBinomialPower(1000, 0.002, 0.006, 0.01);
    expect(size).toBeLessThanOrEqual(0.01);
    expect(exactBinomialPower(1000, 0.002, 0.002, 0.01).power).toBe(size);
    expect(critical).toBeGreaterThan(2);
  });
  it('has power 0 when no count is significant', () => {
    expect(exactBinomialPower(2, 0.5, 0.9, 0.05)).toEqual({ critical: 3, size: 0, power: 0 });
  });
  it('throws a RangeError for a fractional n', () => {
    expect(() => exactBinomialPower(10.5, 0.1, 0.2, 0.05)).toThrow(RangeError);
  });
});
