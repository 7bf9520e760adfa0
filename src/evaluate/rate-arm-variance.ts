import type { RateArm } from './hourly-stats.js';

/**
 * The variance of one arm's rate in hour h: the delta-method ratio variance clustered by user
 * (statistics.md 2.6, the formula of `ratioVariance`, evaluated at the rate `p`) when the arm has
 * unit sums for two or more units, else the binomial `p q / n` times the arm's design effect.
 *
 *     Var(p) = (Σx² − 2 p Σxn + p² Σn²) · K / ((K − 1) n²)
 *
 * Inlined rather than calling `ratioVariance` because it runs once per cohort × metric × hour ×
 * arm (millions of times per evaluation); test/evaluate/rate-arm-variance.test.ts checks the two agree.
 */
export function rateArmVariance(arm: RateArm, h: number, p: number): number {
  const n = arm.n[h] ?? 0;
  if (!(n > 0)) return 0;
  return hourVariance(arm, h, n, p) * Math.max(arm.varianceScale ?? 1, 1);
}

function hourVariance(arm: RateArm, h: number, n: number, p: number): number {
  const units = arm.units;
  // Ternaries rather than `?.[h] ??`: a value that may be undefined makes V8 box the number it reads.
  const K = units ? (units.K[h] ?? 0) : 0;
  if (units && K >= 2) {
    const squares = (units.sxx[h] ?? 0) - 2 * p * (units.sxn[h] ?? 0) + p * p * (units.snn[h] ?? 0);
    return (Math.max(squares, 0) * K) / ((K - 1) * n * n);
  }
  const designEffect = Math.max(arm.designEffect ? (arm.designEffect[h] ?? 1) : 1, 1);
  return (designEffect * p * (1 - p)) / n;
}

/** Names the variance `rateArmVariance` uses for an arm, for a result's `method`. */
export function varianceSource(arm: RateArm): string {
  const scale = arm.varianceScale && arm.varianceScale > 1 ? ` × ${arm.varianceScale.toFixed(2)} for users across hours` : '';
  return `${hourSource(arm)}${scale}`;
}

function hourSource(arm: RateArm): string {
  if (arm.units) return 'user-clustered delta-method variance';
  return arm.designEffect ? 'binomial variance × a per-hour design effect' : 'binomial variance';
}
