import { ascendingOrder, checkPValues } from './check-p-values.js';

/**
 * Benjamini–Hochberg adjusted p-values (FDR), in input order.
 *
 *     sorted p_(1) ≤ … ≤ p_(m):   p̃_(i) = min_{j ≥ i} min(1, m p_(j) / j)
 *
 * Valid under independence or positive regression dependence (PRDS). Reference: Benjamini &
 * Hochberg (1995), JRSS B 57; R `p.adjust(p, 'BH')`. statistics.md 4.
 *
 * @throws {RangeError} if a value is not in [0, 1].
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  checkPValues(p, 'benjaminiHochberg');
  return stepUp(p, 1);
}

/** Step-up adjustment `min_{j ≥ i} min(1, m·factor·p_(j)/j)`, shared by BH and BY. */
export function stepUp(p: readonly number[], factor: number): number[] {
  const m = p.length;
  const order = ascendingOrder(p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1] ?? 0;
    running = Math.min(running, (m * factor * (p[index] ?? 0)) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}
