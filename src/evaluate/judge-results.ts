import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import type { PlanMetric } from '../plan/plan.js';
import type { CohortResult, SrmResult, Verdict } from '../types.js';
import { cohortId } from './cohort-id.js';

/**
 * The verdict of one result given its BH-adjusted p-value (statistics.md 4): `regression` when
 * significant and harmful and the latest confidence sequence still excludes zero, `improvement` likewise
 * when beneficial, `pass` when the
 * confidence sequence lies entirely on the good side of −tolerance (non-inferior), else
 * `inconclusive`. Harm is an effect in the direction `metric.direction` calls worse.
 */
export function verdictFor(result: CohortResult, direction: PlanMetric['direction'], alpha: number): Verdict {
  if (result.verdict === 'insufficient_data' || result.p_value === null || result.effect === null) return result.verdict;
  const worse = direction === 'lower_is_better' ? 1 : -1;
  if (result.p_adjusted !== null && result.p_adjusted <= alpha && result.effect !== 0) {
    const harmful = result.effect * worse > 0;
    // The reported interval is the latest look's confidence sequence. Evidence that came from earlier in
    // the window (a transient incident) but no longer excludes zero now is not a verdict to act on: it is
    // inconclusive. Requiring both only removes rejections, so the false-alarm bound still holds.
    const [lower, upper] = result.ci ?? [-Infinity, Infinity];
    const stillExcludesZero = result.ci === null || (result.effect > 0 ? lower > 0 : upper < 0);
    if (stillExcludesZero) return harmful ? 'regression' : 'improvement';
  }
  if (result.ci) {
    const [lower, upper] = result.ci;
    // A shadow result's tolerance is the noise floor its effect is already measured from (m − m0).
    const margin = result.design === 'shadow_paired' ? 0 : result.tolerance;
    const nonInferior = worse > 0 ? upper < margin : lower > -margin;
    if (nonInferior && lower <= upper) return 'pass';
  }
  return 'inconclusive';
}

/**
 * Adjusts the p-values of every judged result of an evaluation together (Benjamini–Hochberg,
 * `p_adjusted`), sets the verdicts, and annotates results of cohorts whose routing split failed
 * the sample-ratio check. Returns new results in the same order.
 */
export function judgeResults(
  results: readonly CohortResult[],
  metrics: readonly PlanMetric[],
  srm: readonly SrmResult[],
  alpha: number,
): CohortResult[] {
  return judgeOwnResults(results.map((result) => ({ ...result })), metrics, srm, alpha);
}

/**
 * `judgeResults` for results the caller owns (fresh from `evaluateCohortMetric`): `p_adjusted`, the
 * verdict and the SRM note are filled into them in place (their keys keep their order) rather than
 * into a copy of every result, and the same array is returned.
 */
export function judgeOwnResults(
  results: CohortResult[],
  metrics: readonly PlanMetric[],
  srm: readonly SrmResult[],
  alpha: number,
): CohortResult[] {
  // One pass, no per-result Map entries or intermediate copies: this runs for every cohort × metric.
  const tested: number[] = [];
  const pValues: number[] = [];
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    if (result === undefined || result.p_value === null) continue;
    tested.push(i);
    pValues.push(result.p_value ?? 1);
  }
  const adjusted = benjaminiHochberg(pValues);
  const byIndex: (number | null)[] = new Array<number | null>(results.length).fill(null);
  for (let k = 0; k < tested.length; k++) byIndex[tested[k] ?? 0] = adjusted[k] ?? 1;
  const directions = new Map(metrics.map((m) => [m.name, m.direction]));
  const mismatched = new Set(srm.filter((s) => s.mismatch).map((s) => cohortId(s.cohort)));
  const warning = 'sample-ratio mismatch in this cohort: the routing split is off, so this verdict is not trustworthy';
  for (let i = 0; i < results.length; i++) {
    const judged = results[i];
    if (judged === undefined) continue;
    judged.p_adjusted = byIndex[i] ?? null;
    judged.verdict = verdictFor(judged, directions.get(judged.metric) ?? 'lower_is_better', alpha);
    // A cohort's id is only needed when some cohort failed the sample-ratio check.
    if (mismatched.size > 0 && mismatched.has(cohortId(judged.cohort))) judged.note = judged.note ? `${warning}; ${judged.note}` : warning;
  }
  return results;
}
