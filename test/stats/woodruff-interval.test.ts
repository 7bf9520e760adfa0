import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { woodruffInterval } from '../../src/stats/woodruff-interval.js';
import { expectRelative } from './relative.js';

const { t } = fixture.histograms;

describe('woodruffInterval', () => {
  it('matches the reference Woodruff limits for the median and p95', () => {
    // test/stats/reference/part-b.py: woodruff(counts, q, 0.95)
    for (const [q, expected] of [[0.5, fixture.woodruff['0.5']], [0.95, fixture.woodruff['0.95']]] as const) {
      const interval = woodruffInterval(t, q, 0.95);
      expectRelative(interval.estimate, expected.estimate, 1e-13);
      expectRelative(interval.lower, expected.lower, 1e-13);
      expectRelative(interval.upper, expected.upper, 1e-13);
      expectRelative(interval.se, expected.se, 1e-12);
    }
  });
  it('contains the estimate and widens with the confidence level', () => {
    const narrow = woodruffInterval(t, 0.9, 0.8);
    const wide = woodruffInterval(t, 0.9, 0.99);
    expect(narrow.lower).toBeLessThanOrEqual(narrow.estimate);
    expect(narrow.upper).toBeGreaterThanOrEqual(narrow.estimate);
    expect(wide.lower).toBeLessThanOrEqual(narrow.lower);
    expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper);
  });
  it('throws a RangeError for q of 0 or 1 and a confidence of 1', () => {
    expect(() => woodruffInterval(t, 0, 0.95)).toThrow(RangeError);
    expect(() => woodruffInterval(t, 1, 0.95)).toThrow(RangeError);
    expect(() => woodruffInterval(t, 0.5, 1)).toThrow(RangeError);
  });
});
