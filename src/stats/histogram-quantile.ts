import { histogramTotal, latencyBinEdges } from './latency-histogram.js';

/**
 * The q-quantile in milliseconds of a latency histogram, by linear interpolation inside the bin:
 *
 *     Q(q) = e_j + (qN − cum_j) / c_j · (e_{j+1} − e_j),   cum_j < qN <= cum_{j+1}
 *
 * with `e_j` the nominal edges of `latencyBinEdges()`, `c_j` the count of bin j and `cum_j` the
 * count below it; `Q(0)` is the lower edge of the first non-empty bin. This is the grouped-data
 * (ogive) quantile; it is within the 5% bin width of the raw-data quantile. Design:
 * statistics.md sections 6.1 and 6.2.
 *
 * @throws {RangeError} if `q` is outside [0, 1] or `counts` is not a non-empty 241-bin histogram.
 */
export function histogramQuantile(counts: readonly number[], q: number): number {
  const total = histogramTotal(counts, 'histogramQuantile');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`histogramQuantile needs q in [0, 1], got ${q}`);
  const edges = latencyBinEdges();
  const target = q * total;
  let below = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j] ?? 0;
    if (c > 0 && (target <= below + c || j === counts.length - 1)) {
      const lower = edges[j] ?? 0;
      const upper = edges[j + 1] ?? lower;
      return lower + (Math.max(target - below, 0) / c) * (upper - lower);
    }
    below += c;
  }
  // Unreachable: histogramTotal guarantees a non-empty bin, and the last one returns.
  throw new RangeError('histogramQuantile found no non-empty bin');
}
