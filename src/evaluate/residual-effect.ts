import normal from '@stdlib/stats-base-dists-normal';
import type { CohortResult } from '../types.js';

/** An effect estimate over `n` candidate attempts (or observations), with its standard error. */
export interface EffectPiece {
  effect: number;
  n: number;
  se: number;
}

/** What is left of a cohort's effect once some of its traffic is taken out. */
export interface Residual {
  /** (effect_P·n_P − Σ effect_c·n_c) / n; 0 when nothing is left. */
  effect: number;
  /** Its standard error; Infinity when nothing is left. */
  se: number;
  /** n_P − Σ n_c, the traffic left. */
  n: number;
}

/**
 * A result's standard error read off its interval: half-width / z_{1−α/2}.
 *
 * The `ci` of a result is a confidence sequence at level 1 − α, which is wider than the
 * fixed-horizon interval z_{1−α/2}·SE; dividing its half-width by z_{1−α/2} therefore over-states
 * the SE. That is the conservative side for `residualEffect`: a parent is kept as a rule of its own
 * only when the harm left after removing the finer rules is clear even with the inflated SE.
 *
 * @throws {RangeError} if the result has no interval or α is not in (0, 1).
 */
export function standardError(result: Pick<CohortResult, 'ci'>, alpha: number): number {
  if (!result.ci || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`standardError needs an interval and 0 < alpha < 1, got ${JSON.stringify(result.ci)} and ${alpha}`);
  }
  return (result.ci[1] - result.ci[0]) / 2 / normal.quantile(1 - alpha / 2, 0, 1);
}

/**
 * The effect of a parent cohort on the traffic outside the pieces taken out of it:
 *
 *     effect_R = (effect_P·n_P − Σ effect_c·n_c) / n_R,      n_R = n_P − Σ n_c
 *     SE_R²    = max(n_P²·SE_P² − Σ n_c²·SE_c²,  n_R·n_P·SE_P²) / n_R²
 *
 * The effect is an n-weighted mean of disjoint parts (exact for rate differences on the same
 * comparison; an approximation for relative latency effects and for the different baselines of a
 * projection). The first variance term treats the parts as independent pieces of the parent; the
 * second assumes the parent's per-attempt variance n_P·SE_P² holds on the rest; the larger is used,
 * so neither a noisy child nor a quiet one makes the rest look more certain than the parent.
 *
 * @throws {RangeError} if the parent has no traffic.
 */
export function residualEffect(parent: EffectPiece, removed: readonly EffectPiece[]): Residual {
  if (!(parent.n > 0)) throw new RangeError(`residualEffect needs a parent with traffic, got n = ${parent.n}`);
  const n = parent.n - removed.reduce((s, c) => s + c.n, 0);
  if (n <= 1e-9 * parent.n) return { effect: 0, se: Infinity, n: 0 };
  const total = parent.effect * parent.n - removed.reduce((s, c) => s + c.effect * c.n, 0);
  const pieces = parent.n ** 2 * parent.se ** 2 - removed.reduce((s, c) => s + c.n ** 2 * c.se ** 2, 0);
  const scaled = n * parent.n * parent.se ** 2;
  return { effect: total / n, se: Math.sqrt(Math.max(pieces, scaled)) / n, n };
}
