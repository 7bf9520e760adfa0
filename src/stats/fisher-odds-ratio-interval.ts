import type { Alternative } from './alternative.js';
import { conditionalOddsRatio } from './conditional-odds-ratio.js';
import { conditionalSupport, logSumExp } from './conditional-support.js';
import type { TwoByTwo } from './fisher-exact.js';
import type { Interval } from './wilson-interval.js';

/**
 * Exact conditional confidence interval for the odds ratio of a 2 × 2 table, by inverting the two
 * one-sided Fisher tests under the noncentral hypergeometric:
 *
 *     lower ψ_L: P_ψL(X ≥ a) = α/2 (0 at the smallest a),   upper ψ_U: P_ψU(X ≤ a) = α/2 (∞ at the largest)
 *
 * with α in place of α/2 and the other limit at 0 or ∞ for a one-sided alternative, as R. Each limit
 * is found by bisection on log ψ (the tails are monotone in ψ) to 1e-13 relative.
 * Reference: Cornfield (1956); R `fisher.test(...)$conf.int`, whose `uniroot` stops near 1e-4
 * relative. statistics.md 5.1.
 *
 * @throws {RangeError} unless a, b, c, d are non-negative integers and 0 < confidence < 1.
 */
export function fisherOddsRatioInterval(table: TwoByTwo, confidence = 0.95, alternative: Alternative = 'two-sided'): Interval {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`fisherOddsRatioInterval needs 0 < confidence < 1, got ${confidence}`);
  }
  const { lo, hi, support, logWeights } = conditionalSupport(table, 'fisherOddsRatioInterval');
  const alpha = alternative === 'two-sided' ? (1 - confidence) / 2 : 1 - confidence;
  const at = table.a - lo;
  const logTail = (theta: number, upper: boolean) => {
    const logs = logWeights.map((w, i) => w + theta * (support[i] ?? 0));
    return logSumExp(upper ? logs.slice(at) : logs.slice(0, at + 1)) - logSumExp(logs);
  };
  const start = Math.log(Math.min(Math.max(conditionalOddsRatio(table), 1e-300), 1e300));
  const lower = alternative === 'less' || table.a === lo ? 0 : Math.exp(solve((t) => logTail(t, true) - Math.log(alpha), start));
  const upper = alternative === 'greater' || table.a === hi ? Infinity : Math.exp(solve((t) => Math.log(alpha) - logTail(t, false), start));
  return { lower, upper };
}

/** The root of an increasing function of θ, bracketed by doubling steps from `start`, then bisected. */
function solve(f: (theta: number) => number, start: number): number {
  let [left, right, step] = [start - 1, start + 1, 1];
  while (f(left) > 0) [left, step] = [left - 2 * step, 2 * step];
  step = 1;
  while (f(right) < 0) [right, step] = [right + 2 * step, 2 * step];
  while (right - left > 1e-13 * Math.max(1, Math.abs(left), Math.abs(right))) {
    const mid = (left + right) / 2;
    if (f(mid) < 0) left = mid;
    else right = mid;
  }
  return (left + right) / 2;
}
