import { describe, expect, it } from 'vitest';
import { addArm, addCellSeries, addErrorSeries, byFirstHour, emptyArm, latencyArm, rateArm } from '../../src/evaluate/cohort-rollup.js';
import { latencyRows } from './window-rows.js';

// Two users in one hour: user A 3 attempts, 1 failure, MFA on all 3; user B 1 attempt, 0 failures, no MFA.
const arm = emptyArm(1);
// series: t, attempts, failures, mfa_known, mfa_challenged, users, Σf², Σn², Σfn
addCellSeries(arm, { series: [0, 4, 1, 4, 3, 2, 1, 10, 3] }, 0, 1);

describe('rateArm', () => {
  it('turns failure sums into success sums for success_rate', () => {
    const success = rateArm(arm, { name: 'success_rate' });
    // successes per user: A 2, B 1 → Σs = 3, Σs² = 5, Σsn = 2·3 + 1·1 = 7
    expect([success.x[0], success.units?.sxx[0], success.units?.sxn[0], success.units?.snn[0]]).toEqual([3, 5, 7, 10]);
  });
  it('bounds the MFA design effect by perfect within-user correlation, Σn²/Σn', () => {
    const mfa = rateArm(arm, { name: 'mfa_rate' });
    expect([mfa.n[0], mfa.x[0], mfa.designEffect?.[0]]).toEqual([4, 3, 10 / 4]);
  });
  it('counts an error code with the failures design effect', () => {
    const withCode = emptyArm(1);
    addCellSeries(withCode, { series: [0, 4, 1, 0, 0, 2, 1, 10, 3] }, 0, 1);
    withCode.errors.set('e', Float64Array.of(1));
    const errors = rateArm(withCode, { name: 'error_rate:e', errorCode: 'e' });
    expect(errors.x[0]).toBe(1);
    expect(errors.designEffect?.[0]).toBeGreaterThanOrEqual(1);
  });
  it('gives an error code the arm has no failures with zero failures in every hour', () => {
    expect([...rateArm(emptyArm(2), { name: 'error_rate:none', errorCode: 'none' }).x]).toEqual([0, 0]);
  });
  it('throws a TypeError when sums are added after the arm was read', () => {
    const read = emptyArm(1);
    rateArm(read, { name: 'success_rate' });
    expect(() => addCellSeries(read, { series: [0, 1, 0, 1, 0, 1, 0, 1, 0] }, 0, 1)).toThrow(TypeError);
    expect(() => addArm(read, emptyArm(1))).toThrow(TypeError);
  });
});

describe('latencyArm', () => {
  it('builds a per-hour sparse histogram of one provider, dropping hours outside the window', () => {
    const rows = [
      { set_id: 0, cohort_key: '', t: 3600, provider: 'new', bin: 5, count: 2 },
      { set_id: 0, cohort_key: '', t: 0, provider: 'new', bin: 7, count: 1 },
      { set_id: 0, cohort_key: '', t: 0, provider: 'old', bin: 9, count: 4 },
      { set_id: 0, cohort_key: '', t: 7200, provider: 'new', bin: 1, count: 8 },
    ];
    const histogram = latencyArm(latencyRows(rows), 'new', 0, 2);
    expect([...histogram.offsets]).toEqual([0, 1, 2]);
    expect([...histogram.bins]).toEqual([7, 5]);
    expect([...histogram.counts]).toEqual([1, 2]);
  });
});

describe('addCellSeries', () => {
  it('adds each hour of a series into its hour of the window and drops hours outside it', () => {
    const into = emptyArm(2);
    addCellSeries(into, { series: [7200, 5, 0, 0, 0, 1, 0, 25, 0, 3600, 2, 1, 2, 1, 1, 1, 4, 2, -3600, 9, 9, 9, 9, 9, 9, 9, 9] }, 0, 2);
    expect([...into.attempts]).toEqual([0, 2]);
    expect([...into.sxn]).toEqual([0, 2]);
  });
});

describe('addArm', () => {
  it('adds every series and error code of one arm into another', () => {
    const [into, from] = [emptyArm(2), emptyArm(2)];
    addCellSeries(into, { series: [0, 4, 1, 4, 3, 2, 1, 10, 3] }, 0, 2);
    addCellSeries(from, { series: [0, 1, 0, 1, 0, 1, 0, 1, 0, 3600, 2, 2, 2, 2, 1, 4, 4, 4] }, 0, 2);
    addErrorSeries(from, { error_code: 'e', series: [3600, 2] }, 0, 2);
    addArm(into, from);
    expect([...into.attempts, ...into.failures, ...into.snn]).toEqual([5, 2, 1, 2, 11, 4]);
    expect([...(into.errors.get('e') ?? [])]).toEqual([0, 2]);
  });
});

describe('byFirstHour', () => {
  it('orders rows by their first hour in the window, keeping the given order on ties, and drops rows without one', () => {
    const rows = [{ id: 'a', series: [7200, 1] }, { id: 'b', series: [3600, 1, 7200, 1] }, { id: 'c', series: [-3600, 1] }, { id: 'd', series: [7200, 1] }];
    expect(byFirstHour(rows, 2, 0, 3).map((r) => r.id)).toEqual(['b', 'a', 'd']);
  });
});
