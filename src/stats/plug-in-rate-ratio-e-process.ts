import { alwaysValidP } from './always-valid-p.js';

/** One window of a two-arm count comparison with its design split. */
export interface RateRatioWindow {
  /** Events in the treatment arm. */
  xT: number;
  /** Events in the control arm. */
  xC: number;
  /** Treatment design exposure (routing share or randomised unit-hours). */
  piT: number;
  /** Control design exposure. */
  piC: number;
}

/** The plug-in e-process after one window. */
export interface RateRatioState {
  /** log e_w of this window. */
  logE: number;
  /** log M_t = Σ_{w<=t} log e_w. */
  logM: number;
  /** Always-valid p-value, running minimum of 1/M. */
  p: number;
  /** The rate ratio r̂ estimated from earlier windows and used in this one. */
  rateRatio: number;
}

/**
 * The predictable plug-in e-process for "equal event rates per design exposure" when the split
 * changes between windows. Per window, with cumulative counts X and exposures E = Σπ of the
 * earlier windows only (r̂ = 1 before any window):
 *
 *     r̂ = ((X_T + 1)/E_T) / ((X_C + 1)/E_C),   θ0 = π_T/(π_T + π_C),   θ̃ = r̂ π_T / (r̂ π_T + π_C)
 *     e_w = (θ̃/θ0)^{x_T} ((1 − θ̃)/(1 − θ0))^{x_C},   M_t = Π_{w<=t} e_w
 *
 * Each e_w has mean 1 under H0 given the past and the window's total, so M is a test martingale.
 * Reference: Robbins (1970); Ramdas, Grünwald, Vovk & Shafer (2023), Stat. Sci. 38;
 * statistics.md section 3.2 (ii).
 *
 * @throws {RangeError} if a count is negative or an exposure is not positive.
 */
export function plugInRateRatioEProcess(windows: readonly RateRatioWindow[]): RateRatioState[] {
  const sums = { xT: 0, xC: 0, eT: 0, eC: 0 };
  let state = { logM: 0, p: 1 };
  return windows.map(({ xT, xC, piT, piC }) => {
    if (!(xT >= 0 && xC >= 0 && piT > 0 && piC > 0)) {
      throw new RangeError(`plugInRateRatioEProcess needs counts >= 0 and exposures > 0, got ${JSON.stringify({ xT, xC, piT, piC })}`);
    }
    const rateRatio = sums.eT > 0 ? (sums.xT + 1) / sums.eT / ((sums.xC + 1) / sums.eC) : 1;
    const theta0 = piT / (piT + piC);
    const tilde = (rateRatio * piT) / (rateRatio * piT + piC);
    const logE = term(xT, tilde / theta0) + term(xC, (1 - tilde) / (1 - theta0));
    const logM = state.logM + logE;
    state = { logM, p: alwaysValidP(state.p, logM) };
    Object.assign(sums, { xT: sums.xT + xT, xC: sums.xC + xC, eT: sums.eT + piT, eC: sums.eC + piC });
    return { logE, ...state, rateRatio };
  });
}

function term(count: number, ratio: number): number {
  return count === 0 ? 0 : count * Math.log(ratio);
}
