import { alwaysValidP } from '../stats/always-valid-p.js';
import { normalMixtureHalfWidth } from '../stats/normal-mixture-half-width.js';
import { normalMixtureLogLambda } from '../stats/normal-mixture-log-lambda.js';
import type { MixtureLook } from '../stats/normal-mixture-sequence.js';

/** Events needed per arm before the first decision (statistics.md 3.1 burn-in). */
export const BURN_IN_EVENTS = 10;
/** Below the burn-in, a cohort is still tested exactly when its expected events reach this (statistics.md 5.3). */
export const EXACT_MIN_EVENTS = 5;

/**
 * A cohort × metric's cumulative estimator over the hourly looks of a window, ready for the
 * normal-mixture mSPRT, with what the result reports at the last look.
 */
export interface EffectStream {
  /**
   * One look per hour past the burn-in: cumulative estimate and variance (on the test's scale),
   * column by column. Two arrays of doubles rather than an object per look: a 10k-cohort stage has
   * millions of looks, and V8 boxes both numbers of every such object.
   */
  columns: LookColumns;
  /** The same looks as objects, as `normalMixtureSequence` takes them; built from `columns` when read. */
  readonly looks: MixtureLook[];
  /** Candidate value, expected value and observed − expected, at the last look. */
  observed: number | null;
  expected: number | null;
  effect: number | null;
  /** Candidate and comparison sizes at the last look. */
  n: number;
  nControl: number;
  /** The smaller arm's expected events at the last look (the burn-in is met at BURN_IN_EVENTS). */
  expectedEvents: number;
  /** How the variance was built, for `method`. */
  variance: string;
  /** Counts for the exact test when the burn-in is not met (rates only). */
  exact?: ExactCounts;
}

/** The looks of a stream column by column: look k is (`thetaHat[k]`, `v[k]`). */
export interface LookColumns {
  thetaHat: number[];
  v: number[];
}

/**
 * The running state of the two-sided normal-mixture mSPRT (`normalMixtureSequence`) fed one look at
 * a time, so a stream that is evaluated need not keep its looks: the always-valid p is the running
 * min over looks, the reported confidence sequence that of the last look, and the intersection the
 * running max/min of the bounds. The same per-look functions, in the same order, as over `columns`.
 */
export class MixtureState {
  looks = 0;
  p = 1;
  lower = -Infinity;
  upper = Infinity;
  thetaHat = 0;
  currentLower = -Infinity;
  currentUpper = Infinity;

  constructor(
    readonly tau2: number,
    readonly alpha: number,
  ) {}

  look(thetaHat: number, v: number): void {
    this.looks++;
    this.thetaHat = thetaHat;
    this.p = alwaysValidP(this.p, normalMixtureLogLambda(thetaHat, v, this.tau2));
    const half = normalMixtureHalfWidth(v, this.tau2, this.alpha);
    const currentLower = thetaHat - half;
    const currentUpper = thetaHat + half;
    this.currentLower = currentLower;
    this.currentUpper = currentUpper;
    this.lower = Math.max(this.lower, currentLower);
    this.upper = Math.min(this.upper, currentUpper);
  }
}

/** Look columns as one object per look. */
export function lookObjects({ thetaHat, v }: LookColumns): MixtureLook[] {
  return thetaHat.map((t, k) => ({ thetaHat: t, v: v[k] ?? Number.NaN }));
}

/**
 * Counts for the exact tests of small cohorts (statistics.md 5.1), with the design effect that
 * keeps them honest under user clustering (counts are divided by it: Kish's effective sample size).
 */

export interface ExactCounts {
  /** Design effect of the candidate's variance (≥ 1). */
  designEffect: number;
  /** Hourly looks so far with ≥ EXACT_MIN_EVENTS but < BURN_IN_EVENTS expected events (reported only). */
  looks: number;
  xT: number;
  nT: number;
  /** The legacy arm's counts (within_cohort_split) … */
  xC?: number;
  nC?: number;
  /** … or the expected rate of the candidate (other designs). */
  expectedRate?: number;
}

/** The expected count of the rarer outcome among `n` trials at rate `p`. */
export const rarerEvents = (n: number, p: number): number => n * Math.min(p, 1 - p);
