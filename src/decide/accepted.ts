import type { CohortResult, Decision } from '../types.js';
import { sameCohort } from './decision.js';

/** An `accept` decision together with the result it accepted, as it was in the evaluation the operator saw. */
export interface Acceptance {
  decision: Decision;
  /** The accepted result as evaluated then (its effect and confidence sequence are the evidence accepted). */
  evidence: CohortResult;
}

/**
 * Whether a regression's evidence has changed materially since it was accepted: its effect now lies
 * beyond the harmful end of the confidence sequence the operator accepted (it got worse than anything
 * the accepted evidence allowed), or the comparison design changed.
 */
export function changedMaterially(current: CohortResult, accepted: CohortResult, harmfulSign: 1 | -1): boolean {
  if (current.design !== accepted.design) return true;
  if (current.effect === null || accepted.ci === null) return true;
  const harmfulEnd = harmfulSign < 0 ? accepted.ci[0] : accepted.ci[1];
  return harmfulSign < 0 ? current.effect < harmfulEnd : current.effect > harmfulEnd;
}

/**
 * Marks each regression that an operator accepted (and whose evidence has not changed materially)
 * with who accepted it, when and why. Results stay regressions: acceptance is shown, never hidden.
 * The latest acceptance of a cohort × metric wins.
 *
 * @param harmfulSign metric name → −1 when a lower value is worse (success rate), +1 when higher is worse.
 */
export function markAccepted(
  results: readonly CohortResult[],
  acceptances: readonly Acceptance[],
  harmfulSign: (metric: string) => 1 | -1,
): CohortResult[] {
  const latestFirst = [...acceptances].sort((a, b) => (a.decision.created_at < b.decision.created_at ? 1 : -1));
  return results.map((result) => {
    if (result.verdict !== 'regression') return result;
    const match = latestFirst.find(
      (a) => a.evidence.metric === result.metric && sameCohort(a.evidence.cohort, result.cohort),
    );
    if (!match || changedMaterially(result, match.evidence, harmfulSign(result.metric))) return result;
    const { decision } = match;
    return {
      ...result,
      accepted: { decision_id: decision.decision_id, operator: decision.operator, at: decision.created_at, reason: decision.reason },
    };
  });
}
