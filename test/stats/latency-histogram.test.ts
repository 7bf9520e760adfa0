import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { LATENCY_BIN_COUNT, latencyBin, latencyBinEdges } from '../../src/stats/latency-histogram.js';

describe('latencyBinEdges', () => {
  it('returns 242 edges growing by 5% from 1 ms', () => {
    const edges = latencyBinEdges();
    expect(edges).toHaveLength(LATENCY_BIN_COUNT + 1);
    expect(edges[0]).toBe(1);
    expect(edges[240]).toBeCloseTo(121_739.2, 0);
    edges.slice(1).forEach((edge, k) => expect(edge / (edges[k] ?? 1)).toBeCloseTo(1.05, 12));
  });
});

describe('latencyBin', () => {
  it('matches the DuckDB expression least(greatest(floor(ln(ms)/ln(1.05)), 0), 240)', () => {
    // python: min(max(floor(log(ms)/log(1.05)), 0), 240), see test/stats/reference/part-b.py
    expect(fixture.latencyBins.ms.map(latencyBin)).toEqual(fixture.latencyBins.bin);
  });
  it('puts each edge strictly inside the bin it opens', () => {
    const edges = latencyBinEdges();
    for (const k of [1, 10, 100, 239]) {
      expect(latencyBin((edges[k] ?? 0) * (1 + 1e-9))).toBe(k);
      expect(latencyBin((edges[k] ?? 0) * (1 - 1e-9))).toBe(k - 1);
    }
  });
  it('sends sub-millisecond latencies to bin 0 and timeouts to bin 240', () => {
    expect(latencyBin(0)).toBe(0);
    expect(latencyBin(0.5)).toBe(0);
    expect(latencyBin(3_600_000)).toBe(240);
  });
  it('throws a RangeError for a negative or non-finite latency', () => {
    expect(() => latencyBin(-1)).toThrow(RangeError);
    expect(() => latencyBin(Number.NaN)).toThrow(RangeError);
    expect(() => latencyBin(Infinity)).toThrow(RangeError);
  });
});
