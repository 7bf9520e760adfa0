import binomial from '@stdlib/stats-base-dists-binomial';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { plugInRateRatioEProcess } from '../../src/stats/plug-in-rate-ratio-e-process.js';
import { seededRandom } from '../../src/stats/random.js';
import { expectRelative } from './relative.js';

describe('plugInRateRatioEProcess', () => {
  it('matches the reference stream (binomial log-likelihood ratios with a plug-in rate ratio)', () => {
    // part-b.py: splits 1% → 5% → 25%, true rate ratio 1.4, scipy binom.logpmf ratios
    plugInRateRatioEProcess(fixture.plugIn.windows).forEach((state, i) => {
      const expected = fixture.plugIn.states[i];
      expectRelative(state.rateRatio, expected?.rateRatio ?? NaN, 1e-14);
      expect(state.logE).toBeCloseTo(expected?.logE ?? NaN, 10);
      expect(state.logM).toBeCloseTo(expected?.logM ?? NaN, 9);
      expectRelative(state.p, expected?.p ?? NaN, 1e-8);
    });
  });
  it('has a per-window e-value of mean exactly 1 under the null, given the window total', () => {
    // E[e] = Σ_x Bin(x; n, θ0) (θ̃/θ0)^x ((1 − θ̃)/(1 − θ0))^(n − x) = 1 for any predictable θ̃
    const history = [{ xT: 30, xC: 100, piT: 0.2, piC: 0.8 }];
    const n = 40;
    let expectation = 0;
    for (let x = 0; x <= n; x++) {
      const [, state] = plugInRateRatioEProcess([...history, { xT: x, xC: n - x, piT: 0.1, piC: 0.9 }]);
      expectation += binomial.pmf(x, n, 0.1) * Math.exp(state?.logE ?? NaN);
    }
    expect(expectation).toBeCloseTo(1, 12);
  });
  it('starts with e = 1 in the first window, before any rate ratio is known', () => {
    expect(plugInRateRatioEProcess([{ xT: 9, xC: 1, piT: 0.5, piC: 0.5 }])[0]?.logE).toBe(0);
  });
  it('throws a RangeError for a zero exposure', () => {
    expect(() => plugInRateRatioEProcess([{ xT: 1, xC: 1, piT: 0, piC: 1 }])).toThrow(RangeError);
  });
});

describe('plugInRateRatioEProcess under the null', () => {
  it('keeps the share of streams ever crossing α = 0.05 within 0.05 + 3 SE while the split changes (Ville)', () => {
    const random = seededRandom(314);
    const [streams, alpha] = [2000, 0.05];
    const splits = [0.01, 0.01, 0.05, 0.05, 0.05, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.5];
    let crossed = 0;
    for (let s = 0; s < streams; s++) {
      const windows = splits.map((piT) => ({ xT: random.poisson(400 * piT), xC: random.poisson(400 * (1 - piT)), piT, piC: 1 - piT }));
      if ((plugInRateRatioEProcess(windows).at(-1)?.p ?? 1) <= alpha) crossed++;
    }
    expect(crossed / streams).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / streams));
  });
});
