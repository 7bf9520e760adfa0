import { ascendingOrder, checkPValues } from './check-p-values.js';

/**
 * Holm step-down adjusted p-values (family-wise error rate), in input order.
 *
 *     sorted p_(1) ≤ … ≤ p_(m):   p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j))
 *
 * Valid under any dependence; for the guardrail family. Reference: S. Holm (1979), Scand. J.
 * Stat. 6; R `p.adjust(p, 'holm')`. statistics.md 4.
 *
 * @throws {RangeError} if a value is not in [0, 1].
 */
export function holm(p: readonly number[]): number[] {
  checkPValues(p, 'holm');
  const m = p.length;
  const adjusted = new Array<number>(m);
  let running = 0;
  ascendingOrder(p).forEach((index, i) => {
    running = Math.max(running, Math.min(1, (m - i) * (p[index] ?? 0)));
    adjusted[index] = running;
  });
  return adjusted;
}
