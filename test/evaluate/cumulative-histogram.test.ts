import { describe, expect, it } from 'vitest';
import { CumulativeHistogram } from '../../src/evaluate/cumulative-histogram.js';
import { histogramQuantile } from '../../src/stats/histogram-quantile.js';
import { LATENCY_BIN_COUNT } from '../../src/stats/latency-histogram.js';
import { seededRandom } from '../../src/stats/random.js';
import { woodruffInterval } from '../../src/stats/woodruff-interval.js';

describe('CumulativeHistogram', () => {
  const random = seededRandom(3);
  const dense = new Array<number>(LATENCY_BIN_COUNT).fill(0);
  const histogram = new CumulativeHistogram();
  for (let i = 0; i < 500; i++) {
    const bin = Math.min(LATENCY_BIN_COUNT - 1, Math.max(0, Math.round(120 + 12 * random.normal())));
    const count = 1 + Math.floor(random.uniform() * 5);
    dense[bin] = (dense[bin] ?? 0) + count;
    histogram.add(bin, count);
  }

  it('reads the same quantiles as histogramQuantile on the dense histogram', () => {
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1]) {
      expect(histogram.quantile(q)).toBeCloseTo(histogramQuantile(dense, q), 9);
    }
  });
  it('gives the Woodruff standard error of woodruffInterval', () => {
    for (const q of [0.5, 0.95, 0.99]) {
      const reference = woodruffInterval(dense, q, 0.95);
      const fast = histogram.woodruff(q);
      expect(fast.estimate).toBeCloseTo(reference.estimate, 9);
      expect(fast.se).toBeCloseTo(reference.se, 9);
    }
  });
  it('counts what was added, ignoring non-positive counts', () => {
    const h = new CumulativeHistogram();
    h.add(10, 3);
    h.add(11, 0);
    h.add(12, -2);
    expect(h.total).toBe(3);
    expect(h.quantile(0)).toBeCloseTo(1.05 ** 10, 12);
  });
});
