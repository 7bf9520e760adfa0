import type { Alternative } from './alternative.js';
import { binomialTest } from './binomial-test.js';
import { clopperPearson } from './clopper-pearson.js';
import { clopperPearsonLower } from './clopper-pearson-lower.js';
import { clopperPearsonUpper } from './clopper-pearson-upper.js';
import type { Interval } from './wilson-interval.js';

/** Event counts and exposures (hours, thousands of logins) of two arms. */
export interface TwoArmExposure {
  /** Events in the treatment arm T. */
  xT: number;
  /** Exposure of T. */
  eT: number;
  /** Events in the control arm C. */
  xC: number;
  /** Exposure of C. */
  eC: number;
}

/** The exact conditional test of equal Poisson rates. */
export interface PoissonRateRatioTest {
  /** Exact p-value; two-sided by the minlike rule. */
  pValue: number;
  /** Mid-p value, as in `binomialTest`. */
  midP: number;
  /** `(x_T/e_T) / (x_C/e_C)`; Infinity when x_C = 0. */
  rateRatio: number;
  /** Exact interval for the rate ratio; one-sided alternatives give a one-sided interval, as R. */
  ci: Interval;
}

/**
 * Exact conditional test of H0: λ_T = λ_C for two Poisson counts with exposures.
 *
 *     x_T | x_T + x_C ~ Binomial(x_T + x_C, π0),   π0 = e_T / (e_T + e_C)
 *     CI for λ_T/λ_C: P/(1 − P) · e_C/e_T at the Clopper–Pearson limits P of π
 *
 * Reference: Przyborowski & Wilenski (1940), Biometrika 31; Gu et al. (2008), Biometrical J. 50;
 * R `poisson.test(c(xT, xC), c(eT, eC))`, statsmodels `test_poisson_2indep(method='exact-cond')`.
 * statistics.md 5.1.
 *
 * @throws {RangeError} unless the counts are non-negative integers with x_T + x_C ≥ 1 (no events
 * carry no information), the exposures are finite and positive, and 0 < confidence < 1.
 */
export function poissonRateRatioTest(
  { xT, eT, xC, eC }: TwoArmExposure,
  alternative: Alternative = 'two-sided',
  confidence = 0.95,
): PoissonRateRatioTest {
  if (!(eT > 0 && eC > 0 && Number.isFinite(eT) && Number.isFinite(eC))) {
    throw new RangeError(`poissonRateRatioTest needs finite exposures > 0, got eT=${eT} eC=${eC}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`poissonRateRatioTest needs 0 < confidence < 1, got ${confidence}`);
  }
  const n = xT + xC;
  if (!Number.isInteger(xT) || !Number.isInteger(xC) || xT < 0 || xC < 0 || n < 1) {
    throw new RangeError(`poissonRateRatioTest needs integer counts ≥ 0 with xT + xC ≥ 1, got xT=${xT} xC=${xC}`);
  }
  const { pValue, midP } = binomialTest(xT, n, eT / (eT + eC), alternative);
  const toRatio = (p: number) => (p / (1 - p)) * (eC / eT);
  const alpha = 1 - confidence;
  const limits =
    alternative === 'two-sided'
      ? clopperPearson(xT, n, confidence)
      : alternative === 'less'
        ? { lower: 0, upper: clopperPearsonUpper(xT, n, alpha) }
        : { lower: clopperPearsonLower(xT, n, alpha), upper: 1 };
  return { pValue, midP, rateRatio: xT / eT / (xC / eC), ci: { lower: toRatio(limits.lower), upper: toRatio(limits.upper) } };
}
