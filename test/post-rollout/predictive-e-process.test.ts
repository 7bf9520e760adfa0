import { readFileSync } from 'node:fs';
import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import { describe, expect, it } from 'vitest';
import { predictiveEProcess, predictiveLogE } from '../../src/post-rollout/predictive-e-process.js';

// test/post-rollout/reference/predictive-e-process.py (scipy 1.10, quad integration and betabinom pmfs)
const fixture = JSON.parse(readFileSync(new URL('./fixtures/predictive-e-process.json', import.meta.url), 'utf8')) as {
  cases: { x: number; n: number; a: number; b: number; logE: number }[];
  sequence: { looks: { x: number; n: number }[]; prior: { a: number; b: number }; states: { logE: number; p: number }[] };
};

describe('predictiveLogE', () => {
  it.each(fixture.cases)('matches scipy for x=$x n=$n a=$a b=$b', ({ x, n, a, b, logE }) => {
    expect(predictiveLogE(x, n, { a, b })).toBeCloseTo(logE, 9);
  });
  it('has mean 1 under the beta-binomial null (a martingale started at 1)', () => {
    const [n, a, b] = [60, 3, 147];
    let mean = 0;
    for (let x = 0; x <= n; x++) {
      const logPmf = gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1) + betaln(a + x, b + n - x) - betaln(a, b);
      mean += Math.exp(logPmf + predictiveLogE(x, n, { a, b }));
    }
    expect(mean).toBeCloseTo(1, 12);
  });
  it('falls as successes accumulate at a fixed failure count', () => {
    const values = [100, 200, 400, 800].map((n) => predictiveLogE(8, n, { a: 2, b: 198 }));
    values.slice(1).forEach((v, i) => expect(v).toBeLessThan(values[i] ?? 0));
  });
  it('throws a RangeError for x above n or a multiplier of 1', () => {
    expect(() => predictiveLogE(5, 4, { a: 1, b: 1 })).toThrow(RangeError);
    expect(() => predictiveLogE(1, 4, { a: 1, b: 1 }, [1])).toThrow(RangeError);
  });
});

describe('predictiveEProcess', () => {
  it('matches scipy and keeps the running minimum of 1/M', () => {
    const states = predictiveEProcess(fixture.sequence.looks, fixture.sequence.prior);
    states.forEach((s, i) => {
      expect(s.logE).toBeCloseTo(fixture.sequence.states[i]?.logE ?? NaN, 9);
      expect(s.p).toBeCloseTo(fixture.sequence.states[i]?.p ?? NaN, 12);
    });
    expect(states[2]?.p).toBe(states[1]?.p);
  });
  it('throws a RangeError when counts are not cumulative', () => {
    expect(() => predictiveEProcess([{ x: 3, n: 10 }, { x: 2, n: 20 }], { a: 1, b: 9 })).toThrow(RangeError);
  });
});
