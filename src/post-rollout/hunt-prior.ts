import { median } from 'simple-statistics';
import { fitBetaMoments } from '../stats/fit-beta-moments.js';
import type { BaselineCountRow } from './hunt-sql.js';
import type { BetaPrior } from './predictive-e-process.js';

/** A combination's baseline-period counts against its parent (the counting fields of a `baselineCounts` row). */
export type ParentCounts = Pick<BaselineCountRow, 'weeks' | 'n' | 'x' | 'parent_n' | 'parent_x' | 'x2' | 'sum_parent_x2'>;

/** Spread of one dimension set × metric in the baseline period. */
export interface SetSpread {
  /** ICC of the combinations' rates around each other (beta-binomial moments, statistics.md 1.2/5.3): how far one may sit from its parent. */
  rhoBetween: number;
  /** Median ICC of a combination's weekly share of its parent's events: how much the interaction wanders from week to week. */
  rhoWeek: number;
}

/** Events a combination needs in the baseline period before its own week-to-week ICC counts. */
const MIN_EVENTS = 20;

/**
 * The spread of a set's combinations: `fitBetaMoments` across their rates, and the median over
 * combinations with ≥ 20 events of the moment ICC of their weekly share of the parent's events
 *
 *     ρ_week = max(0, (X² − (k − 1)) / (X_P − Σ_w X_Pw²/X_P − (k − 1)))
 *
 * (statistics.md 1.2 with the parent's events as trials; the median keeps one incident-hit
 * combination from setting the spread of all).
 */
export function setSpread(rows: readonly ParentCounts[]): SetSpread {
  const usable = rows.filter((r) => r.n >= 1);
  const pooled = usable.reduce((s, r) => s + r.x, 0) / Math.max(1, usable.reduce((s, r) => s + r.n, 0));
  const rhoBetween = usable.length >= 2 && pooled > 0 && pooled < 1
    ? fitBetaMoments(usable.map((r) => ({ x: Math.round(r.x), n: Math.round(r.n) }))).rho
    : 0;
  const perCombination = usable
    .filter((r) => r.weeks >= 2 && r.x >= MIN_EVENTS && r.parent_x > r.x)
    .map((r) => {
      const denominator = r.parent_x - r.sum_parent_x2 / r.parent_x - (r.weeks - 1);
      return denominator > 0 ? Math.max(0, (r.x2 - (r.weeks - 1)) / denominator) : 0;
    });
  return { rhoBetween: Math.min(rhoBetween, 0.5), rhoWeek: perCombination.length ? Math.min(0.5, median(perCombination)) : 0 };
}

/** The baseline expectation of one combination × metric relative to the rest of its parent. */
export interface CellNull {
  /** Posterior mean of the combination's baseline rate (own counts shrunk towards the parent's rate). */
  rate: number;
  /** Weight of the combination's own counts in `rate`. */
  weight: number;
  /** The rest of the parent's baseline rate and events. */
  restRate: number;
  /** The set's week-to-week ICC of the share, added to the counts' uncertainty. */
  rhoWeek: number;
  /** Effective baseline events of the combination (shrinkage prior included). */
  effectiveEvents: number;
  restEvents: number;
}

/** Concentration used when nothing bounds it (no spread, huge counts). */
const MAX_CONCENTRATION = 1e7;

/**
 * The combination's baseline relative to the rest of its parent (statistics.md 2.2, 3.2, 5.2, 5.3):
 * its rate shrunk towards the parent's, `(μ_par T + x)/(T + n)` with `T = (1 − ρ_between)/ρ_between`,
 * and the rest's rate. The concentration of the predictive Beta of the combination's share θ of
 * the parent's events comes from the delta method, `Var(logit θ) ≈ 1/x_eff + 1/x_rest`, widened by
 * the week-to-week ICC so the null is as uncertain as the share wandered in the baseline.
 */
export function cellNull(own: { x: number; n: number }, parent: { x: number; n: number }, spread: SetSpread): CellNull {
  const parentRate = (parent.x + 0.5) / (parent.n + 1);
  const total = spread.rhoBetween > 0 ? (1 - spread.rhoBetween) / spread.rhoBetween : MAX_CONCENTRATION;
  const effectiveEvents = parentRate * total + own.x;
  const rate = effectiveEvents / (total + own.n);
  const restEvents = Math.max(parent.x - own.x, 0) + 0.5;
  const restRate = restEvents / Math.max(parent.n - own.n + 1, 1);
  return { rate, weight: own.n / (own.n + total), restRate, rhoWeek: spread.rhoWeek, effectiveEvents, restEvents };
}

/**
 * The predictive null Beta of the combination's share of the parent's window events, given the
 * window's attempts: `θ0 = n (rate + tolerance) / (n (rate + tolerance) + n_rest rate_rest)`, with
 * ICC `ρ = 1/(1 + 1/(θ0(1 − θ0) Var(logit θ))) + ρ_week` and concentration `(1 − ρ)/ρ`.
 */
export function shareNull(cell: CellNull, n: number, restN: number, tolerance: number): BetaPrior {
  const a = n * Math.min(cell.rate + tolerance, 0.99);
  const theta = Math.min(Math.max(a / (a + Math.max(restN, 1) * cell.restRate), 1e-9), 1 - 1e-9);
  const varLogit = 1 / cell.effectiveEvents + 1 / cell.restEvents;
  const rho = Math.min(1 / (1 + 1 / (theta * (1 - theta) * varLogit)) + cell.rhoWeek, 0.5);
  const concentration = Math.min((1 - rho) / rho, MAX_CONCENTRATION);
  return { a: theta * concentration, b: (1 - theta) * concentration };
}
