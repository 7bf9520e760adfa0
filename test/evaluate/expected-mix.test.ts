import { describe, expect, it } from 'vitest';
import { ExpectedMix } from '../../src/evaluate/expected-mix.js';
import { binomialArm } from './fixtures.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('ExpectedMix', () => {
  // Hour 0: 100 attempts of a 10% cell and 300 of a 20% cell.
  const mix = new ExpectedMix(1);
  mix.add(0, 100, logit(0.1), 0.1, 0.04);
  mix.add(0, 300, logit(0.2), 0.2, 0.01);

  it('expects the traffic-weighted rate of its cells', () => {
    const m = (100 * 0.1 + 300 * 0.2) / 400;
    const e = mix.expectation();
    expect(e.logit[0]).toBeCloseTo(logit(m), 12);
    // sd: Σ n e q sd / (N m q); τ²: Σ (n e q)² τ² / (N m q)²
    const slope = 400 * m * (1 - m);
    expect(e.sdLogit[0]).toBeCloseTo((100 * 0.09 * 0.1 + 300 * 0.16 * 0.2) / slope, 12);
    expect(e.tau2Logit[0]).toBeCloseTo(((100 * 0.09) ** 2 * 0.04 + (300 * 0.16) ** 2 * 0.01) / slope ** 2, 12);
  });
  it('measures drift as the observed legacy logit minus the expected one', () => {
    const { d, variance } = mix.drift(binomialArm([400], [100]));
    const p = 100.5 / 401;
    expect(d[0]).toBeCloseTo(logit(p) - logit(0.175), 12);
    expect(variance[0]).toBeGreaterThan(1 / (400 * p * (1 - p)));
  });
  it('leaves hours without traffic unknown', () => {
    const empty = new ExpectedMix(2);
    empty.add(1, 50, 0, 0, 0);
    expect(Number.isNaN(empty.expectation().logit[0])).toBe(true);
    expect(empty.expectation().logit[1]).toBeCloseTo(0, 12);
  });
});
