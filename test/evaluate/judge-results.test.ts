import { describe, expect, it } from 'vitest';
import { judgeResults, verdictFor } from '../../src/evaluate/judge-results.js';
import { benjaminiHochberg } from '../../src/stats/benjamini-hochberg.js';
import { FAILURES, SUCCESS, result } from './fixtures.js';

describe('verdictFor', () => {
  const alpha = 0.05;
  it('calls a significant harmful effect a regression and a beneficial one an improvement, by direction', () => {
    expect(verdictFor(result({ cohort: {}, effect: -0.02, ci: [-0.03, -0.01], p_adjusted: 0.01 }), 'higher_is_better', alpha)).toBe('regression');
    expect(verdictFor(result({ cohort: {}, effect: -0.02, ci: [-0.03, -0.01], p_adjusted: 0.01 }), 'lower_is_better', alpha)).toBe('improvement');
    expect(verdictFor(result({ cohort: {}, effect: 0.02, ci: [0.01, 0.03], p_adjusted: 0.01 }), 'lower_is_better', alpha)).toBe('regression');
  });
  it('does not act on evidence from earlier in the window once the latest confidence sequence includes zero', () => {
    // p is the running minimum over looks (a transient incident made it small); the latest CS no longer excludes 0.
    expect(verdictFor(result({ cohort: {}, effect: 0.02, ci: [-0.005, 0.045], p_adjusted: 0.01 }), 'lower_is_better', alpha)).toBe('inconclusive');
  });
  it('passes only when the confidence sequence clears −tolerance on the good side', () => {
    expect(verdictFor(result({ cohort: {}, ci: [-0.009, 0.02], p_adjusted: 0.5 }), 'higher_is_better', alpha)).toBe('pass');
    expect(verdictFor(result({ cohort: {}, ci: [-0.011, 0.02], p_adjusted: 0.5 }), 'higher_is_better', alpha)).toBe('inconclusive');
    expect(verdictFor(result({ cohort: {}, ci: [-0.02, 0.009], p_adjusted: 0.5 }), 'lower_is_better', alpha)).toBe('pass');
    expect(verdictFor(result({ cohort: {}, ci: [-0.02, 0.011], p_adjusted: 0.5 }), 'lower_is_better', alpha)).toBe('inconclusive');
  });
  it('leaves insufficient_data alone', () => {
    expect(verdictFor(result({ cohort: {}, verdict: 'insufficient_data', p_value: null, p_adjusted: null }), 'lower_is_better', alpha)).toBe('insufficient_data');
  });
});

describe('judgeResults', () => {
  const raw = [0.001, 0.02, 0.04, null, 0.3].map((p, i) =>
    result({ cohort: { tenant: `t${i}` }, metric: i % 2 ? SUCCESS.name : FAILURES.name, effect: 0.02, ci: [0.015, 0.025], p_value: p, p_adjusted: null, verdict: p === null ? 'insufficient_data' : 'inconclusive' }),
  );
  it('adjusts every p-value of the evaluation together with Benjamini–Hochberg', () => {
    const judged = judgeResults(raw, [SUCCESS, FAILURES], [], 0.05);
    const expected = benjaminiHochberg([0.001, 0.02, 0.04, 0.3]);
    expect(judged.map((r) => r.p_adjusted)).toEqual([expected[0], expected[1], expected[2], null, expected[3]]);
    // t2 (p 0.04 → adjusted 0.053) and t4 are not significant; their CS [+1.5, +2.5] pp of failures is not within the 1 pp tolerance.
    expect(judged.map((r) => r.verdict)).toEqual(['regression', 'improvement', 'inconclusive', 'insufficient_data', 'inconclusive']);
  });
  it('marks the verdicts of a cohort with a sample-ratio mismatch as untrustworthy', () => {
    const srm = [{ cohort: { tenant: 't0' }, unit: 'user' as const, expected_share: 0.5, observed_share: 0.4, units_candidate: 400, units_total: 1000, p_value: 1e-9, mismatch: true }];
    const judged = judgeResults(raw, [SUCCESS, FAILURES], srm, 0.05);
    expect(judged[0]?.note).toMatch(/sample-ratio mismatch/);
    expect(judged[1]?.note).toBeUndefined();
  });
});
