import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { quantileDifference } from '../../src/stats/quantile-difference.js';
import { expectRelative } from './relative.js';

const { t, c } = fixture.histograms;
const expected = fixture.quantileDifference;

describe('quantileDifference', () => {
  it('matches the reference difference and ratio of p95 with 90% limits', () => {
    // test/stats/reference/part-b.py: Woodruff SEs combined, ratio by the delta method on logs
    const result = quantileDifference(t, c, 0.95, 0.9);
    for (const key of ['difference', 'se', 'lower', 'upper', 'ratio', 'ratioLower', 'ratioUpper'] as const) {
      expectRelative(result[key], expected[key], 1e-12);
    }
  });
  it('changes the sign of the difference and inverts the ratio when the arms are swapped', () => {
    const forward = quantileDifference(t, c, 0.5, 0.95);
    const backward = quantileDifference(c, t, 0.5, 0.95);
    expect(backward.difference).toBeCloseTo(-forward.difference, 10);
    expect(backward.ratio).toBeCloseTo(1 / forward.ratio, 12);
    expect(backward.ratioUpper).toBeCloseTo(1 / forward.ratioLower, 12);
  });
  it('gives a difference of 0 for identical histograms, inside its interval', () => {
    const result = quantileDifference(t, t, 0.9, 0.95);
    expect(result.difference).toBe(0);
    expect(result.lower).toBeLessThan(0);
    expect(result.upper).toBeGreaterThan(0);
  });
});
