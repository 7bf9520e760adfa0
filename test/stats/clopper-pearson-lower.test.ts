import { describe, expect, it } from 'vitest';
import { clopperPearsonLower } from '../../src/stats/clopper-pearson-lower.js';
import { clopperPearsonUpper } from '../../src/stats/clopper-pearson-upper.js';
import { cases } from './part-a-fixture.js';

type Args = { x: number; n: number; alpha: number };

describe('clopperPearsonLower', () => {
  it.each(cases<Args, { lower: number }>('clopperPearsonLower'))('matches R $source', ({ args, expected }) => {
    expect(clopperPearsonLower(args.x, args.n, args.alpha)).toBeCloseTo(expected.lower, 13);
  });
  it('is 0 at x = 0 and mirrors the upper bound under x → n − x', () => {
    expect(clopperPearsonLower(0, 9)).toBe(0);
    expect(clopperPearsonLower(7, 30, 0.1)).toBeCloseTo(1 - clopperPearsonUpper(23, 30, 0.1), 14);
  });
  it('throws a RangeError for a fractional count', () => {
    expect(() => clopperPearsonLower(1.5, 4)).toThrow(RangeError);
  });
});
