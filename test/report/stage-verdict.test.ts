import { describe, expect, it } from 'vitest';
import { namedRegressions, stageVerdict } from '../../src/report/stage-verdict.js';
import type { Evaluation } from '../../src/types.js';
import { fixtureInput } from './report-fixture.js';

const [stage1, stage2] = fixtureInput().evaluations as [Evaluation, Evaluation];
const { decisions } = fixtureInput();

describe('stageVerdict', () => {
  it('is red with one plain sentence for a stage with a regression', () => {
    const verdict = stageVerdict(stage2, decisions);
    expect(verdict.light).toBe('red');
    expect(verdict.sentence).toBe(
      'stage-2: one tenant regressed: t012 success rate −3.1 pp (95% CI −4.4 to −1.8); recommended rollback: tenant t012 only',
    );
    expect(verdict.srm).toBe('SRM: the traffic split matches the plan in both checked cohorts.');
    expect(verdict.accepted).toEqual([]);
  });
  it('is amber for a sample-ratio mismatch and says who accepted what', () => {
    const verdict = stageVerdict(stage1, decisions);
    expect(verdict.light).toBe('amber');
    expect(verdict.sentence).toContain('the traffic split does not match the plan (SRM) in region eu-west');
    expect(verdict.srm).toBe('SRM: mismatch in region eu-west (4.1% vs 5.0% planned); verdicts there are not trustworthy.');
    expect(verdict.accepted).toEqual([
      'tenant <img src=x onerror=window.__xss=1> p95 latency accepted by maria.k on 2026-10-21: Slow IdP metadata endpoint, tracked in AUTH-2291',
    ]);
  });
  it('is amber when every regression was accepted', () => {
    const results = stage2.results.map((r) =>
      r.verdict === 'regression' ? { ...r, accepted: { decision_id: 'd-9', operator: 'ana', at: '2026-10-23T20:00:00Z', reason: 'known' } } : r,
    );
    const verdict = stageVerdict({ ...stage2, results }, []);
    expect(verdict.light).toBe('amber');
    expect(verdict.sentence).toContain('(accepted by the operator)');
    expect(verdict.accepted).toEqual(['tenant t012 success rate accepted by ana on 2026-10-23: known']);
  });
  it('is amber for inconclusive results without regression or SRM', () => {
    const results = stage2.results.filter((r) => r.verdict !== 'regression');
    const verdict = stageVerdict({ ...stage2, results, rollback: { rules: [], flagd: {} } }, []);
    expect(verdict.light).toBe('amber');
    // Strongest evidence first: okta is 0.92 half-widths from zero, t019 0.57.
    expect(verdict.sentence).toBe('stage-2: no regression found; two results inconclusive: okta shadow mismatch rate; t019 success rate');
  });
  it('is green when every result passes', () => {
    const results = stage2.results.filter((r) => r.verdict === 'pass');
    const verdict = stageVerdict({ ...stage2, results, rollback: { rules: [], flagd: {} } }, []);
    expect(verdict.light).toBe('green');
    expect(verdict.sentence).toBe('stage-2: no cohort regressed across eight cohort × metric results');
  });
  it('names the worst regression (in tolerances) first', () => {
    const [t012] = stage2.results.filter((r) => r.verdict === 'regression');
    if (!t012) throw new Error('fixture changed');
    const weak = { ...t012, cohort: { tenant: 't900' }, effect: -0.02, ci: [-0.039, -0.001] as [number, number] };
    const verdict = stageVerdict({ ...stage2, results: [weak, t012] }, []);
    expect(verdict.sentence).toMatch(/^stage-2: two tenants regressed: t012 success rate −3\.1 pp .*; t900 success rate −2\.0 pp/);
  });
  it('names the same traffic once, under the more general cohort, and each metric before any second of a metric', () => {
    const base = stage2.results[1];
    if (!base) throw new Error('fixture changed');
    const tenant = { ...base, cohort: { tenant: 't002' }, metric: 'shadow_mismatch_rate', effect: 0.025, tolerance: 0.002, n: 845, n_control: 845 };
    const sameTraffic = { ...tenant, cohort: { tenant: 't002', idp: 'google-oidc' } };
    const idp = { ...tenant, cohort: { idp: 'google-oidc' }, effect: 0.0107, n: 1816, n_control: 1816 };
    const success = { ...base, cohort: { tenant: 't002' }, metric: 'success_rate', effect: -0.0217, tolerance: 0.005 };
    const named = namedRegressions([sameTraffic, idp, success, tenant]);
    expect(named.map((r) => [r.metric, r.cohort])).toEqual([
      ['shadow_mismatch_rate', { tenant: 't002' }],
      ['success_rate', { tenant: 't002' }],
      ['shadow_mismatch_rate', { idp: 'google-oidc' }],
    ]);
  });

  it('counts many regressions in digits and lists three', () => {
    const base = stage2.results[1];
    if (!base) throw new Error('fixture changed');
    const results = Array.from({ length: 12 }, (_, i) => ({ ...base, cohort: { tenant: `t${100 + i}` } }));
    const rules = results.map((r, i) => ({ cohort: r.cohort, justified_by: [i] }));
    const verdict = stageVerdict({ ...stage2, results, rollback: { rules, flagd: {} } }, []);
    expect(verdict.sentence).toMatch(/^stage-2: 12 tenants regressed: t100 .*; t102 success rate −3\.1 pp \(95% CI −4\.4 to −1\.8\); and 9 more; recommended rollback: tenant t100, /);
  });
});
