import type { Alternative } from './alternative.js';
import { binomialTest } from './binomial-test.js';

/** McNemar's test on the discordant pairs of a paired comparison. */
export interface McNemarExact {
  /** Exact p-value from b | b + c ~ Binomial(b + c, ½); 1 when there are no discordant pairs. */
  pValue: number;
  /** Mid-p value, as in `binomialTest`. */
  midP: number;
  /** Asymptotic statistic (b − c)²/(b + c), χ² with 1 df under H0; 0 when b + c = 0. */
  statistic: number;
}

/**
 * Exact McNemar test for paired binary outcomes (legacy live vs candidate shadow on one request).
 *
 *     b = legacy ok, candidate fail;  c = legacy fail, candidate ok
 *     b | b + c ~ Binomial(b + c, ½) under H0;   statistic = (b − c)²/(b + c)
 *
 * `'greater'` is H1: b > c, the candidate fails where legacy succeeded more often than the reverse.
 * Reference: Q. McNemar (1947), Psychometrika 12; R `binom.test(b, b + c)` and
 * `mcnemar.test(matrix(c(a, c, b, d), 2), correct = FALSE)$statistic`. statistics.md 2.4.
 *
 * @throws {RangeError} unless b and c are non-negative integers.
 */
export function mcnemarExact(b: number, c: number, alternative: Alternative = 'two-sided'): McNemarExact {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`mcnemarExact needs non-negative integer counts, got b=${b} c=${c}`);
  }
  if (b + c === 0) return { pValue: 1, midP: 0.5, statistic: 0 };
  return { ...binomialTest(b, b + c, 0.5, alternative), statistic: (b - c) ** 2 / (b + c) };
}
