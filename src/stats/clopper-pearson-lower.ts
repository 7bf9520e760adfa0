import beta from '@stdlib/stats-base-dists-beta';
import { checkArm } from './two-proportion-z.js';

/**
 * One-sided Clopper–Pearson lower confidence bound, at level 1 − α, for a binomial proportion.
 *
 *     lower = Beta_α(x, n − x + 1)   (0 at x = 0)
 *
 * Reference: Clopper & Pearson (1934); R `binom.test(x, n, alternative = 'greater',
 * conf.level = 1 - alpha)$conf.int[1]`. statistics.md 5.1.
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n, n ≥ 1 are integers and 0 < alpha < 1.
 */
export function clopperPearsonLower(x: number, n: number, alpha = 0.05): number {
  checkArm(x, n, 'clopperPearsonLower');
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`clopperPearsonLower needs 0 < alpha < 1, got ${alpha}`);
  }
  return x === 0 ? 0 : beta.quantile(alpha, x, n - x + 1);
}
