import { parseCohortKey } from '../baseline/cohort-key.js';
import type { Cohort } from '../types.js';
import type { ShadowResult } from './shadow-result.js';
import type { ShadowDiffRow } from './shadow-sql.js';

/** Mismatches with one kind of difference, and their share of the cohort's mismatch kinds. */
export interface ShadowKindCount {
  kind: string;
  mismatches: number;
  share: number;
}

/** A cohort where mismatches concentrate: its excess over the noise floor. */
export interface ShadowConcentration {
  cohort: Cohort;
  pairs: number;
  mismatches: number;
  /** m0 · pairs: the mismatches the noise floor accounts for. */
  expected_at_floor: number;
  /** mismatches − m0 · pairs (> 0: ranked on this). */
  excess: number;
  /** The cohort's share of everyone's mismatches. */
  share_of_mismatches: number;
}

/** The document `stagewise shadow --json` writes (`stagewise.shadow/v1`). */
export interface ShadowReport {
  schema: 'stagewise.shadow/v1';
  plan_name: string;
  stage: string;
  window: { start: string; end: string };
  candidate_provider: string;
  alpha: number;
  /** m0: the plan's tolerance for shadow_mismatch_rate. */
  noise_floor: number;
  /** How p_adjusted was computed. */
  adjustment: string;
  /** Everyone first, then the plan's dimension sets in plan order. */
  results: ShadowResult[];
  kinds: { overall: ShadowKindCount[]; flagged: { cohort: Cohort; kinds: ShadowKindCount[] }[] };
  concentration: { ranked_by: string; cohorts: ShadowConcentration[] };
  regressions: number;
}

/** What `shadowReport` assembles. */
export interface ShadowReportInput {
  planName: string;
  stage: string;
  window: { start: Date; end: Date };
  candidateProvider: string;
  alpha: number;
  noiseFloor: number;
  /** Family-adjusted results (`adjustShadowFamily`), everyone first. */
  results: readonly ShadowResult[];
  /** `shadowDiffKinds` rows for everyone and for the dimension sets of flagged cohorts. */
  kinds: readonly ShadowDiffRow[];
  /** How many concentrated cohorts to list. */
  top?: number;
}

const isEveryone = (cohort: Cohort) => Object.keys(cohort).length === 0;
const sameKey = (cohort: Cohort, key: string) => JSON.stringify(parseCohortKey(key).cohort) === JSON.stringify(cohort);

/** The shadow report: results, the mismatch kinds overall and per flagged cohort, and the cohorts where mismatches concentrate. */
export function shadowReport(input: ShadowReportInput): ShadowReport {
  const everyone = input.results.find((r) => isEveryone(r.cohort));
  const total = everyone?.mismatches ?? 0;
  const flagged = input.results.filter((r) => r.verdict === 'regression' && !isEveryone(r.cohort));
  return {
    schema: 'stagewise.shadow/v1',
    plan_name: input.planName,
    stage: input.stage,
    window: { start: input.window.start.toISOString(), end: input.window.end.toISOString() },
    candidate_provider: input.candidateProvider,
    alpha: input.alpha,
    noise_floor: input.noiseFloor,
    adjustment: 'Benjamini–Hochberg across the shadow results of this report',
    results: [...input.results],
    kinds: {
      overall: kindCounts(input.kinds.filter((k) => k.cohort_key === '')),
      flagged: flagged.map((r) => ({ cohort: r.cohort, kinds: kindCounts(input.kinds.filter((k) => k.cohort_key !== '' && sameKey(r.cohort, k.cohort_key))) })),
    },
    concentration: {
      ranked_by: 'excess mismatches over the noise floor, mismatches − m0 · pairs (cohorts without excess left out)',
      cohorts: concentration(input.results, input.noiseFloor, total, input.top ?? 10),
    },
    regressions: input.results.filter((r) => r.verdict === 'regression').length,
  };
}

function kindCounts(rows: readonly ShadowDiffRow[]): ShadowKindCount[] {
  const total = rows.reduce((sum, r) => sum + r.mismatches, 0);
  return [...rows]
    .sort((a, b) => b.mismatches - a.mismatches || a.kind.localeCompare(b.kind))
    .map((r) => ({ kind: r.kind, mismatches: r.mismatches, share: total > 0 ? r.mismatches / total : 0 }));
}

function concentration(results: readonly ShadowResult[], m0: number, total: number, top: number): ShadowConcentration[] {
  return results
    .filter((r) => !isEveryone(r.cohort))
    .map((r) => ({
      cohort: r.cohort,
      pairs: r.n,
      mismatches: r.mismatches,
      expected_at_floor: m0 * r.n,
      excess: r.mismatches - m0 * r.n,
      share_of_mismatches: total > 0 ? r.mismatches / total : 0,
    }))
    .filter((c) => c.excess > 0)
    .sort((a, b) => b.excess - a.excess)
    .slice(0, top);
}
