import { srmChiSquare } from '../stats/srm-chi-square.js';
import type { Cohort, SrmResult } from '../types.js';

/** Distinct routed units seen on each provider in one cohort over the window. */
export interface UnitCounts {
  cohort: Cohort;
  candidate: number;
  legacy: number;
}

/** The p-value below which a split is declared broken (statistics.md 8.1). */
export const SRM_ALARM = 0.001;
/** Expected units per arm below which the chi-square approximation is not used and the cohort is not checked. */
export const SRM_MIN_EXPECTED = 5;

/**
 * The sample-ratio check of every cohort with enough routed units: chi-square of the units on
 * each provider against the stage's share (statistics.md 8.1), alarm at p < 0.001. Cohorts with
 * fewer than 5 expected units in an arm, and stages at 100%, are left out.
 */
export function srmResults(counts: readonly UnitCounts[], share: number, unit: 'user' | 'tenant'): SrmResult[] {
  if (!(share > 0 && share < 1)) return [];
  return counts.flatMap(({ cohort, candidate, legacy }) => {
    const total = candidate + legacy;
    if (total * Math.min(share, 1 - share) < SRM_MIN_EXPECTED) return [];
    const { pValue } = srmChiSquare([candidate, legacy], [share, 1 - share]);
    return [
      {
        cohort,
        unit,
        expected_share: share,
        observed_share: candidate / total,
        units_candidate: candidate,
        units_total: total,
        p_value: pValue,
        mismatch: pValue < SRM_ALARM,
      },
    ];
  });
}
