import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { histogramQuantile } from '../../src/stats/histogram-quantile.js';
import { latencyBinEdges } from '../../src/stats/latency-histogram.js';
import { expectRelative } from './relative.js';

const { t, q, quantileT } = fixture.histograms;
const single = (bin: number, count: number) => Array.from({ length: 241 }, (_, k) => (k === bin ? count : 0));

describe('histogramQuantile', () => {
  it('matches the ogive quantiles computed by the reference script', () => {
    // numpy searchsorted on the cumulative counts, test/stats/reference/part-b.py
    q.forEach((level, i) => expectRelative(histogramQuantile(t, level), quantileT[i] ?? NaN, 1e-13));
  });
  it('interpolates linearly inside one bin', () => {
    const edges = latencyBinEdges();
    const counts = single(100, 4);
    expect(histogramQuantile(counts, 0.25)).toBeCloseTo((edges[100] ?? 0) + 0.25 * ((edges[101] ?? 0) - (edges[100] ?? 0)), 9);
    expect(histogramQuantile(counts, 0)).toBe(edges[100]);
    expect(histogramQuantile(counts, 1)).toBe(edges[101]);
  });
  it('is non-decreasing in q', () => {
    const values = Array.from({ length: 101 }, (_, i) => histogramQuantile(t, i / 100));
    values.slice(1).forEach((value, i) => expect(value).toBeGreaterThanOrEqual(values[i] ?? Infinity));
  });
  it('throws a RangeError for q outside [0, 1], a short or an empty histogram', () => {
    expect(() => histogramQuantile(t, 1.5)).toThrow(RangeError);
    expect(() => histogramQuantile([1, 2, 3], 0.5)).toThrow(RangeError);
    expect(() => histogramQuantile(single(0, 0), 0.5)).toThrow(RangeError);
  });
});
