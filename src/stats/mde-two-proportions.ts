import normal from '@stdlib/stats-base-dists-normal';
import { sequentialMdeFactor } from './sequential-mde-factor.js';

/** Inputs of a minimum-detectable-effect calculation for two arms. */
export interface MdeDesign {
  /** Baseline rate, the control arm's rate. */
  p0: number;
  /** Treatment attempts. */
  nT: number;
  /** Control attempts. */
  nC: number;
  /** Two-sided level. */
  alpha: number;
  /** Power, 1 − β. */
  power: number;
  /** Design effect; 1 unless given. */
  designEffect?: number;
  /** Monitored continuously: use the mixture CS boundary (`sequentialMdeFactor`) for z_{1−α/2}. */
  sequential?: boolean;
  /** Which change to detect; `'increase'` (a higher failure rate) unless given. */
  direction?: 'increase' | 'decrease';
}

/** The smallest change in the treatment rate detected with the requested power. */
export interface Mde {
  /** Absolute change |p_T − p0|; +∞ when no rate in (0, 1) reaches the power. */
  mde: number;
  /** The detectable treatment rate p0 ± mde. */
  rate: number;
  /** `mde / p0`. */
  relative: number;
  /** The critical value used: z_{1−α/2}, or the sequential boundary. */
  critical: number;
}

/**
 * The minimum detectable effect, solving the power equation of the two-proportion z test for
 * p1 = p0 ± d (treatment), p2 = p0 (control), r = n_T/n_C, by bisection on d:
 *
 *     power = Φ((d √(n_C/DE) − c √(p̄ q̄ (1 + 1/r))) / √(p2 q2 + p1 q1 / r)),  p̄ = (r p1 + p2)/(1 + r)
 *
 * with c = z_{1−α/2}, or c = the mixture CS boundary when `sequential` (conservative). For
 * n_T = n_C and DE = 1 this is R `power.prop.test(n = , p1 = p0, power = )$p2 − p0`.
 * Reference: Fleiss, Levin & Paik (2003); statistics.md section 7.
 *
 * @throws {RangeError} if p0, alpha or power is outside (0, 1), or nT, nC or designEffect <= 0.
 */
export function mdeTwoProportions(design: MdeDesign): Mde {
  const { p0, nT, nC, alpha, power, designEffect = 1, sequential = false, direction = 'increase' } = design;
  if (![p0, alpha, power].every((value) => value > 0 && value < 1) || !(nT > 0 && nC > 0 && designEffect > 0)) {
    throw new RangeError(`mdeTwoProportions needs p0, alpha, power in (0, 1) and nT, nC, designEffect > 0, got ${JSON.stringify(design)}`);
  }
  const critical = sequential ? sequentialMdeFactor(alpha, power).boundary : normal.quantile(1 - alpha / 2, 0, 1);
  const sign = direction === 'increase' ? 1 : -1;
  const r = nT / nC;
  const powerAt = (d: number): number => {
    const p1 = p0 + sign * d;
    const pBar = (r * p1 + p0) / (1 + r);
    const shift = d * Math.sqrt(nC / designEffect) - critical * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / r));
    return normal.cdf(shift / Math.sqrt(p0 * (1 - p0) + (p1 * (1 - p1)) / r), 0, 1);
  };
  let low = 0;
  let high = direction === 'increase' ? 1 - p0 : p0;
  if (powerAt(high * (1 - 1e-12)) < power) return { mde: Infinity, rate: sign * Infinity, relative: Infinity, critical };
  for (let i = 0; i < 200 && high - low > 1e-16 * high; i++) {
    const mid = (low + high) / 2;
    if (powerAt(mid) < power) low = mid;
    else high = mid;
  }
  const mde = (low + high) / 2;
  return { mde, rate: p0 + sign * mde, relative: mde / p0, critical };
}
