import { describe, expect, it } from 'vitest';
import { eBh } from '../../src/stats/e-bh.js';

describe('eBh', () => {
  it('rejects the k̂ largest e-values, k̂ = max{k : e_(k) ≥ m/(αk)}', () => {
    // m = 5, α = 0.1: thresholds m/(αk) = 50, 25, 16.7, 12.5, 10 for k = 1..5.
    // Sorted e: 60 ≥ 50 (k=1), 30 ≥ 25 (k=2), 14 < 16.7 (k=3), 13 ≥ 12.5 (k=4), 2 < 10: k̂ = 4.
    expect(eBh([2, 30, 13, 60, 14], 0.1)).toEqual([1, 2, 3, 4]);
  });
  it('rejects nothing when no e-value reaches m/α at k = m or below', () => {
    expect(eBh([5, 9, 9.9], 0.1)).toEqual([]);
    expect(eBh([], 0.05)).toEqual([]);
  });
  it('rejects everything when every e-value reaches 1/α', () => {
    expect(eBh([20, 20, 20], 0.05)).toEqual([0, 1, 2]);
  });
  it('reduces to "e ≥ 1/α" for a single hypothesis (Markov)', () => {
    expect(eBh([20], 0.05)).toEqual([0]);
    expect(eBh([19.99], 0.05)).toEqual([]);
  });
  it('rejects the same set as BH on the p-values 1/e (Wang & Ramdas 2022, proposition 2)', () => {
    const e = [1.5, 40, 3, 120, 25, 0.2, 60];
    const alpha = 0.1;
    const p = e.map((v) => Math.min(1, 1 / v));
    const order = p.map((_, i) => i).sort((i, j) => (p[i] ?? 0) - (p[j] ?? 0));
    let k = 0;
    order.forEach((index, rank) => {
      if ((p[index] ?? 1) <= (alpha * (rank + 1)) / p.length) k = rank + 1;
    });
    expect(eBh(e, alpha)).toEqual(order.slice(0, k).sort((i, j) => i - j));
  });
  it('throws a RangeError for a negative e-value or α outside (0, 1)', () => {
    expect(() => eBh([-1], 0.05)).toThrow(RangeError);
    expect(() => eBh([1], 0)).toThrow(RangeError);
  });
});
