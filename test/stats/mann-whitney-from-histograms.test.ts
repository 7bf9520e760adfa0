import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { mannWhitneyFromHistograms } from '../../src/stats/mann-whitney-from-histograms.js';
import { expectRelative } from './relative.js';

const { t, c } = fixture.histograms;
const one = (bin: number, count: number) => Array.from({ length: 241 }, (_, k) => (k === bin ? count : 0));

describe('mannWhitneyFromHistograms', () => {
  it('matches R wilcox.test and scipy mannwhitneyu on the expanded bin indices', () => {
    // R: wilcox.test(xt, xc, exact = FALSE, correct = FALSE); scipy: use_continuity=False, 'asymptotic'
    const result = mannWhitneyFromHistograms(t, c);
    expect(result.u).toBe(fixture.r.mwU[0]);
    expect(result.u).toBe(fixture.mannWhitney.u);
    expectRelative(result.pValue, fixture.r.mwP[0] ?? NaN, 1e-9);
    expectRelative(result.pValue, fixture.mannWhitney.pValue, 1e-9);
    expectRelative(result.z, fixture.mannWhitney.z, 1e-12);
    expectRelative(result.auc, fixture.mannWhitney.auc, 1e-14);
  });
  it('gives AUC 1 − AUC and −z when the arms are swapped', () => {
    const forward = mannWhitneyFromHistograms(t, c);
    const backward = mannWhitneyFromHistograms(c, t);
    expect(backward.auc).toBeCloseTo(1 - forward.auc, 14);
    expect(backward.z).toBeCloseTo(-forward.z, 12);
  });
  it('gives AUC 1 when every treatment value is in a higher bin', () => {
    const treatment = one(120, 5);
    const control = one(100, 7);
    control[101] = 3;
    expect(mannWhitneyFromHistograms(treatment, control).auc).toBe(1);
  });
  it('throws a RangeError when all observations share one bin', () => {
    expect(() => mannWhitneyFromHistograms(one(50, 3), one(50, 4))).toThrow(RangeError);
  });
});
