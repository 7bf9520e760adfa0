import { describe, expect, it } from 'vitest';
import { twoProportionZ, type TwoArmCounts } from '../../src/stats/two-proportion-z.js';
import { cases } from './part-a-fixture.js';

describe('twoProportionZ', () => {
  it('reproduces the worked example of statistics.md 2.1', () => {
    const { z, pValue, diff } = twoProportionZ({ xT: 480, nT: 500, xC: 9500, nC: 10000 });
    expect(z).toBeCloseTo(1.0058024964868921, 13);
    expect(pValue).toBeCloseTo(0.31451058616331606, 13);
    expect(diff).toBeCloseTo(0.01, 15);
  });
  it.each(cases<TwoArmCounts, { z: number; pValue: number; pLess: number }>('twoProportionZ'))(
    'matches R $source for $args.xT/$args.nT vs $args.xC/$args.nC',
    ({ args, expected }) => {
      const { z, pValue } = twoProportionZ(args);
      expect(z).toBeCloseTo(expected.z, 12);
      expect(pValue).toBeCloseTo(expected.pValue, 12);
      expect(twoProportionZ(args, 'less').pValue).toBeCloseTo(expected.pLess, 12);
    },
  );
  it.each(cases<TwoArmCounts, { z: number; pValue: number; se: number; sePooled: number }>('twoProportionZStatsmodels'))(
    'matches statsmodels and the exact standard errors for $args.xT/$args.nT vs $args.xC/$args.nC',
    ({ args, expected }) => {
      const result = twoProportionZ(args);
      expect(result.z).toBeCloseTo(expected.z, 12);
      expect(result.se).toBeCloseTo(expected.se, 15);
      expect(result.sePooled).toBeCloseTo(expected.sePooled, 15);
    },
  );
  it('changes the sign of z when the arms are swapped, and one-sided p-values sum to 1', () => {
    const a = twoProportionZ({ xT: 12, nT: 400, xC: 5, nC: 420 });
    const b = twoProportionZ({ xT: 5, nT: 420, xC: 12, nC: 400 });
    expect(b.z).toBeCloseTo(-a.z, 14);
    const counts = { xT: 12, nT: 400, xC: 5, nC: 420 };
    expect(twoProportionZ(counts, 'less').pValue + twoProportionZ(counts, 'greater').pValue).toBeCloseTo(1, 14);
    expect(twoProportionZ(counts, 'greater').pValue * 2).toBeCloseTo(a.pValue, 14);
  });
  it('returns z = 0 and p = 1 when both arms have no events', () => {
    expect(twoProportionZ({ xT: 0, nT: 50, xC: 0, nC: 60 })).toEqual({ diff: 0, z: 0, pValue: 1, se: 0, sePooled: 0 });
  });
  it('throws a RangeError for an empty arm or more events than attempts', () => {
    expect(() => twoProportionZ({ xT: 0, nT: 0, xC: 1, nC: 5 })).toThrow(RangeError);
    expect(() => twoProportionZ({ xT: 6, nT: 5, xC: 1, nC: 5 })).toThrow(RangeError);
  });
});
