import { describe, expect, it } from 'vitest';
import { holm } from '../../src/stats/holm.js';
import { cases } from './part-a-fixture.js';

type Adjusted = { BH: number[]; BY: number[]; holm: number[] };

describe('holm', () => {
  it.each(cases<{ p: number[] }, Adjusted>('pAdjust'))('matches R p.adjust(p, "holm") for $args.p', ({ args, expected }) => {
    const adjusted = holm(args.p);
    expect(adjusted).toHaveLength(expected.holm.length);
    adjusted.forEach((q, i) => expect(q).toBeCloseTo(expected.holm[i] ?? NaN, 15));
  });
  it('rejects 3 of the 15 p-values of Benjamini & Hochberg (1995) at 0.05', () => {
    const p = cases<{ p: number[] }, Adjusted>('pAdjust')[0]?.args.p ?? [];
    expect(holm(p).filter((q) => q <= 0.05)).toHaveLength(3);
  });
  it('adjusts the smallest p-value by m, like Bonferroni, and never exceeds Bonferroni', () => {
    const p = [0.01, 0.2, 0.004];
    const adjusted = holm(p);
    expect(adjusted[2]).toBeCloseTo(0.012, 15);
    adjusted.forEach((q, i) => expect(q).toBeLessThanOrEqual(Math.min(1, 3 * (p[i] ?? 0))));
  });
  it('throws a RangeError for NaN', () => {
    expect(() => holm([NaN])).toThrow(RangeError);
  });
});
