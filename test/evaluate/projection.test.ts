import { describe, expect, it } from 'vitest';
import { projectBaseline, projectionVariance } from '../../src/evaluate/projection.js';
import type { CohortBaseline } from '../../src/types.js';

const b: CohortBaseline = {
  snapshotId: 'bl-1', dimensions: [], cohort: {}, cohortKey: '', metric: 'success_rate', windows: 672, n: 1e5, x: 9e4,
  level: 2, trendPerDay: 0.01, tBar: new Date('2026-09-15T00:00:00Z'), varLevel: 4e-4, varTrend: 1e-6, covLevelTrend: 1e-6,
  tau2: 0.01, phi: 1, shapeKey: 's', shapeSource: 'own', shrunk: false, shrinkWeight: 1, mean: 0.9,
};

describe('projectionVariance', () => {
  it('is varLevel + Δ² varTrend + 2Δ cov, times the placebo factor', () => {
    expect(projectionVariance(b, 20)).toBeCloseTo(4e-4 + 400e-6 + 40e-6, 15);
    expect(projectionVariance({ ...b, placeboFactor: 2.5 }, 20)).toBeCloseTo(2.5 * (4e-4 + 400e-6 + 40e-6), 15);
  });
});

describe('projectBaseline', () => {
  it('widens the correlated projection sd by √k for a snapshot with a placebo factor', () => {
    const at = new Date('2026-10-05T00:00:00Z').getTime();
    const plain = projectBaseline(b, undefined, at);
    const scaled = projectBaseline({ ...b, placeboFactor: 4 }, undefined, at);
    expect(scaled.eta).toBe(plain.eta);
    expect(scaled.sd).toBeCloseTo(2 * plain.sd, 14);
    expect(plain.eta).toBeCloseTo(2 + 0.01 * 20, 14);
  });
});
