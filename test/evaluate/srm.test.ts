import { describe, expect, it } from 'vitest';
import { srmResults } from '../../src/evaluate/srm.js';
import { srmChiSquare } from '../../src/stats/srm-chi-square.js';

describe('srmResults', () => {
  it('tests routed units against the stage share and alarms below p = 0.001', () => {
    const [fine, broken] = srmResults(
      [
        { cohort: {}, candidate: 1010, legacy: 3990 },
        { cohort: { idp: 'a' }, candidate: 900, legacy: 4100 },
      ],
      0.2,
      'user',
    );
    expect(fine?.p_value).toBe(srmChiSquare([1010, 3990], [0.2, 0.8]).pValue);
    expect(fine?.mismatch).toBe(false);
    expect(broken?.mismatch).toBe(true);
    expect(broken?.observed_share).toBeCloseTo(0.18, 12);
  });
  it('skips cohorts with under 5 expected units in an arm, and stages at 100%', () => {
    expect(srmResults([{ cohort: { tenant: 't1' }, candidate: 1, legacy: 9 }], 0.2, 'tenant')).toEqual([]);
    expect(srmResults([{ cohort: {}, candidate: 100, legacy: 0 }], 1, 'user')).toEqual([]);
  });
});
