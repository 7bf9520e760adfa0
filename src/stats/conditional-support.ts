import hypergeometric from '@stdlib/stats-base-dists-hypergeometric';
import type { TwoByTwo } from './fisher-exact.js';

/** The conditional distribution of cell a given both margins of a 2 × 2 table, at odds ratio 1. */
export interface ConditionalSupport {
  /** Smallest value a can take. */
  lo: number;
  /** Largest value a can take. */
  hi: number;
  /** lo, lo + 1, …, hi. */
  support: number[];
  /** log P(X = k) under the central hypergeometric, for each k of `support`. */
  logWeights: number[];
}

/**
 * Support and central hypergeometric log-probabilities of a given the margins: X ~ Hypergeometric(
 * N = a + b + c + d, K = a + c, n = a + b). At odds ratio ψ the weights become log P(X = k) + k log ψ
 * (Fisher's noncentral hypergeometric).
 *
 * @throws {RangeError} unless a, b, c, d are non-negative integers.
 */
export function conditionalSupport({ a, b, c, d }: TwoByTwo, caller: string): ConditionalSupport {
  if (![a, b, c, d].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new RangeError(`${caller} needs non-negative integer cells, got ${a}, ${b}, ${c}, ${d}`);
  }
  const [N, K, n] = [a + b + c + d, a + c, a + b];
  const [lo, hi] = [Math.max(0, n + K - N), Math.min(n, K)];
  const support = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return { lo, hi, support, logWeights: support.map((k) => hypergeometric.logpmf(k, N, K, n)) };
}

/** log Σ exp(values), stable for very negative or very positive values. */
export function logSumExp(values: readonly number[]): number {
  const top = values.reduce((m, v) => Math.max(m, v), -Infinity);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(values.reduce((s, v) => s + Math.exp(v - top), 0));
}
