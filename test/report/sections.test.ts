import { describe, expect, it } from 'vitest';
import { srmRows } from '../../src/report/sections/charts-section.js';
import { testCounts } from '../../src/report/sections/method-section.js';
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
