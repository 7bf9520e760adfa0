import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/stats/benjamini-hochberg.js';
import { benjaminiYekutieli } from '../../src/stats/benjamini-yekutieli.js';
import { cases } from './part-a-fixture.js';

type Adjusted = { BH: number[]; BY: number[]; holm: number[] };

describe('benjaminiYekutieli', () => {
  it.each(cases<{ p: number[] }, Adjusted>('pAdjust'))('matches R p.adjust(p, "BY") for $args.p', ({ args, expected }) => {
    const adjusted = benjaminiYekutieli(args.p);
    expect(adjusted).toHaveLength(expected.BY.length);
    adjusted.forEach((q, i) => expect(q).toBeCloseTo(expected.BY[i] ?? NaN, 15));
  });
  it('rejects 3 of the 15 p-values of Benjamini & Hochberg (1995) at q = 0.05', () => {
    const p = cases<{ p: number[] }, Adjusted>('pAdjust')[0]?.args.p ?? [];
    expect(benjaminiYekutieli(p).filter((q) => q <= 0.05)).toHaveLength(3);
  });
  it('is never below BH and equals it for a single p-value', () => {
    const p = [0.01, 0.04, 0.2, 0.003];
    const bh = benjaminiHochberg(p);
    benjaminiYekutieli(p).forEach((q, i) => expect(q).toBeGreaterThanOrEqual(bh[i] ?? 1));
    expect(benjaminiYekutieli([0.3])).toEqual([0.3]);
  });
  it('throws a RangeError for a negative p-value', () => {
    expect(() => benjaminiYekutieli([-0.1])).toThrow(RangeError);
  });
});
