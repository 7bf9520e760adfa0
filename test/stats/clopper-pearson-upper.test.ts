import { describe, expect, it } from 'vitest';
import { clopperPearsonUpper } from '../../src/stats/clopper-pearson-upper.js';
import { binomialTest } from '../../src/stats/binomial-test.js';
import { cases } from './part-a-fixture.js';

type Args = { x: number; n: number; alpha: number };

describe('clopperPearsonUpper', () => {
  it.each(cases<Args, { upper: number }>('clopperPearsonUpper'))('matches R $source', ({ args, expected }) => {
    expect(clopperPearsonUpper(args.x, args.n, args.alpha)).toBeCloseTo(expected.upper, 13);
  });
  it('is the rule of three at x = 0: 1 − 0.05^(1/n) ≈ 3/n', () => {
    expect(clopperPearsonUpper(0, 1000)).toBeCloseTo(1 - 0.05 ** (1 / 1000), 15);
    expect(clopperPearsonUpper(0, 1000) * 1000).toBeCloseTo(3, 1);
  });
  it('is the rate at which the one-sided binomial test has p = α exactly', () => {
    const upper = clopperPearsonUpper(2, 300, 0.05);
    expect(binomialTest(2, 300, upper, 'less').pValue).toBeCloseTo(0.05, 12);
  });
  it('is 1 at x = n and throws a RangeError for α outside (0, 1)', () => {
    expect(clopperPearsonUpper(4, 4)).toBe(1);
    expect(() => clopperPearsonUpper(1, 4, 1)).toThrow(RangeError);
  });
});
