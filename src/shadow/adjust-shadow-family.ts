import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import type { ShadowResult } from './shadow-result.js';
import { shadowVerdict } from './shadow-verdict.js';

/**
 * The results with `p_adjusted` set by Benjamini–Hochberg across the shadow family alone (every
 * result with a p-value) and verdicts re-taken on the adjusted p (`shadowVerdict`). For
 * `stagewise shadow`; `stagewise evaluate` adjusts across all its results instead. Same order.
 */
export function adjustShadowFamily(results: readonly ShadowResult[], alpha: number): ShadowResult[] {
  const tested = results.flatMap((r, i) => (r.p_value === null ? [] : [i]));
  const adjusted = benjaminiHochberg(tested.map((i) => results[i]?.p_value ?? 1));
  const byIndex = new Map(tested.map((i, k) => [i, adjusted[k] ?? 1]));
  return results.map((result, i) => {
    const p = byIndex.get(i) ?? null;
    return shadowVerdict({ ...result, p_adjusted: p }, p, alpha);
  });
}
