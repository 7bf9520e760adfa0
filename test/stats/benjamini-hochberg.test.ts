import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/stats/benjamini-hochberg.js';
import { cases } from './part-a-fixture.js';

type Adjusted = { BH: number[]; BY: number[]; holm: number[] };

describe('benjaminiHochberg', () => {
  it.each(cases<{ p: number[] }, Adjusted>('pAdjust'))('matches R p.adjust(p, "BH") for $args.p', ({ args, expected }) => {
    const adjusted = benjaminiHochberg(args.p);
    expect(adjusted).toHaveLength(expected.BH.length);
    adjusted.forEach((q, i) => expect(q).toBeCloseTo(expected.BH[i] ?? NaN, 15));
  });
  it('rejects 4 of the 15 p-values of Benjamini & Hochberg (1995) at q = 0.05', () => {
    const p = cases<{ p: number[] }, Adjusted>('pAdjust')[0]?.args.p ?? [];
    expect(benjaminiHochberg(p).filter((q) => q <= 0.05)).toHaveLength(4);
  });
  it('keeps the input order, never lowers a p-value, and is monotone in p', () => {
    const p = [0.03, 0.001, 0.5, 0.02];
    const adjusted = benjaminiHochberg(p);
    adjusted.forEach((q, i) => expect(q).toBeGreaterThanOrEqual(p[i] ?? 1));
    expect(adjusted[1]).toBeLessThanOrEqual(adjusted[3] ?? 0);
    expect(adjusted[3]).toBeLessThanOrEqual(adjusted[0] ?? 0);
    expect(p).toEqual([0.03, 0.001, 0.5, 0.02]);
  });
  it('returns an empty array for no p-values', () => {
    expect(benjaminiHochberg([])).toEqual([]);
  });
  it('throws a RangeError for NaN or a value above 1', () => {
    expect(() => benjaminiHochberg([0.1, NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});
