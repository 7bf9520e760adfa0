import type { CohortResult } from '../types.js';

/** One cohort × hour of shadow pairs on the candidate provider (a row of `shadowCohortStats`). */
export interface ShadowCohortStats {
  /** `cohortKey` of the cohort, `tenant=t012|idp=okta`; '' for everyone. */
  cohort_key: string;
  /** Start of the UTC hour, ISO text (`2026-10-04T13:00:00Z`); looks are taken in this order. */
  hour: string;
  /** Candidate attempts that carried a legacy shadow token (shadow_outcome not NULL). */
  pairs: number;
  /** Pairs whose tokens differed (shadow_outcome = 'mismatch'). */
  mismatches: number;
  /** Pairs where the legacy provider failed to issue its token (shadow_outcome = 'shadow_error'). */
  shadow_errors: number;
  /** McNemar b: the live (candidate) login failed where the legacy shadow succeeded. */
  live_fail_legacy_ok: number;
  /** McNemar c: the live login succeeded where the legacy shadow failed. */
  live_ok_legacy_fail: number;
}

/** The paired live-vs-shadow comparison of one cohort (McNemar, statistics.md 2.4). */
export interface PairedOutcome {
  /** Live fail, legacy ok. */
  b: number;
  /** Live ok, legacy fail. */
  c: number;
  /** Exact one-sided McNemar p-value for b > c (fixed horizon: descriptive, not part of the verdict). */
  p_value: number;
}

/** A `shadow_mismatch_rate` result with the shadow counts and the paired comparison. */
export interface ShadowResult extends CohortResult {
  /** Mismatches and legacy shadow errors in the window (`n` holds the pairs). */
  mismatches: number;
  shadow_errors: number;
  /** Exact one-sided Clopper–Pearson upper bound (1 − α) on m at the last look (fixed horizon). */
  upper_exact: number | null;
  /** Pairs needed to ever pass with zero mismatches: always-valid and fixed-horizon counts. */
  pairs_needed: { sequential: number; fixed: number };
  paired: PairedOutcome;
}
