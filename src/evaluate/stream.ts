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
 * Looks queued by `MixtureState.look`, shared by every state (as latency-stream's histograms): one
 * state queues at a time, and its queue runs when it is read or another state starts queueing.
 * A stream calls `look` for every cohort × metric × hour: queueing is two stores into typed arrays,
 * which V8 inlines into the stream's loop, where the mSPRT's functions did not all fit its inlining
 * budget and each call out boxed its numbers (some 150 MB of garbage for a 10k-cohort stage).
 */
const queue = { thetaHat: new Float64Array(256), v: new Float64Array(256), length: 0, owner: undefined as MixtureState | undefined };

/**
 * The running state of the two-sided normal-mixture mSPRT (`normalMixtureSequence`) fed one look at
 * a time, so a stream that is evaluated need not keep its looks: the always-valid p is the running
 * min over looks, the reported confidence sequence that of the last look, and the intersection the
 * running max/min of the bounds. The same per-look functions, in the same order, as over `columns`.
 * Looks are queued and run on the first read of a result (`p`, the bounds, `thetaHat`), so a look
 * with an invalid variance throws its RangeError there.
 */
export class MixtureState {
  /** Looks so far. */
  looks = 0;
  private state = { p: 1, lower: -Infinity, upper: Infinity, thetaHat: 0, currentLower: -Infinity, currentUpper: Infinity };

  constructor(
    readonly tau2: number,
    readonly alpha: number,
  ) {}

  /** The always-valid p-value: the running min over looks. */
  get p(): number {
    return this.settled().p;
  }
  /** The intersection of the confidence sequences over looks. */
  get lower(): number {
    return this.settled().lower;
  }
  get upper(): number {
    return this.settled().upper;
  }
  /** The latest look's estimate and confidence sequence. */
  get thetaHat(): number {
    return this.settled().thetaHat;
  }
  get currentLower(): number {
    return this.settled().currentLower;
  }
  get currentUpper(): number {
    return this.settled().currentUpper;
  }

  look(thetaHat: number, v: number): void {
    if (queue.owner !== this) {
      queue.owner?.settled();
      queue.owner = this;
    }
    if (queue.length === queue.thetaHat.length) growQueue();
    queue.thetaHat[queue.length] = thetaHat;
    queue.v[queue.length] = v;
    queue.length++;
    this.looks++;
  }

  /** The state after every queued look. */
  private settled(): MixtureState['state'] {
    const state = this.state;
    if (queue.owner !== this) return state;
    const { tau2, alpha } = this;
    // Emptied first: a look that throws (invalid variance) leaves no queue behind for the next state.
    const queued = queue.length;
    queue.length = 0;
    queue.owner = undefined;
    let { p, lower, upper, thetaHat, currentLower, currentUpper } = state;
    for (let k = 0; k < queued; k++) {
      thetaHat = queue.thetaHat[k] ?? Number.NaN;
      const v = queue.v[k] ?? Number.NaN;
      p = alwaysValidP(p, normalMixtureLogLambda(thetaHat, v, tau2));
      const half = normalMixtureHalfWidth(v, tau2, alpha);
      currentLower = thetaHat - half;
      currentUpper = thetaHat + half;
      lower = Math.max(lower, currentLower);
      upper = Math.min(upper, currentUpper);
    }
    state.p = p;
    state.lower = lower;
    state.upper = upper;
    state.thetaHat = thetaHat;
    state.currentLower = currentLower;
    state.currentUpper = currentUpper;
    return state;
  }
}

function growQueue(): void {
  for (const column of ['thetaHat', 'v'] as const) {
    const longer = new Float64Array(queue[column].length * 2);
    longer.set(queue[column]);
    queue[column] = longer;
  }
}

/**
 * Look columns as one object per look, as `normalMixtureSequence` takes them. (A function, not a
 * `looks` getter on every stream: an object literal with a getter is built by V8 the slow way,
 * some 1.4 kB and 3 µs per stream, and a stage has 50,000 streams.)
 */
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
