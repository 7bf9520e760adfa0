import { checkPValues } from './check-p-values.js';
import { stepUp } from './benjamini-hochberg.js';

/**
 * Benjamini–Yekutieli adjusted p-values (FDR under arbitrary dependence), in input order.
 *
 *     p̃_(i) = min_{j ≥ i} min(1, m c(m) p_(j) / j),   c(m) = Σ_{i=1..m} 1/i
 *
 * Use it when cohorts overlap (nested dimension combinations). Reference: Benjamini & Yekutieli
 * (2001), Ann. Stat. 29; R `p.adjust(p, 'BY')`. statistics.md 4.
 *
 * @throws {RangeError} if a value is not in [0, 1].
 */
export function benjaminiYekutieli(p: readonly number[]): number[] {
  checkPValues(p, 'benjaminiYekutieli');
  let harmonic = 0;
  for (let i = 1; i <= p.length; i++) harmonic += 1 / i;
  return stepUp(p, harmonic);
}
