import type { ShadowResult } from './shadow-result.js';

/**
 * The result with its verdict set from a p-value (raw, or adjusted across a family):
 * `regression` when p ≤ α; `pass` when the always-valid upper bound (ci[1]) is below the noise
 * floor; `insufficient_data` (with a note saying how many pairs it needs) below the pairs that
 * could ever pass; else `inconclusive`. No pairs: `insufficient_data`.
 */
export function shadowVerdict(result: ShadowResult, p: number | null, alpha: number): ShadowResult {
  const m0 = result.tolerance;
  const { sequential, fixed } = result.pairs_needed;
  if (p === null || result.ci === null) {
    return { ...result, verdict: 'insufficient_data', note: `no shadow pairs: needs at least ${sequential} pairs with no mismatches to show m < ${m0}` };
  }
  const { note: _dropped, ...rest } = result;
  if (p <= alpha) return { ...rest, verdict: 'regression' };
  if (result.ci[1] < 0) return { ...rest, verdict: 'pass' };
  if (result.n < sequential) {
    return {
      ...rest,
      verdict: 'insufficient_data',
      note: `${result.n} shadow pairs; needs at least ${sequential} with no mismatches to show m < ${m0} under hourly looks (${fixed} for one fixed look)`,
    };
  }
  return {
    ...rest,
    verdict: 'inconclusive',
    note: `always-valid upper bound ${(result.ci[1] + m0).toPrecision(3)} is not below the noise floor ${m0}, and the excess is not significant`,
  };
}
