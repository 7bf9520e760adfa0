import { describe, expect, it } from 'vitest';
import { srmRows } from '../../src/report/sections/charts-section.js';
import { testCounts } from '../../src/report/sections/method-section.js';
import { summarySection } from '../../src/report/sections/summary-section.js';
import type { CohortResult, Evaluation, SrmResult } from '../../src/types.js';

const check = (cohort: SrmResult['cohort'], p: number, mismatch = p < 0.001): SrmResult => ({
  cohort, unit: 'user', expected_share: 0.25, observed_share: 0.25, units_candidate: 1, units_total: 4, p_value: p, mismatch,
});

describe('srmRows', () => {
  it('keeps everyone, then every mismatch, then the smallest p-values, up to the limit', () => {
    const rows = srmRows([check({ tenant: 'a' }, 0.5), check({ tenant: 'b' }, 0.02), check({ tenant: 'c' }, 0.0001), check({}, 0.9), check({ tenant: 'd' }, 0.3)], 3);
    expect(rows.map((r) => r.cohort.tenant ?? 'everyone')).toEqual(['everyone', 'c', 'b']);
  });
});

describe('testCounts', () => {
  it('folds per-result numbers and parentheses so each test is one line', () => {
    const result = (method: string) => ({ method }) as CohortResult;
    const evaluation = { results: [
      result('mSPRT normal mixture over 28 hourly looks (τ²=0.0136), binomial variance'),
      result('mSPRT normal mixture over 42 hourly looks (τ²=0.00622), binomial variance'),
      result('mSPRT, delta-method variance (DE 1.8)'),
      result(''),
    ] } as Evaluation;
    expect(testCounts([evaluation])).toEqual([
      ['mSPRT normal mixture over n hourly looks, binomial variance', 2],
      ['mSPRT, delta-method variance', 1],
      ['no test (too little data)', 1],
    ]);
  });
});

describe('summarySection', () => {
  it("lists a 100% stage's notes (the upstream incidents left out), escaped", () => {
    const evaluation = {
      stage: 'stage-5', evaluation_id: 'ev-1', window: { start: '2026-10-16T00:00:00Z', end: '2026-10-21T00:00:00Z' },
      srm: [], results: [], rollback: { rules: [], flagd: {} },
      notes: ['Upstream incidents left out of every result: <img src=x onerror=alert(1)> 2026-10-16 15h UTC, 4 hours.'],
    } as unknown as Evaluation;
    const page = String(summarySection({ name: 'p', providers: { legacy: 'a', candidate: 'b' } } as never, [evaluation], []));
    expect(page).toContain('<ul class="stage-notes"><li>Upstream incidents left out of every result: &lt;img src=x onerror=alert(1)&gt; 2026-10-16 15h UTC, 4 hours.</li></ul>');
    expect(page).not.toContain('<img');
  });
});
