import { alwaysValidP } from './always-valid-p.js';
import { normalMixtureHalfWidth } from './normal-mixture-half-width.js';
import { normalMixtureLogLambda } from './normal-mixture-log-lambda.js';
import { oneSidedNormalMixtureHalfWidth } from './one-sided-normal-mixture-half-width.js';
import { oneSidedNormalMixtureLogLambda } from './one-sided-normal-mixture-log-lambda.js';

/** One look at a cumulative estimator: `θ̂_t ~ N(θ, v_t)` on all data so far. */
export interface MixtureLook {
  /** The estimate on all data up to this look. */
  thetaHat: number;
  /** Its variance. */
  v: number;
}

/** Settings of a normal-mixture stream, fixed before the stage starts. */
export interface MixtureSettings {
  /** Mixing variance τ² (`mixtureTau2`). */
  tau2: number;
  /** Level of the test and of the confidence sequence. */
  alpha: number;
  /** Null value of θ; 0 unless given. */
  theta0?: number;
  /** `'greater'`: half-normal mixture, lower bound only (alarm on increases). Default two-sided. */
  alternative?: 'two-sided' | 'greater';
}

/** The state of the stream after one look. */
export interface MixtureState {
  /** log Λ_t at this look. */
  logLambda: number;
  /** Always-valid p-value, the running minimum of `1/Λ`. */
  p: number;
  /** Lower limit of the confidence sequence, intersected with the earlier ones. */
  lower: number;
  /** Upper limit (+∞ for `'greater'`), intersected with the earlier ones. */
  upper: number;
}

/**
 * Runs the normal-mixture mSPRT over a stream of looks: per look
 * `log Λ_t` (`normalMixtureLogLambda` or its one-sided variant), `p_t = min(p_{t−1}, 1/Λ_t)`, and
 * `CS_t = (θ̂_t ± half-width) ∩ CS_{t−1}`. An empty interval (lower > upper) means the data
 * contradict the model (e.g. a non-constant effect). Reference: statistics.md section 3.1.
 *
 * @throws {RangeError} as the per-look functions do.
 */
export function normalMixtureSequence(looks: readonly MixtureLook[], settings: MixtureSettings): MixtureState[] {
  const { tau2, alpha, theta0 = 0, alternative = 'two-sided' } = settings;
  const oneSided = alternative === 'greater';
  const states: MixtureState[] = [];
  let state = { p: 1, lower: -Infinity, upper: Infinity };
  for (const { thetaHat, v } of looks) {
    const logLambda = oneSided
      ? oneSidedNormalMixtureLogLambda(thetaHat, v, tau2, theta0)
      : normalMixtureLogLambda(thetaHat, v, tau2, theta0);
    const halfWidth = oneSided ? oneSidedNormalMixtureHalfWidth(v, tau2, alpha) : normalMixtureHalfWidth(v, tau2, alpha);
    state = {
      p: alwaysValidP(state.p, logLambda),
      lower: Math.max(state.lower, thetaHat - halfWidth),
      upper: oneSided ? Infinity : Math.min(state.upper, thetaHat + halfWidth),
    };
    states.push({ logLambda, ...state });
  }
  return states;
}
