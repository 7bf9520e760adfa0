import beta from '@stdlib/stats-base-dists-beta';
import { checkArm } from './two-proportion-z.js';
import type { Interval } from './wilson-interval.js';

/**
 * Clopper–Pearson ("exact") two-sided interval for a binomial proportion.
 *
 *     [Beta_{α/2}(x, n − x + 1), Beta_{1−α/2}(x + 1, n − x)],   α = 1 − confidence
 *
 * with lower = 0 at x = 0 and upper = 1 at x = n (Beta_q the q-quantile). Reference: Clopper &
 * Pearson (1934), Biometrika 26; R `binom.test(x, n)$conf.int`. statistics.md 5.1.
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n, n ≥ 1 are integers and 0 < confidence < 1.
 */
export function clopperPearson(x: number, n: number, confidence = 0.95): Interval {
  checkArm(x, n, 'clopperPearson');
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`clopperPearson needs 0 < confidence < 1, got ${confidence}`);
  }
  const alpha = 1 - confidence;
  return {
    lower: x === 0 ? 0 : beta.quantile(alpha / 2, x, n - x + 1),
    upper: x === n ? 1 : beta.quantile(1 - alpha / 2, x + 1, n - x),
  };
}
