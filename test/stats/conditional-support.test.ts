import { describe, expect, it } from 'vitest';
import { conditionalSupport, logSumExp } from '../../src/stats/conditional-support.js';

describe('conditionalSupport', () => {
  it('spans max(0, n + K − N)..min(n, K) and its weights sum to 1', () => {
    // a + b = 6 drawn, a + c = 8 events, N = 10: a ∈ 4..6
    const { lo, hi, support, logWeights } = conditionalSupport({ a: 5, b: 1, c: 3, d: 1 }, 'test');
    expect([lo, hi]).toEqual([4, 6]);
    expect(support).toEqual([4, 5, 6]);
    expect(Math.exp(logSumExp(logWeights))).toBeCloseTo(1, 14);
    // C(8, 4) C(2, 2) / C(10, 6) = 70 / 210
    expect(Math.exp(logWeights[0] ?? NaN)).toBeCloseTo(70 / 210, 14);
  });
  it('throws a RangeError naming the caller for a negative cell', () => {
    expect(() => conditionalSupport({ a: -1, b: 1, c: 1, d: 1 }, 'fisherOddsRatioInterval')).toThrow(/fisherOddsRatioInterval/);
  });
});

describe('logSumExp', () => {
  it('adds in log space without overflow or underflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp([-1000, -1000 + Math.log(3)])).toBeCloseTo(-1000 + Math.log(4), 12);
    expect(logSumExp([])).toBe(-Infinity);
  });
});
