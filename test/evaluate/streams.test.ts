import { describe, expect, it } from 'vitest';
import { driftCorrectedStream } from '../../src/evaluate/rate-did.js';
import { withinSplitStream } from '../../src/evaluate/rate-within.js';
import { lookObjects } from '../../src/evaluate/stream.js';
import { latencyStream } from '../../src/evaluate/latency-stream.js';
import { binomialArm, steadyLatency } from './fixtures.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('withinSplitStream', () => {
  // hour 0: 10/100 vs 20/400; hour 1: 30/200 vs 40/800 (worked by hand in the comments).
  const stream = withinSplitStream(binomialArm([100, 200], [10, 30]), binomialArm([400, 800], [20, 40]), 2);

  it('waits for 10 expected events per arm before the first look', () => {
    // After hour 0 the pooled rate is 30/500 = 0.06: 6 expected events on the candidate.
    expect(lookObjects(stream.columns)).toHaveLength(1);
    expect(stream.expectedEvents).toBeCloseTo(300 * (100 / 1500), 12);
  });
  it('weights hourly differences by candidate attempts, with the variance at the pooled rate', () => {
    // θ̂ = (100·0.05 + 200·0.10)/300. Binomial arms at the pooled rate p = 100/1500:
    // v = (Σ n_T + Σ (n_T/n_C)² n_C) p q / N_T² = (300 + 0.25²·1200) p q / 300².
    const p = 100 / 1500;
    expect(lookObjects(stream.columns)[0]?.thetaHat).toBeCloseTo(25 / 300, 14);
    expect(lookObjects(stream.columns)[0]?.v).toBeCloseTo(((300 + 0.0625 * 1200) * p * (1 - p)) / 300 ** 2, 14);
  });
  it('gives an hour of one attempt per arm its share of variance (no zero plug-in variance)', () => {
    const tiny = withinSplitStream(binomialArm(new Array(40).fill(1), new Array(40).fill(1)), binomialArm(new Array(40).fill(4), new Array(40).fill(1)), 40);
    // Every hour's own rates are 1 and 1/4 (plug-in variance 0 for the candidate); the pooled rate is 80/200.
    const p = 80 / 200;
    expect(lookObjects(tiny.columns).at(-1)?.v).toBeCloseTo(((40 + 40 * 0.25 ** 2 * 4) * p * (1 - p)) / 40 ** 2, 14);
  });
  it('floors each arm at the binomial variance at the pooled rate (design effect ≥ 1)', () => {
    // Candidate: 10 users × 10 attempts, 5 of them with one failure (x = 5); legacy binomial 45/400.
    // Pooled p = 50/500 = 0.1. Sandwich of the candidate: (Σx² − 2p Σxn + p² Σn²)·K/(K − 1) =
    // (5 − 10 + 10)·10/9 = 5.56 < binomial p q n = 9: the floor takes 9 (DE 0.62 → 1).
    const candidate = { ...binomialArm([100], [5]), units: { K: Float64Array.of(10), sxx: Float64Array.of(5), snn: Float64Array.of(1000), sxn: Float64Array.of(50) } };
    const s = withinSplitStream(candidate, binomialArm([400], [45]), 1);
    const pq = 0.1 * 0.9;
    expect(lookObjects(s.columns)[0]?.v).toBeCloseTo((100 * pq + 0.25 ** 2 * 400 * pq) / 100 ** 2, 14);
    expect(lookObjects(s.columns)[0]?.v).toBeGreaterThan(((5 * 10) / 9 + 0.25 ** 2 * 400 * pq) / 100 ** 2);
  });
  it('reports observed − expected = effect with the legacy rate standardised to the candidate hours', () => {
    expect(stream.observed).toBeCloseTo(40 / 300, 14);
    expect(stream.expected).toBeCloseTo(0.05, 14);
    expect(stream.effect).toBeCloseTo((stream.observed ?? 0) - (stream.expected ?? 0), 14);
  });
  it('cancels a change in the hour mix that a pooled comparison would call an effect', () => {
    // Both arms 2% at night and 10% by day; the candidate has relatively more day traffic.
    const s = withinSplitStream(binomialArm([1000, 4000], [20, 400]), binomialArm([9000, 16000], [180, 1600]), 2);
    expect(s.effect).toBeCloseTo(0, 14);
    expect((s.observed ?? 0) - 1780 / 25000).toBeCloseTo(0.0128, 12); // the pooled comparison's spurious +1.28pp
  });
});

describe('driftCorrectedStream', () => {
  const candidate = binomialArm([100, 100], [10, 20]);
  const base = { logit: Float64Array.of(logit(0.1), logit(0.1)), sdLogit: Float64Array.of(0, 0), tau2Logit: Float64Array.of(0, 0) };

  it('shifts the projection by the drift measured on legacy traffic', () => {
    const stream = driftCorrectedStream(candidate, { ...base, drift: { d: Float64Array.of(0, logit(0.2) - logit(0.1)), variance: Float64Array.of(0, 0) } }, 2);
    expect(stream.expected).toBeCloseTo(0.15, 14);
    expect(stream.effect).toBeCloseTo(0, 14);
    expect(lookObjects(stream.columns).map((l) => l.v)).toEqual([expect.closeTo(0.0009, 14), expect.closeTo((100 ** 2 * 0.0009 + 100 ** 2 * 0.0016) / 200 ** 2, 14)]);
  });
  it('without drift calls the drift an effect (baseline_projection)', () => {
    const stream = driftCorrectedStream(candidate, base, 2);
    expect(stream.expected).toBeCloseTo(0.1, 14);
    expect(stream.effect).toBeCloseTo(0.05, 14);
  });
  it('adds τ² and the correlated baseline variance', () => {
    const withNoise = driftCorrectedStream(candidate, { ...base, sdLogit: Float64Array.of(0.1, 0.1), tau2Logit: Float64Array.of(0.04, 0.04) }, 2);
    const slope = 0.1 * 0.9;
    const correlated = ((2 * 100 * slope * 0.1) / 200) ** 2;
    // The second hour's sampling variance is at its observed rate 0.2 (above the binomial floor at 0.1).
    const v = (100 ** 2 * (0.0009 + slope ** 2 * 0.04) + 100 ** 2 * (0.0016 + slope ** 2 * 0.04)) / 200 ** 2 + correlated;
    expect(lookObjects(withNoise.columns)[1]?.v).toBeCloseTo(v, 14);
  });
});

describe('latencyStream', () => {
  const bins = [100, 110, 120, 130, 140];
  const counts = [20, 40, 80, 40, 20];
  it('measures a slower candidate as a relative quantile increase', () => {
    const slower = steadyLatency(24, bins.map((b) => b + 10), counts);
    const stream = latencyStream(slower, steadyLatency(24, bins, counts), undefined, 0.95, 24);
    expect(stream.effect).toBeCloseTo(1.05 ** 10 - 1, 6);
    expect(lookObjects(stream.columns).length).toBe(24);
  });
  it('needs 10 observations beyond the quantile per arm before its first look', () => {
    const stream = latencyStream(steadyLatency(3, [100], [60]), steadyLatency(3, [100], [60]), undefined, 0.95, 3);
    // 60, 120, 180 observations: 5% of them is 3, 6, 9 < 10.
    expect(lookObjects(stream.columns)).toHaveLength(0);
  });
});
