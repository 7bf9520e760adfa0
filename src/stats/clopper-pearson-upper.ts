import beta from '@stdlib/stats-base-dists-beta';
import { checkArm } from './two-proportion-z.js';

/**
 * One-sided Clopper–Pearson upper confidence bound, at level 1 − α, for a binomial proportion.
 *
 *     upper = Beta_{1−α}(x + 1, n − x)   (1 at x = n);   at x = 0 this is 1 − α^(1/n) ≈ 3/n for α = 0.05
 *
 * Reference: Clopper & Pearson (1934); R `binom.test(x, n, alternative = 'less',
 * conf.level = 1 - alpha)$conf.int[2]`. statistics.md 2.4 (shadow mismatch rate, "rule of three").
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n, n ≥ 1 are integers and 0 < alpha < 1.
 */
export function clopperPearsonUpper(x: number, n: number, alpha = 0.05): number {
  checkArm(x, n, 'clopperPearsonUpper');
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`clopperPearsonUpper needs 0 < alpha < 1, got ${alpha}`);
  }
  if (x === n) return 1;
  if (x === 0) return -Math.expm1(Math.log(alpha) / n);
  return beta.quantile(1 - alpha, x + 1, n - x);
}
