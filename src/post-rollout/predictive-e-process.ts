import betaln from '@stdlib/math-base-special-betaln';
import { alwaysValidP } from '../stats/always-valid-p.js';

/** The baseline's predictive distribution of a rate: Beta(a, b). */
export interface BetaPrior {
  a: number;
  b: number;
}

/** Cumulative counts at one look. */
export interface CountLook {
  /** Events (failures, or failures with one error code) since the start. */
  x: number;
  /** Trials (attempts) since the start. */
  n: number;
}

/** The predictive e-process after one look. */
export interface PredictiveState {
  /** log M_t on the cumulative counts. */
  logE: number;
  /** Always-valid p-value: running minimum of min(1, 1/M). */
  p: number;
}

/** Rate multipliers the alternative mixes over, equally weighted (a regression raises the rate 1.5× to 5×). */
export const DEFAULT_MULTIPLIERS: readonly number[] = [1.5, 2, 3, 5];

/**
 * log M for `x` events in `n` trials: the beta-binomial (Pólya) likelihood ratio of an
 * alternative that mixes rates `r·μ0` against the baseline's predictive null Beta(a, b):
 *
 *     μ0 = a/(a + b),  c = a + b,  a_j = min(r_j μ0, 0.999) c,  b_j = c − a_j
 *     M  = (1/J) Σ_j [B(a_j + x, b_j + n − x) / B(a_j, b_j)]  /  [B(a + x, b + n − x) / B(a, b)]
 *
 * Both are probabilities of the same ordered sequence of outcomes, so M depends on (x, n) only
 * and is a non-negative martingale with mean 1 under the null "each trial fails with a rate drawn
 * once from Beta(a, b)" — the null carries the baseline's uncertainty (statistics.md 5.2), as
 * the beta-binomial predictive tail does at one look. Reference: Ville (1939); Ramdas et al.
 * (2023), Stat. Sci. 38 (mixture likelihood ratios); Lindon & Malek (2022) for the conjugate
 * construction with counts.
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n are integers, a, b > 0 finite, and multipliers > 1.
 */
export function predictiveLogE(x: number, n: number, prior: BetaPrior, multipliers: readonly number[] = DEFAULT_MULTIPLIERS): number {
  const { a, b } = prior;
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || x > n || !(a > 0 && b > 0 && Number.isFinite(a + b))) {
    throw new RangeError(`predictiveLogE needs integers 0 ≤ x ≤ n and finite a, b > 0, got x=${x} n=${n} a=${a} b=${b}`);
  }
  if (multipliers.length === 0 || multipliers.some((r) => !(r > 1))) {
    throw new RangeError(`predictiveLogE needs multipliers > 1, got ${multipliers.join(', ')}`);
  }
  const c = a + b;
  const mu = a / c;
  const logNull = betaln(a + x, b + n - x) - betaln(a, b);
  const logAlt = multipliers.map((r) => {
    const aj = Math.min(r * mu, 0.999) * c;
    const bj = c - aj;
    return betaln(aj + x, bj + n - x) - betaln(aj, bj);
  });
  const top = Math.max(...logAlt);
  const logMean = top + Math.log(logAlt.reduce((s, l) => s + Math.exp(l - top), 0) / logAlt.length);
  return logMean - logNull;
}

/**
 * Runs `predictiveLogE` over looks at cumulative counts (daily looks since the rollout end) and
 * returns per look `log M_t` and the always-valid `p_t = min(p_{t−1}, 1/M_t)`. The same looks
 * give the same numbers, so a re-run for the same date repeats them exactly.
 *
 * @throws {RangeError} as `predictiveLogE`, or if counts decrease between looks.
 */
export function predictiveEProcess(
  looks: readonly CountLook[],
  prior: BetaPrior,
  multipliers: readonly number[] = DEFAULT_MULTIPLIERS,
): PredictiveState[] {
  let p = 1;
  return looks.map((look, i) => {
    const previous = looks[i - 1];
    if (previous && (look.x < previous.x || look.n < previous.n)) {
      throw new RangeError(`predictiveEProcess needs cumulative counts, but look ${i} has fewer than look ${i - 1}`);
    }
    const logE = predictiveLogE(look.x, look.n, prior, multipliers);
    p = alwaysValidP(p, logE);
    return { logE, p };
  });
}
