import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/plan/plan.js';
import { assembleSection, findingRows, type SectionParts } from '../../src/post-rollout/assemble-section.js';
import type { HuntCell } from '../../src/post-rollout/hunt.js';

const checked = checkPlan({
  name: 'p', providers: { legacy: 'old', candidate: 'new' }, dimensions: [['tenant']], metrics: [{ name: 'success_rate', tolerance: 0.005 }],
  baseline: { start: '2026-09-01', end: '2026-09-29' }, stages: [{ name: 's1', start: '2026-09-29', end: '2026-10-10', share: 1 }],
});
if (!checked.ok) throw new Error(checked.problems.join('\n'));
const plan = checked.plan;

const cell = (key: string, found: boolean, p: number): HuntCell => ({
  cohort: { idp: 'i1', app: key }, cohortKey: `idp=i1|app=${key}`, dimensions: ['idp', 'app'], metric: '', kind: 'failures',
  baselineN: 1000, baselineX: 10, baselineRate: 0.01, shrinkWeight: 0.9, n: 500, x: 30, expected: 5, designEffect: 1.2,
  p, logE: -Math.log(p), eligibility: 'expected', pAdjusted: p * 2, found,
});

function parts(previousKeys: string[]): SectionParts {
  return {
    runId: 'pr-2', createdAt: new Date('2026-10-13T06:00:00Z'), plan, baselineId: 'bl-1', design: 'baseline_projection',
    start: new Date('2026-10-10T00:00:00Z'), at: new Date('2026-10-13T00:00:00Z'),
    planned: { results: [], placebo: [], notJudged: [] },
    incidents: { incidents: [], sustainedExcess: [] },
    hunted: {
      result: { cells: [cell('a1', true, 1e-6), cell('a2', false, 0.2), cell('a3', true, 1e-8)], examined: 3, eligible: 3, ineligible: 0, newErrorCodes: [] },
      newValues: [{ dimension: 'app', value: 'a9', n: 40, x: 2 }], sets: ['idp,app'],
    },
    previousRunId: 'pr-1', previousKeys: new Set(previousKeys),
    history: [{ run_id: 'pr-1', at: '2026-10-12T00:00:00Z', findings: 1, new_findings: 1 }],
  };
}

describe('assembleSection', () => {
  it('orders hunted regressions by p, reports new dimension values without counting them as regressions', () => {
    const section = assembleSection(parts([]));
    expect(section.hunt.findings.map((f) => [f.key, f.regression])).toEqual([
      ['failures|idp=i1|app=a3|failures', true], ['failures|idp=i1|app=a1|failures', true], ['new_dimension_value|app=a9|failures', false],
    ]);
    expect(section.regressions).toBe(2);
    expect(section.hunt.correction).toBe('BH');
  });
  it('marks what the previous run did not have and appends this run to the trend', () => {
    const section = assembleSection(parts(['failures|idp=i1|app=a1|failures']));
    expect(section.newSinceLastRun).toEqual(['failures|idp=i1|app=a3|failures', 'new_dimension_value|app=a9|failures']);
    expect(section.trend).toEqual([
      { runId: 'pr-1', at: '2026-10-12T00:00:00Z', findings: 1, newFindings: 1 },
      { runId: 'pr-2', at: '2026-10-13T00:00:00Z', findings: 3, newFindings: 2 },
    ]);
    expect(findingRows(section).map((r) => [r.kind, r.cohortKey, r.isNew])).toEqual([
      ['failures', 'idp=i1|app=a3', true], ['failures', 'idp=i1|app=a1', false], ['new_dimension_value', 'app=a9', true],
    ]);
  });
});
