import { describe, expect, it } from 'vitest';
import { addRow, emptyArm, latencyArm, rateArm } from '../../src/evaluate/cohort-rollup.js';

// Two users in one hour: user A 3 attempts, 1 failure, MFA on all 3; user B 1 attempt, 0 failures, no MFA.
const arm = emptyArm(1);
addRow(arm, 0, { t: 0, provider: 'p', attempts: 4, failures: 1, mfa_known: 4, mfa_challenged: 3, users: 2, user_sxx: 1, user_snn: 10, user_sxn: 3 });

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
    addRow(withCode, 0, { t: 0, provider: 'p', attempts: 4, failures: 1, mfa_known: 0, mfa_challenged: 0, users: 2, user_sxx: 1, user_snn: 10, user_sxn: 3 });
    withCode.errors.set('e', Float64Array.of(1));
    const errors = rateArm(withCode, { name: 'error_rate:e', errorCode: 'e' });
    expect(errors.x[0]).toBe(1);
    expect(errors.designEffect?.[0]).toBeGreaterThanOrEqual(1);
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
    const histogram = latencyArm(rows, 'new', 0, 2);
    expect([...histogram.offsets]).toEqual([0, 1, 2]);
    expect([...histogram.bins]).toEqual([7, 5]);
    expect([...histogram.counts]).toEqual([1, 2]);
  });
});
