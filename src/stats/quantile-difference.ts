import normal from '@stdlib/stats-base-dists-normal';
import { woodruffInterval } from './woodruff-interval.js';

/** The difference and ratio of one quantile between two latency histograms, with intervals. */
export interface QuantileDifference {
  /** The treatment arm's quantile, in ms. */
  quantileT: number;
  /** The control arm's quantile, in ms. */
  quantileC: number;
  /** `Q_T − Q_C`, in ms. */
  difference: number;
  /** `√(SE_T² + SE_C²)`, in ms. */
  se: number;
  /** Lower limit of `Q_T − Q_C`. */
  lower: number;
  /** Upper limit of `Q_T − Q_C`. */
  upper: number;
  /** `Q_T / Q_C`. */
  ratio: number;
  /** Lower limit of the ratio, `exp(log(Q_T/Q_C) − z √((SE_T/Q_T)² + (SE_C/Q_C)²))`. */
  ratioLower: number;
  /** Upper limit of the ratio. */
  ratioUpper: number;
}

/**
 * The difference and ratio of the q-quantile between two independent arms' histograms:
 *
 *     Q_T − Q_C ± z √(SE_T² + SE_C²)
 *     Q_T / Q_C · exp(± z √((SE_T/Q_T)² + (SE_C/Q_C)²))    (delta method on the log scale)
 *
 * with Woodruff standard errors (`woodruffInterval`) and `z = Φ⁻¹((1 + confidence)/2)`.
 * Reference: statistics.md section 6.2; Woodruff (1952), JASA 47.
 *
 * @throws {RangeError} as `woodruffInterval` does, for either arm.
 */
export function quantileDifference(
  countsT: readonly number[],
  countsC: readonly number[],
  q: number,
  confidence: number,
): QuantileDifference {
  const t = woodruffInterval(countsT, q, confidence);
  const c = woodruffInterval(countsC, q, confidence);
  const z = normal.quantile((1 + confidence) / 2, 0, 1);
  const difference = t.estimate - c.estimate;
  const se = Math.hypot(t.se, c.se);
  const ratio = t.estimate / c.estimate;
  const logSe = Math.hypot(t.se / t.estimate, c.se / c.estimate);
  return {
    quantileT: t.estimate,
    quantileC: c.estimate,
    difference,
    se,
    lower: difference - z * se,
    upper: difference + z * se,
    ratio,
    ratioLower: ratio * Math.exp(-z * logSe),
    ratioUpper: ratio * Math.exp(z * logSe),
  };
}
