import { ratioVariance, type RatioSums } from '../stats/ratio-variance.js';
import type { RateArm } from './hourly-stats.js';
import { rateArmVariance } from './rate-arm-variance.js';

/**
 * How much users who come back hour after hour inflate the variance of an arm's pooled rate:
 *
 *     scale = max(1, Var_window / Var_hours)
 *     Var_window = ratioVariance(per-user sums over the whole window)
 *     Var_hours  = Σ_h n_h² Var_h(p) / (Σ n_h)²      (per-user-hour sums, as the looks use them)
 *
 * both at the window's pooled rate p. A user with a persistent trait (MFA enrolment, a frail
 * password habit) is one unit over the window, not one per hour; the aggregates only have
 * per-hour user sums, so the per-look variances are multiplied by this factor (computed at the
 * last look: conservative for earlier looks). Returns 1 when either variance is unavailable.
 */
export function acrossHoursScale(arm: RateArm, window: RatioSums | undefined, hours: number): number {
  if (!window || !(window.K >= 2) || !(window.Sn > 0)) return 1;
  const p = window.Sx / window.Sn;
  let [n, weighted] = [0, 0];
  const unscaled: RateArm = { ...arm, varianceScale: 1 };
  for (let h = 0; h < hours; h++) {
    const nh = arm.n[h] ?? 0;
    if (!(nh > 0)) continue;
    n += nh;
    weighted += nh * nh * rateArmVariance(unscaled, h, p);
  }
  if (!(n > 0 && weighted > 0)) return 1;
  const ratio = ratioVariance(window).variance / (weighted / (n * n));
  return Number.isFinite(ratio) ? Math.max(ratio, 1) : 1;
}
