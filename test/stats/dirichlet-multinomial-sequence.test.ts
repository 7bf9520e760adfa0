import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/part-b.json' with { type: 'json' };
import { dirichletMultinomialSequence } from '../../src/stats/dirichlet-multinomial-sequence.js';
import { seededRandom } from '../../src/stats/random.js';
import { expectRelative } from './relative.js';

const s = fixture.dirichletSequence;

describe('dirichletMultinomialSequence', () => {
  it('matches the reference SRM stream with running-minimum p', () => {
    // part-b.py: 12 looks of a 47:53 split tested against 50:50, k = 100
    dirichletMultinomialSequence(s.cumulative, s.theta0, s.k).forEach((state, i) => {
      expectRelative(state.logBF, s.states[i]?.logBF ?? NaN, 1e-11);
      expectRelative(state.p, s.states[i]?.p ?? NaN, 1e-10);
    });
  });
  it('is more conservative than the fixed-n chi-square at the last look', () => {
    const last = dirichletMultinomialSequence(s.cumulative, s.theta0, s.k).at(-1);
    expect(last?.p).toBeGreaterThan(s.chiSquareLast);
  });
  it('keeps the share of null SRM streams ever crossing α = 0.05 within 0.05 + 3 SE (Ville)', () => {
    const random = seededRandom(99);
    const [streams, looks, alpha] = [2000, 50, 0.05];
    let crossed = 0;
    for (let i = 0; i < streams; i++) {
      let treatment = 0;
      const cumulative = Array.from({ length: looks }, (_, look) => {
        treatment += random.binomial(40, 0.2);
        return [treatment, 40 * (look + 1) - treatment];
      });
      if ((dirichletMultinomialSequence(cumulative, [0.2, 0.8], 100).at(-1)?.p ?? 1) <= alpha) crossed++;
    }
    expect(crossed / streams).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / streams));
  });
  it('throws a RangeError when the counts are not cumulative', () => {
    expect(() => dirichletMultinomialSequence([[5, 5], [4, 9]], [0.5, 0.5], 10)).toThrow(RangeError);
  });
});
