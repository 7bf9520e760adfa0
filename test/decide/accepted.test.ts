import { describe, expect, it } from 'vitest';
import { changedMaterially, markAccepted, type Acceptance } from '../../src/decide/accepted.js';
import { decisionId, parseResultRef } from '../../src/decide/decision.js';
import type { CohortResult, Decision } from '../../src/types.js';

function result(overrides: Partial<CohortResult>): CohortResult {
  return {
    cohort: { tenant: 't012' },
    metric: 'success_rate',
    design: 'within_cohort_split',
    verdict: 'regression',
    observed: 0.931,
    expected: 0.962,
    effect: -0.031,
    ci: [-0.044, -0.018],
    p_value: 1e-6,
    p_adjusted: 3e-5,
    n: 4211,
    n_control: 12630,
    tolerance: 0.005,
    method: 'mSPRT',
    ...overrides,
  };
}

const decision: Decision = {
  decision_id: 'dec-1',
  created_at: '2026-10-05T09:00:00Z',
  operator: 'ana',
  action: 'accept',
  reason: 'known SAML clock skew at t012, fix scheduled',
  evaluation_id: 'ev-1',
  stage: 'stage-2',
  results: [{ cohort: { tenant: 't012' }, metric: 'success_rate' }],
};
const acceptance: Acceptance = { decision, evidence: result({}) };
const lowerIsWorse = (): -1 => -1;

describe('markAccepted', () => {
  it('marks an accepted regression with who accepted it, and keeps it a regression', () => {
    const [marked] = markAccepted([result({ effect: -0.03, ci: [-0.04, -0.02] })], [acceptance], lowerIsWorse);
    expect(marked?.verdict).toBe('regression');
    expect(marked?.accepted).toEqual({ decision_id: 'dec-1', operator: 'ana', at: '2026-10-05T09:00:00Z', reason: decision.reason });
  });

  it('drops the acceptance once the effect is worse than anything the accepted evidence allowed', () => {
    const [marked] = markAccepted([result({ effect: -0.06, ci: [-0.07, -0.05] })], [acceptance], lowerIsWorse);
    expect(marked?.accepted).toBeUndefined();
  });

  it('leaves other cohorts, other metrics and non-regressions alone', () => {
    const marked = markAccepted(
      [result({ cohort: { tenant: 't013' } }), result({ metric: 'mfa_rate' }), result({ verdict: 'pass' })],
      [acceptance],
      lowerIsWorse,
    );
    expect(marked.map((r) => r.accepted)).toEqual([undefined, undefined, undefined]);
  });
});

describe('changedMaterially', () => {
  it('treats a change of design as a material change', () => {
    expect(changedMaterially(result({ design: 'difference_in_differences' }), result({}), -1)).toBe(true);
  });
  it('looks at the upper end of the accepted interval when higher is worse', () => {
    const accepted = result({ metric: 'latency_p95', effect: 0.12, ci: [0.05, 0.19] });
    expect(changedMaterially(result({ metric: 'latency_p95', effect: 0.15 }), accepted, 1)).toBe(false);
    expect(changedMaterially(result({ metric: 'latency_p95', effect: 0.25 }), accepted, 1)).toBe(true);
  });
});

describe('parseResultRef', () => {
  it('reads a cohort and a metric, including error_rate metrics with a colon', () => {
    expect(parseResultRef('tenant=t012,idp=okta-oidc:success_rate')).toEqual({
      cohort: { tenant: 't012', idp: 'okta-oidc' },
      metric: 'success_rate',
    });
    expect(parseResultRef(':error_rate:upstream_timeout')).toEqual({ cohort: {}, metric: 'error_rate:upstream_timeout' });
  });
  it('throws a RangeError without a metric', () => {
    expect(() => parseResultRef('tenant=t012')).toThrow(RangeError);
    expect(() => parseResultRef('tenant:')).toThrow(RangeError);
  });
});

describe('decisionId', () => {
  it('depends on what was decided and not on key order', () => {
    const { decision_id: _id, created_at: _at, ...content } = decision;
    const reordered = { results: content.results, stage: content.stage, evaluation_id: content.evaluation_id, reason: content.reason, action: content.action, operator: content.operator };
    expect(decisionId(reordered)).toBe(decisionId(content));
    expect(decisionId({ ...content, action: 'rollback' })).not.toBe(decisionId(content));
  });
});
