import { describe, expect, it } from 'vitest';
import { alwaysValidP } from '../../src/stats/always-valid-p.js';

describe('alwaysValidP', () => {
  it('returns 1/Λ when it is below the previous p', () => {
    expect(alwaysValidP(1, Math.log(40))).toBeCloseTo(0.025, 15);
  });
  it('never increases and never exceeds 1', () => {
    expect(alwaysValidP(0.01, Math.log(2))).toBe(0.01);
    expect(alwaysValidP(1, -3)).toBe(1);
  });
  it('throws a RangeError for a previous p above 1 or a NaN e-value', () => {
    expect(() => alwaysValidP(1.5, 1)).toThrow(RangeError);
    expect(() => alwaysValidP(0.5, Number.NaN)).toThrow(RangeError);
  });
});
