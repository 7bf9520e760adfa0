import type { Cohort, Design } from '../types.js';
import type { PlanMetric } from '../plan/plan.js';

/**
 * Numbers by hour (or by entry of a sparse histogram): a typed array, or a plain array. stageInputs
 * gives every series a stream reads as a typed array: rate arms are views of the cohort's buffer of
 * sums (`emptyArm`, `rateArm`; no allocation per cohort × metric), and arms and latency histograms
 * are views of one buffer per stage (`SeriesArena`). One element type at each read of a stream:
 * plain and typed arrays met at one site make V8 box the numbers it reads. One buffer rather than
 * a hundred thousand small typed arrays: those would each allocate outside V8's heap and, summed,
 * make it run full collections of the whole heap for "external memory pressure".
 */
export type Series = Float64Array | number[];

/**
 * One provider's traffic in one cohort for one rate metric, hour by hour through the window
 * (index h = hour h of the window). `x` counts the metric's own numerator (successes for
 * success_rate, MFA challenges for mfa_rate, failures with the code for error_rate:<code>).
 */
export interface RateArm {
  /** Denominator per hour (attempts, or logins with a known MFA outcome). */
  n: Series;
  /** Numerator per hour. */
  x: Series;
  /**
   * Per (user, cell, hour) sums of the numerator x_u and the attempts n_u, summed over the cohort:
   * K units, Σx², Σn², Σxn (statistics.md 2.6). Absent: the binomial variance, times `designEffect`.
   */
  units?: { K: Series; sxx: Series; snn: Series; sxn: Series };
  /** Per-hour factor on the binomial variance when `units` is absent (e.g. the failures' design effect for an error code). */
  designEffect?: Series;
  /**
   * Factor (≥ 1) on every hour's variance for users who come back hour after hour: the
   * delta-method variance from per-user sums over the whole window over the one from per-hour sums.
   */
  varianceScale?: number;
}

/**
 * What the candidate's rate would be without a regression, hour by hour, for the designs that
 * compare against a baseline (statistics.md 2.2, 2.3).
 */
export interface RateExpectation {
  /** Expected logit of the candidate's rate per hour from the baseline model (NaN where unknown). */
  logit: Float64Array;
  /** Standard deviation of that logit from the baseline's parameter uncertainty (fully correlated across hours). */
  sdLogit: Float64Array;
  /** Per hour, the window-to-window variance of the cohort's logit rate that concurrent legacy traffic does not share (τ², statistics.md 1.2). */
  tau2Logit: Float64Array;
  /** Population drift per hour on the logit scale measured on concurrent legacy traffic, and its variance; absent for baseline_projection. */
  drift?: { d: Float64Array; variance: Float64Array };
}

/** Latency histograms of one provider by hour, sparse: hour h's bins are `bins[offsets[h] .. offsets[h+1])`. */
export interface LatencyArm {
  offsets: Int32Array | number[];
  bins: Int16Array | number[];
  /** Observations per entry: whole counts as 32-bit integers (half the memory of doubles), else doubles. */
  counts: Int32Array | Series;
}

/** What the candidate's log latency quantile would be without a regression (designs 2.2 and 2.3). */
export interface LatencyExpectation {
  /**
   * Per hour, the expected log of (candidate quantile / reference quantile): the baseline's projected
   * log quantile of the cohort minus that of the reference (the legacy population under
   * difference_in_differences, 0 under baseline_projection).
   */
  logOffset: Float64Array;
  /** Variance of the projected offset from the baseline's parameters. */
  varOffset: number;
  /** Window-to-window variance of the cohort's hourly log quantile (τ²). */
  tau2: number;
  /**
   * Under baseline_projection there is no reference arm: the projected log quantile itself per hour.
   * Under difference_in_differences, absent (the legacy arm is the reference).
   */
  projectedLogQuantile?: Float64Array;
}

/** Everything `evaluateCohortMetric` needs for one cohort × metric in one stage window. */
export interface CohortMetricInput {
  cohort: Cohort;
  metric: PlanMetric;
  design: Design;
  /** Hours in the window so far; there is one look per hour. */
  hours: number;
  /**
   * Hourly looks the whole stage will have (its planned length); the exact tests of small cohorts
   * are Bonferroni-corrected over them, a bound fixed before the stage. Defaults to `hours`.
   */
  plannedLooks?: number;
  /** False-alarm level of the always-valid test and of the confidence sequence. */
  alpha: number;
  /** Mixing variance of the mSPRT, fixed before the stage (`mixtureTau2` of the planned end's variance). */
  tau2: number;
  /** Rate metrics: the candidate arm, the legacy arm (within_cohort_split), or an expectation (other designs). */
  rate?: { candidate: RateArm; legacy?: RateArm; expectation?: RateExpectation };
  /** Latency quantile metrics: the candidate arm, the legacy reference arm, and the expectation for designs 2.2/2.3. */
  latency?: { candidate: LatencyArm; legacy?: LatencyArm; expectation?: LatencyExpectation };
}
