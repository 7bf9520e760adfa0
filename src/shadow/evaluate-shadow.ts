import { parseCohortKey } from '../baseline/cohort-key.js';
import type { PlanMetric } from '../plan/plan.js';
import { alwaysValidP } from '../stats/always-valid-p.js';
import { clopperPearsonLower } from '../stats/clopper-pearson-lower.js';
import { clopperPearsonUpper } from '../stats/clopper-pearson-upper.js';
import { mcnemarExact } from '../stats/mcnemar-exact.js';
import { betaMixtureUpperBound } from './beta-mixture-upper-bound.js';
import type { ShadowCohortStats, ShadowResult } from './shadow-result.js';
import { shadowPairsNeeded } from './shadow-pairs-needed.js';
import { shadowPrior } from './shadow-prior.js';
import { shadowVerdict } from './shadow-verdict.js';
import { truncatedBetaMixtureLogE } from './truncated-beta-mixture.js';
import { groupBy } from '../group-by.js';

export type { PairedOutcome, ShadowCohortStats, ShadowResult } from './shadow-result.js';

/** How the shadow test is run. */
export interface EvaluateShadowOptions {
  /** Level of the always-valid test and confidence sequence. */
  alpha: number;
  /**
   * 'hourly' (default): p is the running minimum of 1/M, and the upper bound the running minimum of the
   * confidence sequence, over every hourly cumulative look; 'final': both at the last look only. Both are valid.
   */
  looks?: 'hourly' | 'final';
  /** Concentration k of the Beta(m0·k, (1 − m0)·k) mixture (default: see `shadowPrior`). */
  concentration?: number;
}

interface Totals {
  pairs: number;
  mismatches: number;
  errors: number;
  b: number;
  c: number;
}

/**
 * Judges each cohort's shadow mismatch rate m = mismatches/pairs against the noise floor
 * m0 = `metric.tolerance` (statistics.md 2.4, 3): the always-valid p-value of H0: m ≤ m0 from the
 * truncated beta-mixture e-process over hourly cumulative looks, the always-valid upper bound
 * (running minimum of the beta-mixture confidence sequence), the Clopper–Pearson bounds, and
 * McNemar on the discordant pairs. `p_value` is raw (`p_adjusted` null) and the verdict is taken
 * on it: `regression` (p ≤ α), `pass` (always-valid upper < m0), `insufficient_data` (fewer pairs
 * than `shadowPairsNeeded`), else `inconclusive`. Adjust with the caller's BH, or `adjustShadowFamily`.
 * Results come in the order cohorts first appear in `rows`.
 *
 * @throws {RangeError} if a row's counts are not non-negative integers with mismatches + shadow_errors ≤ pairs,
 *   or the metric is not shadow_mismatch_rate with 0 < tolerance < 1.
 */
export function evaluateShadow(rows: readonly ShadowCohortStats[], metric: PlanMetric, options: EvaluateShadowOptions): ShadowResult[] {
  if (metric.family !== 'shadow') throw new RangeError(`evaluateShadow needs the shadow_mismatch_rate metric, got ${metric.name}`);
  const m0 = metric.tolerance;
  const prior = shadowPrior(m0, options.concentration);
  const needed = shadowPairsNeeded(m0, options.alpha, prior);
  return [...groupByCohort(rows)].map(([key, hours]) => {
    let totals: Totals = { pairs: 0, mismatches: 0, errors: 0, b: 0, c: 0 };
    let p = 1;
    let upper = 1;
    for (const hour of hours) {
      totals = addHour(totals, hour);
      if (totals.pairs === 0) continue;
      const logE = truncatedBetaMixtureLogE(totals.mismatches, totals.pairs, m0, prior);
      p = options.looks === 'final' ? Math.min(1, Math.exp(-logE)) : alwaysValidP(p, logE);
      const bound = betaMixtureUpperBound(totals.mismatches, totals.pairs, options.alpha, prior);
      upper = options.looks === 'final' ? bound : Math.min(upper, bound);
    }
    return shadowResult(key, totals, { p, upper, m0, needed, alpha: options.alpha, concentration: prior.a + prior.b });
  });
}

function shadowResult(
  key: string,
  t: Totals,
  s: { p: number; upper: number; m0: number; needed: ShadowResult['pairs_needed']; alpha: number; concentration: number },
): ShadowResult {
  const has = t.pairs > 0;
  const rate = has ? t.mismatches / t.pairs : null;
  const result: ShadowResult = {
    cohort: parseCohortKey(key).cohort,
    metric: 'shadow_mismatch_rate',
    design: 'shadow_paired',
    verdict: 'insufficient_data',
    observed: rate,
    expected: s.m0,
    effect: rate === null ? null : rate - s.m0,
    // On the effect's scale (m − m0), as every CohortResult's ci: add `expected` for the rate.
    ci: has ? [clopperPearsonLower(t.mismatches, t.pairs, s.alpha) - s.m0, s.upper - s.m0] : null,
    p_value: has ? s.p : null,
    p_adjusted: null,
    n: t.pairs,
    n_control: t.pairs,
    tolerance: s.m0,
    method: `beta-mixture e-process for m ≤ m0 (Beta(${fmt(s.m0 * s.concentration)}, ${fmt((1 - s.m0) * s.concentration)}) truncated to m > m0), hourly cumulative looks; CI for m − m0 = [Clopper–Pearson lower, always-valid upper] − m0`,
    mismatches: t.mismatches,
    shadow_errors: t.errors,
    upper_exact: has ? clopperPearsonUpper(t.mismatches, t.pairs, s.alpha) : null,
    pairs_needed: s.needed,
    paired: { b: t.b, c: t.c, p_value: mcnemarExact(t.b, t.c, 'greater').pValue },
  };
  return shadowVerdict(result, result.p_value, s.alpha);
}

const fmt = (value: number): string => String(Number(value.toPrecision(4)));

function addHour(t: Totals, row: ShadowCohortStats): Totals {
  const counts = [row.pairs, row.mismatches, row.shadow_errors, row.live_fail_legacy_ok, row.live_ok_legacy_fail];
  if (counts.some((v) => !Number.isInteger(v) || v < 0) || row.mismatches + row.shadow_errors > row.pairs) {
    throw new RangeError(
      `evaluateShadow needs non-negative integer counts with mismatches + shadow_errors ≤ pairs, got ${JSON.stringify(row)}`,
    );
  }
  return {
    pairs: t.pairs + row.pairs,
    mismatches: t.mismatches + row.mismatches,
    errors: t.errors + row.shadow_errors,
    b: t.b + row.live_fail_legacy_ok,
    c: t.c + row.live_ok_legacy_fail,
  };
}

/** Rows per cohort key, in first-appearance order, each cohort's hours sorted. */
function groupByCohort(rows: readonly ShadowCohortStats[]): Map<string, ShadowCohortStats[]> {
  const groups = groupBy(rows, (row) => row.cohort_key);
  for (const hours of groups.values()) hours.sort((x, y) => (x.hour < y.hour ? -1 : x.hour > y.hour ? 1 : 0));
  return groups;
}
