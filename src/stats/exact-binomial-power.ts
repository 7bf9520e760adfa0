import betainc from '@stdlib/math-base-special-betainc';

/** The one-sided exact binomial test of H0: p <= p0 and its power at p1. */
export interface ExactBinomialPower {
  /** Critical count `c = min{c: P(X >= c | p0) <= α}`; n + 1 when no count is significant. */
  critical: number;
  /** Attained size `P(X >= c | p0)` (<= α). */
  size: number;
  /** Power `P(X >= c | p1)`. */
  power: number;
}

/**
 * Exact power of the one-sided (upper) binomial test with n attempts, by enumeration:
 *
 *     c = min{c: P(X >= c | p0) <= α},   power = P(X >= c | p1),   P(X >= c | p) = I_p(c, n − c + 1)
 *
 * with the regularised incomplete beta I for accurate tails. Agrees with R
 * `c <- qbinom(1 - alpha, n, p0) + 1; pbinom(c - 1, n, p1, lower.tail = FALSE)` up to the
 * discreteness at the boundary. Reference: statistics.md section 7 (rare events).
 *
 * @throws {RangeError} if n is not a positive integer, p0 or p1 outside [0, 1], or alpha outside (0, 1).
 */
export function exactBinomialPower(n: number, p0: number, p1: number, alpha: number): ExactBinomialPower {
  if (!Number.isInteger(n) || n < 1 || !(p0 >= 0 && p0 <= 1 && p1 >= 0 && p1 <= 1 && alpha > 0 && alpha < 1)) {
    throw new RangeError(`exactBinomialPower needs integer n >= 1, p0, p1 in [0, 1], alpha in (0, 1), got ${n}, ${p0}, ${p1}, ${alpha}`);
  }
  let low = 0;
  let high = n + 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (upperTail(mid, n, p0) <= alpha) high = mid;
    else low = mid + 1;
  }
  return { critical: low, size: upperTail(low, n, p0), power: upperTail(low, n, p1) };
}

function upperTail(c: number, n: number, p: number): number {
  if (c <= 0) return 1;
  if (c > n) return 0;
  if (p === 0 || p === 1) return p;
  return betainc(p, c, n - c + 1);
}
