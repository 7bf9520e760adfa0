import normal from '@stdlib/stats-base-dists-normal';
import { histogramQuantile } from './histogram-quantile.js';
import { histogramTotal } from './latency-histogram.js';

/** A histogram quantile with its Woodruff confidence interval. */
export interface WoodruffInterval {
  /** The q-quantile, `histogramQuantile(counts, q)`, in ms. */
  estimate: number;
  /** Lower limit `Q(q − z √(q(1−q)/N))`, in ms. */
  lower: number;
  /** Upper limit `Q(q + z √(q(1−q)/N))`, in ms. */
  upper: number;
  /** Standard error `(upper − lower) / (2z)`, in ms. */
  se: number;
}

/**
 * Woodruff's confidence interval for a quantile, read on the histogram's own quantile function:
 *
 *     [Q(q − z √(q(1−q)/N)), Q(q + z √(q(1−q)/N))],   z = Φ⁻¹((1 + confidence)/2),
 *     SE_W = (upper − lower) / (2z)
 *
 * with the probabilities clamped to [0, 1]. Reference: R. S. Woodruff (1952), JASA 47, 635–646;
 * statistics.md section 6.2.
 *
 * @throws {RangeError} if `q` is not in (0, 1), `confidence` not in (0, 1), or `counts` is not a
 * non-empty 241-bin histogram.
 */
export function woodruffInterval(counts: readonly number[], q: number, confidence: number): WoodruffInterval {
  const total = histogramTotal(counts, 'woodruffInterval');
  if (!(q > 0 && q < 1)) throw new RangeError(`woodruffInterval needs q in (0, 1), got ${q}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`woodruffInterval needs confidence in (0, 1), got ${confidence}`);
  }
  const z = normal.quantile((1 + confidence) / 2, 0, 1);
  const halfWidth = z * Math.sqrt((q * (1 - q)) / total);
  const lower = histogramQuantile(counts, Math.max(q - halfWidth, 0));
  const upper = histogramQuantile(counts, Math.min(q + halfWidth, 1));
  return { estimate: histogramQuantile(counts, q), lower, upper, se: (upper - lower) / (2 * z) };
}
