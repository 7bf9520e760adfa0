import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';

/**
 * Upper tail P(X ≥ x) of X ~ BetaBinomial(n, a, b), summed in log space.
 *
 *     P(X ≥ x) = Σ_{k=x..n} C(n, k) B(k + a, n − k + b) / B(a, b)
 *
 * Each term is `exp(lchoose(n, k) + lbeta(k + a, n − k + b) − lbeta(a, b))`, combined by
 * log-sum-exp from the largest term, so tails far below 1e-300 relative to the mode do not cancel.
 * It is the exact one-sided predictive p-value of a window with x failures in n attempts when the
 * baseline rate is Beta(a, b). Reference: statistics.md 5.2; scipy `betabinom.sf(x - 1, n, a, b)`.
 *
 * @throws {RangeError} unless n is a non-negative integer, x an integer, and a, b finite and > 0.
 */
export function betaBinomialUpperTail(x: number, n: number, a: number, b: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(x) || !(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b))) {
    throw new RangeError(`betaBinomialUpperTail needs integers x and n ≥ 0 and finite a, b > 0, got x=${x} n=${n} a=${a} b=${b}`);
  }
  if (x <= 0) return 1;
  if (x > n) return 0;
  const logChooseN = gammaln(n + 1);
  const logBetaAB = betaln(a, b);
  const logTerms: number[] = [];
  for (let k = x; k <= n; k++) {
    logTerms.push(logChooseN - gammaln(k + 1) - gammaln(n - k + 1) + betaln(k + a, n - k + b) - logBetaAB);
  }
  const top = logTerms.reduce((m, l) => Math.max(m, l), -Infinity);
  const sum = logTerms.reduce((s, l) => s + Math.exp(l - top), 0);
  return Math.min(1, Math.exp(top + Math.log(sum)));
}
