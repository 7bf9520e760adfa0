import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { mixtureTau2 } from '../../src/stats/mixture-tau2.js';
import { normalMixtureSequence } from '../../src/stats/normal-mixture-sequence.js';
import { seededRandom } from '../../src/stats/random.js';
import { expectRelative } from './relative.js';

/** Cumulative-mean looks of one stream of N(mean, 1) observations, one observation per look. */
function stream(random: ReturnType<typeof seededRandom>, looks: number, mean: number) {
  let sum = 0;
  return Array.from({ length: looks }, (_, i) => {
    sum += mean + random.normal();
    return { thetaHat: sum / (i + 1), v: 1 / (i + 1) };
  });
}

describe('normalMixtureSequence', () => {
  it('matches the reference stream: integrated log Λ, running-min p, intersected CS', () => {
    // part-b.py: quad-integrated log Lambda and brentq half-widths on batches of N(0.3, 1)
    const { looks, tau2, alpha, states } = fixture.sequence;
    normalMixtureSequence(looks, { tau2, alpha }).forEach((state, i) => {
      const expected = states[i];
      expectRelative(state.logLambda, expected?.logLambda ?? NaN, 1e-10);
      expectRelative(state.p, expected?.p ?? NaN, 1e-9);
      expectRelative(state.lower, expected?.lower ?? NaN, 1e-10);
      expectRelative(state.upper, expected?.upper ?? NaN, 1e-10);
    });
  });
  it('keeps p non-increasing, nests the intervals and covers θ̂ at each look', () => {
    const looks = stream(seededRandom(11), 60, 0.2);
    const states = normalMixtureSequence(looks, { tau2: mixtureTau2(1 / 60, 0.05), alpha: 0.05 });
    states.forEach((state, i) => {
      const previous = states[i - 1];
      if (previous) {
        expect(state.p).toBeLessThanOrEqual(previous.p);
        expect(state.lower).toBeGreaterThanOrEqual(previous.lower);
        expect(state.upper).toBeLessThanOrEqual(previous.upper);
      }
    });
    // Without intersection the CS is θ̂ ± h, so a single look always contains θ̂.
    for (const look of looks) {
      const [state] = normalMixtureSequence([look], { tau2: 0.1, alpha: 0.05 });
      expect(state?.lower).toBeLessThan(look.thetaHat);
      expect(state?.upper).toBeGreaterThan(look.thetaHat);
    }
  });
  it('gives an upper limit of +∞ and a larger e-value for an increase with the one-sided mixture', () => {
    const looks = stream(seededRandom(12), 30, 0.4);
    const twoSided = normalMixtureSequence(looks, { tau2: 0.3, alpha: 0.05 });
    const oneSided = normalMixtureSequence(looks, { tau2: 0.3, alpha: 0.05, alternative: 'greater' });
    expect(oneSided.at(-1)?.upper).toBe(Infinity);
    expect(oneSided.at(-1)?.logLambda).toBeGreaterThan(twoSided.at(-1)?.logLambda ?? Infinity);
  });
  it('keeps the share of null streams that ever cross α = 0.05 within 0.05 + 3 SE, two- and one-sided (Ville)', () => {
    const random = seededRandom(2026);
    const [streams, looks, alpha] = [2000, 50, 0.05];
    const tau2 = mixtureTau2(1 / looks, alpha);
    let crossedMixture = 0;
    let crossedOneSided = 0;
    let crossedNaive = 0;
    for (let s = 0; s < streams; s++) {
      const data = stream(random, looks, 0);
      if ((normalMixtureSequence(data, { tau2, alpha }).at(-1)?.p ?? 1) <= alpha) crossedMixture++;
      const oneSided = normalMixtureSequence(data, { tau2: mixtureTau2(1 / looks, 2 * alpha), alpha, alternative: 'greater' });
      if ((oneSided.at(-1)?.p ?? 1) <= alpha) crossedOneSided++;
      if (data.some(({ thetaHat, v }) => Math.abs(thetaHat) / Math.sqrt(v) > 1.959963984540054)) crossedNaive++;
    }
    const se = Math.sqrt((alpha * (1 - alpha)) / streams);
    expect(crossedMixture / streams).toBeLessThanOrEqual(alpha + 3 * se);
    expect(crossedOneSided / streams).toBeLessThanOrEqual(alpha + 3 * se);
    // The same streams tested naively at every look cross far more often: the test can fail.
    expect(crossedNaive / streams).toBeGreaterThan(0.2);
  });
});
