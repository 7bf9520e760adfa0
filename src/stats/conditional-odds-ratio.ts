import { conditionalSupport } from './conditional-support.js';
import type { TwoByTwo } from './fisher-exact.js';

/**
 * Conditional maximum-likelihood odds ratio of a 2 × 2 table: the ψ that solves
 *
 *     E_ψ[X] = a,   P_ψ(X = k) ∝ C(K, k) C(N − K, n − k) ψ^k   (Fisher's noncentral hypergeometric)
 *
 * on the support of X given both margins; 0 when a is the smallest value it can take, Infinity when
 * the largest (and 0 for a degenerate support, as R). Solved for log ψ by safeguarded Newton steps
 * (dE/dlog ψ = Var_ψ[X]) to 1e-13 relative. Reference: R `fisher.test(...)$estimate`, whose `uniroot`
 * stops near 1e-4 relative; statistics.md 5.1 and 11.
 *
 * @throws {RangeError} unless a, b, c, d are non-negative integers.
 */
export function conditionalOddsRatio({ a, b, c, d }: TwoByTwo): number {
  const { lo, hi, support, logWeights } = conditionalSupport({ a, b, c, d }, 'conditionalOddsRatio');
  if (a === lo) return 0;
  if (a === hi) return Infinity;
  let [left, right, theta] = [-Infinity, Infinity, 0];
  for (let step = 0; step < 200; step++) {
    const { mean, variance } = moments(support, logWeights, theta);
    if (mean < a) left = theta;
    else right = theta;
    const next = theta - (mean - a) / variance;
    const bracketed = Number.isFinite(left) && Number.isFinite(right);
    const nextTheta =
      next > left && next < right && Number.isFinite(next) ? next : bracketed ? (left + right) / 2 : theta + (mean < a ? 1 : -1) * 8;
    if (Math.abs(nextTheta - theta) <= 1e-13 * Math.max(1, Math.abs(theta))) return Math.exp(nextTheta);
    theta = nextTheta;
  }
  return Math.exp(theta);
}

/** Mean and variance of the support under weights exp(logWeight + θk), computed stably. */
function moments(support: readonly number[], logWeights: readonly number[], theta: number) {
  const logs = logWeights.map((w, i) => w + theta * (support[i] ?? 0));
  const top = logs.reduce((m, l) => Math.max(m, l), -Infinity);
  const origin = support[0] ?? 0;
  let [total, first, second] = [0, 0, 0];
  logs.forEach((l, i) => {
    const w = Math.exp(l - top);
    const k = (support[i] ?? 0) - origin;
    total += w;
    first += w * k;
    second += w * k * k;
  });
  const centred = first / total;
  return { mean: origin + centred, variance: Math.max(second / total - centred * centred, Number.MIN_VALUE) };
}
