import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/stats/alternative.js';
import { poissonRateRatioTest, type TwoArmExposure } from '../../src/stats/poisson-rate-ratio-test.js';
import { cases } from './part-a-fixture.js';

type Expected = { pValue: number; rateRatio: number; lower: number; upper: number };

describe('poissonRateRatioTest', () => {
  it.each(cases<TwoArmExposure & { alternative: Alternative }, Expected>('poissonRateRatioTest'))(
    'matches R $source',
    ({ args, expected }) => {
      const { pValue, rateRatio, ci } = poissonRateRatioTest(args, args.alternative);
      expect(pValue).toBeCloseTo(expected.pValue, 12);
      expect(rateRatio).toBeCloseTo(expected.rateRatio, 13);
      expect(ci.lower).toBeCloseTo(expected.lower, 11);
      if (Number.isFinite(expected.upper)) expect(ci.upper).toBeCloseTo(expected.upper, 11);
      else expect(ci.upper).toBe(Infinity);
    },
  );
  it('inverts the ratio and its interval when the arms are swapped', () => {
    const a = poissonRateRatioTest({ xT: 12, eT: 100, xC: 5, eC: 120 });
    const b = poissonRateRatioTest({ xT: 5, eT: 120, xC: 12, eC: 100 });
    expect(b.pValue).toBeCloseTo(a.pValue, 14);
    expect(b.rateRatio).toBeCloseTo(1 / a.rateRatio, 14);
    expect(b.ci.lower).toBeCloseTo(1 / a.ci.upper, 12);
  });
  it('throws a RangeError when neither arm has an event or an exposure is 0', () => {
    expect(() => poissonRateRatioTest({ xT: 0, eT: 1, xC: 0, eC: 1 })).toThrow(RangeError);
    expect(() => poissonRateRatioTest({ xT: 1, eT: 0, xC: 0, eC: 1 })).toThrow(RangeError);
  });
});
