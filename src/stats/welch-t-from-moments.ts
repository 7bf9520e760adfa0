import t from '@stdlib/stats-base-dists-t';

/** Sufficient statistics of one sample (e.g. of log latency). */
export interface Moments {
  /** Number of observations. */
  n: number;
  /** Sum of the values. */
  sum: number;
  /** Sum of the squared values. */
  sumSq: number;
}

/** Welch's t test of mean(a) − mean(b). */
export interface WelchTFromMoments {
  /** The t statistic. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value from Student's t with `df`. */
  pValue: number;
  /** `mean(a) − mean(b)`; on log latency, exp(diff) is the geometric-mean ratio. */
  diff: number;
  /** Standard error `√(s_a²/n_a + s_b²/n_b)`. */
  se: number;
}

/**
 * Welch's unequal-variances t test from sums, for log latency (`sum log L`, `sum (log L)²`):
 *
 *     mean = sum/n,  s² = (sumSq − sum²/n)/(n − 1),  t = (mean_a − mean_b)/√(s_a²/n_a + s_b²/n_b)
 *     df = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1))
 *
 * Written here because simple-statistics' `tTestTwoSample` is the pooled (Student) statistic and
 * needs raw values. Agrees with R `t.test(a, b)` and scipy `ttest_ind(a, b, equal_var=False)`.
 * Reference: B. L. Welch (1947), Biometrika 34; statistics.md section 6.2.
 *
 * @throws {RangeError} if either sample has n < 2 or both sample variances are 0.
 */
export function welchTFromMoments(a: Moments, b: Moments): WelchTFromMoments {
  if (!(a.n >= 2 && b.n >= 2)) throw new RangeError(`welchTFromMoments needs n >= 2 per sample, got ${a.n} and ${b.n}`);
  const va = sampleVariance(a) / a.n;
  const vb = sampleVariance(b) / b.n;
  if (!(va + vb > 0)) throw new RangeError('welchTFromMoments needs a positive variance in at least one sample');
  const diff = a.sum / a.n - b.sum / b.n;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const statistic = diff / se;
  return { t: statistic, df, pValue: 2 * t.cdf(-Math.abs(statistic), df), diff, se };
}

function sampleVariance({ n, sum, sumSq }: Moments): number {
  return Math.max((sumSq - (sum * sum) / n) / (n - 1), 0);
}
