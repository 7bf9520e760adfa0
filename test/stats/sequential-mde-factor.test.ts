import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { sequentialMdeFactor } from '../../src/stats/sequential-mde-factor.js';
import { expectRelative } from './relative.js';

describe('sequentialMdeFactor', () => {
  it('gives the 3.04-vs-1.96 boundary and the 1.38 MDE ratio at α = 0.05, power 0.8', () => {
    // part-b.py: brentq on the quad-integrated mixture at v = 1, tau2 = mixtureTau2(1, 0.05)
    const result = sequentialMdeFactor(0.05, 0.8);
    expectRelative(result.boundary, fixture.power.sequentialBoundary, 1e-10);
    expect(result.fixedBoundary).toBeCloseTo(1.959963984540054, 12);
    expectRelative(result.mdeRatio, fixture.power.mdeRatio, 1e-10);
    expect(result.sampleSizeRatio).toBeCloseTo(1.915, 3);
  });
  it('grows as α shrinks', () => {
    expect(sequentialMdeFactor(0.01, 0.8).boundary).toBeGreaterThan(sequentialMdeFactor(0.05, 0.8).boundary);
  });
  it('throws a RangeError for a power of 1', () => {
    expect(() => sequentialMdeFactor(0.05, 1)).toThrow(RangeError);
  });
});
