import beta from '@stdlib/stats-base-dists-beta';
import { checkArm } from './two-proportion-z.js';

/** A cohort's empirical-Bayes (posterior) rate. */
export interface BetaBinomialShrinkage {
  /** Posterior mean `(a + x)/(a + b + n) = w·x/n + (1 − w)·prior mean`. */
  mean: number;
  /** Lower limit of the equal-tailed credible interval. */
  lower: number;
  /** Upper limit of the equal-tailed credible interval. */
  upper: number;
  /** Weight of the cohort's own rate, `w = n/(n + a + b)`. */
  weight: number;
}

/**
 * Empirical-Bayes beta-binomial shrinkage of one cohort's rate toward its siblings' prior.
 *
 *     prior Beta(a, b) with a + b = (1 − ρ)/ρ, a = mean (a + b);  posterior Beta(a + x, b + n − x)
 *     mean = (a + x)/(a + b + n),  w = n/(n + a + b),  interval = posterior quantiles (1 ∓ confidence)/2
 *
 * The prior is given as `{ mean, rho }` (the fields of `fitBetaMoments`), so ρ = 0 (no overdispersion)
 * is the limit a + b → ∞: weight 0 and a point interval at the prior mean.
 * Reference: Efron & Morris (1975), JASA 70; Casella (1985), Am. Stat. 39; statistics.md 5.3.
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n, n ≥ 1 are integers, 0 < mean < 1, 0 ≤ rho < 1 and
 * 0 < confidence < 1.
 */
export function betaBinomialShrinkage(
  x: number,
  n: number,
  prior: { readonly mean: number; readonly rho: number },
  confidence = 0.95,
): BetaBinomialShrinkage {
  checkArm(x, n, 'betaBinomialShrinkage');
  const { mean: mu, rho } = prior;
  if (!(mu > 0 && mu < 1 && rho >= 0 && rho < 1 && confidence > 0 && confidence < 1)) {
    throw new RangeError(`betaBinomialShrinkage needs 0 < mean < 1, 0 ≤ rho < 1, 0 < confidence < 1, got ${mu}, ${rho}, ${confidence}`);
  }
  if (rho === 0) return { mean: mu, lower: mu, upper: mu, weight: 0 };
  const total = (1 - rho) / rho;
  const [a, b] = [mu * total + x, (1 - mu) * total + n - x];
  return {
    mean: a / (a + b),
    lower: beta.quantile((1 - confidence) / 2, a, b),
    upper: beta.quantile((1 + confidence) / 2, a, b),
    weight: n / (n + total),
  };
}
