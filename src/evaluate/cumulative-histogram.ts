import normal from '@stdlib/stats-base-dists-normal';
import { LATENCY_BIN_COUNT, latencyBinEdges } from '../stats/latency-histogram.js';

const EDGES = latencyBinEdges();
const SIZE = 256; // power of two ≥ LATENCY_BIN_COUNT for the Fenwick descent
const Z95 = normal.quantile(0.975, 0, 1);

/** A quantile with its Woodruff standard error, in ms. */
export interface QuantileEstimate {
  estimate: number;
  se: number;
}

/**
 * A latency histogram that grows hour by hour and answers quantiles in O(log bins): a Fenwick
 * tree over the 241 bins. It reads the same grouped-data quantile as `histogramQuantile` and
 * the same interval as `woodruffInterval` (test/evaluate/cumulative-histogram.test.ts checks
 * both); those take a dense array and scan it, which is too slow for one look per hour for
 * every cohort.
 */
export class CumulativeHistogram {
  private readonly tree: Float64Array;
  private readonly counts: Float64Array;
  /** Observations so far. */
  total = 0;
  /** The latest `measure`: the quantile and its Woodruff SE, as fields rather than an object per look. */
  estimate = 0;
  se = 0;

  constructor() {
    // One allocation for both (two histograms per latency stream, for every cohort): a stream's
    // histograms die young, so their memory outside V8's heap is freed by the next minor collection.
    const buffer = new Float64Array(SIZE + 1 + LATENCY_BIN_COUNT);
    this.tree = buffer.subarray(0, SIZE + 1);
    this.counts = buffer.subarray(SIZE + 1);
  }

  /** Empties the histogram, so one pair can serve stream after stream without allocating. */
  clear(): void {
    this.tree.fill(0);
    this.counts.fill(0);
    this.total = 0;
    this.estimate = 0;
    this.se = 0;
  }

  /** Adds `count` observations to bin `bin`. */
  add(bin: number, count: number): void {
    if (!(count > 0)) return;
    const b = Math.min(Math.max(bin, 0), LATENCY_BIN_COUNT - 1);
    this.counts[b] = (this.counts[b] ?? 0) + count;
    this.total += count;
    for (let i = b + 1; i <= SIZE; i += i & -i) this.tree[i] = (this.tree[i] ?? 0) + count;
  }

  /** The q-quantile in ms, interpolated inside its bin (0 when empty). */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(q * this.total, Number.MIN_VALUE);
    let position = 0;
    let below = 0;
    for (let step = SIZE; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= SIZE && below + (this.tree[next] ?? 0) < target) {
        position = next;
        below += this.tree[next] ?? 0;
      }
    }
    const bin = Math.min(position, LATENCY_BIN_COUNT - 1);
    const c = this.counts[bin] ?? 0;
    const lower = EDGES[bin] ?? 0;
    const upper = EDGES[bin + 1] ?? lower;
    if (c === 0) return lower;
    return lower + (Math.max(q * this.total - below, 0) / c) * (upper - lower);
  }

  /** The q-quantile with Woodruff's standard error `(Q(q + z s) − Q(q − z s)) / 2z`, s = √(q(1−q)/N). */
  woodruff(q: number, confidence = 0.95): QuantileEstimate {
    this.measure(q, confidence);
    return { estimate: this.estimate, se: this.se };
  }

  /** `woodruff` into the fields `estimate` and `se` (for the latency streams' every look). */
  measure(q: number, confidence = 0.95): void {
    const z = confidence === 0.95 ? Z95 : normal.quantile((1 + confidence) / 2, 0, 1);
    const half = z * Math.sqrt((q * (1 - q)) / this.total);
    const lower = this.quantile(Math.max(q - half, 0));
    const upper = this.quantile(Math.min(q + half, 1));
    this.estimate = this.quantile(q);
    this.se = (upper - lower) / (2 * z);
  }
}
