import { describe, expect, it } from 'vitest';
import { acrossHoursScale } from '../../src/evaluate/across-hours-scale.js';

// Ten users, one attempt each in each of two hours; five always fail, five never.
const perHour = { n: Float64Array.of(10, 10), x: Float64Array.of(5, 5), units: { K: Float64Array.of(10, 10), sxx: Float64Array.of(5, 5), snn: Float64Array.of(10, 10), sxn: Float64Array.of(5, 5) } };

describe('acrossHoursScale', () => {
  it('doubles the variance when every user repeats the same outcome in both hours', () => {
    // Per hour: (5 − 5 + 2.5)·10/(9·100); pooled over hours /2. Window: K=10, Σx²=20, Σn²=40, Σxn=20 → 10/360.
    expect(acrossHoursScale(perHour, { K: 10, Sx: 10, Sn: 20, Sxx: 20, Snn: 40, Sxn: 20 }, 2)).toBeCloseTo(2, 12);
  });
  it('never shrinks the variance, and is 1 without window sums', () => {
    // Different users in the two hours: the window sums equal the hourly ones.
    expect(acrossHoursScale(perHour, { K: 20, Sx: 10, Sn: 20, Sxx: 10, Snn: 20, Sxn: 10 }, 2)).toBe(1);
    expect(acrossHoursScale(perHour, undefined, 2)).toBe(1);
  });
});
