import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { welchTFromMoments } from '../../src/stats/welch-t-from-moments.js';
import { expectRelative } from './relative.js';

const w = fixture.welch;

describe('welchTFromMoments', () => {
  it('matches scipy ttest_ind(equal_var=False) on the raw log latencies', () => {
    // scipy: ttest_ind(log(lat_t), log(lat_c), equal_var=False), test/stats/reference/part-b.py
    const result = welchTFromMoments(w.a, w.b);
    expectRelative(result.t, w.t, 1e-10);
    expectRelative(result.df, w.df, 1e-10);
    expectRelative(result.pValue, w.pValue, 1e-8);
    expectRelative(result.diff, w.diff, 1e-12);
    expectRelative(result.se, w.se, 1e-10);
  });
  it('matches R t.test(c(1, 2, 3, 4), c(3, 4, 5, 6, 1, 2, 0)) from the style guide', () => {
    const result = welchTFromMoments({ n: 4, sum: 10, sumSq: 30 }, { n: 7, sum: 21, sumSq: 91 });
    expect(result.t).toBeCloseTo(-0.480384461415261, 12);
    expect(result.df).toBeCloseTo(8.89473684210526, 12);
  });
  it('throws a RangeError for a sample of one or two constant samples', () => {
    expect(() => welchTFromMoments({ n: 1, sum: 1, sumSq: 1 }, { n: 3, sum: 3, sumSq: 5 })).toThrow(RangeError);
    expect(() => welchTFromMoments({ n: 2, sum: 2, sumSq: 2 }, { n: 3, sum: 3, sumSq: 3 })).toThrow(RangeError);
  });
});
