import { fitBetaMoments } from '../stats/fit-beta-moments.js';
import type { BetaPrior } from './predictive-e-process.js';

/** A combination's baseline-period counts with the daily sums for the ICC. */
export interface BaselineCounts {
  days: number;
  n: number;
  x: number;
  /** Σ_d x_d²/n_d and Σ_d n_d² over the baseline days. */
  sxx: number;
  snn: number;
}

/** Spread of one dimension set × metric in the baseline period. */
export interface SetSpread {
  /** ICC of the combinations' rates around each other (beta-binomial moments, statistics.md 1.2/5.3); 0 when not identifiable. */
  rhoBetween: number;
  /** Pooled ICC of each combination's daily rates around its own mean: the day-to-day drift a post-period rate can show. */
  rhoTime: number;
}

/**
 * The spread of a set's combinations: `fitBetaMoments` across combinations (how far a combination
 * may sit from its parent), and the pooled day-to-day moment ICC
 *
 *     ρ_time = max(0, Σ_c (X²_c − (k_c − 1)) / Σ_c (N_c − Σ_d n_d²/N_c − (k_c − 1))),
 *     X²_c = (Σ_d x_d²/n_d − X_c²/N_c) / (p_c (1 − p_c))
 *
 * (statistics.md 1.2, pooled over combinations with events on two or more days).
 */
export function setSpread(rows: readonly BaselineCounts[]): SetSpread {
  const usable = rows.filter((r) => r.n >= 1);
  let rhoBetween = 0;
  const pooled = usable.reduce((s, r) => s + r.x, 0) / Math.max(1, usable.reduce((s, r) => s + r.n, 0));
  if (usable.length >= 2 && pooled > 0 && pooled < 1) {
    rhoBetween = fitBetaMoments(usable.map((r) => ({ x: Math.round(r.x), n: Math.round(r.n) }))).rho;
  }
  let numerator = 0;
  let denominator = 0;
  for (const r of usable) {
    const p = r.x / r.n;
    if (r.days < 2 || p <= 0 || p >= 1) continue;
    numerator += (r.sxx - (r.x * r.x) / r.n) / (p * (1 - p)) - (r.days - 1);
    denominator += r.n - r.snn / r.n - (r.days - 1);
  }
  const rhoTime = denominator > 0 ? Math.min(0.5, Math.max(0, numerator / denominator)) : 0;
  return { rhoBetween: Math.min(rhoBetween, 0.5), rhoTime };
}

/** The baseline expectation of one combination × metric. */
export interface CellPrior {
  /** Posterior mean of the baseline rate (own counts shrunk towards the parent). */
  rate: number;
  /** Weight of the combination's own baseline counts in `rate`. */
  weight: number;
  /** The null the e-process tests against: mean rate + tolerance, with the capped concentration. */
  null: BetaPrior;
}

/** Concentration used when the siblings show no spread at all (the parent's rate is then the baseline). */
const MAX_CONCENTRATION = 1e7;

/**
 * The beta-binomial predictive null of a combination (statistics.md 5.2/5.3): prior
 * Beta(μ_par T, (1 − μ_par) T) with `T = (1 − ρ_between)/ρ_between` around the parent's rate
 * `μ_par = (x_par + ½)/(n_par + 1)`, updated by the combination's own baseline counts; its
 * concentration is then capped at `(1 − ρ_time)/ρ_time`, so the null is at least as uncertain as a
 * rate that wanders from day to day, and its mean moved up by the tolerated regression.
 */
export function cellPrior(own: { x: number; n: number }, parent: { x: number; n: number }, spread: SetSpread, tolerance: number): CellPrior {
  const parentRate = (parent.x + 0.5) / (parent.n + 1);
  const total = spread.rhoBetween > 0 ? (1 - spread.rhoBetween) / spread.rhoBetween : MAX_CONCENTRATION;
  const a = parentRate * total + own.x;
  const b = (1 - parentRate) * total + own.n - own.x;
  const rate = a / (a + b);
  const cap = spread.rhoTime > 0 ? (1 - spread.rhoTime) / spread.rhoTime : MAX_CONCENTRATION;
  const concentration = Math.min(a + b, cap, MAX_CONCENTRATION);
  const mean = Math.min(rate + tolerance, 0.99);
  return { rate, weight: own.n / (own.n + total), null: { a: mean * concentration, b: (1 - mean) * concentration } };
}
