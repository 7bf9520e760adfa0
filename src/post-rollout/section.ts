import type { PlaceboSummary } from './projected.js';
import type { IncidentRow } from '../evaluate/upstream-incidents.js';
import type { PostRolloutFindings } from '../report/report-input.js';
import type { Cohort, CohortResult, Dimension } from '../types.js';
import type { HuntKind } from './hunt.js';

/** A combination the hunt found (or a dimension value the baseline never saw), with its evidence. */
export interface HuntFinding {
  /** Stable key across runs: `kind|cohort key|metric`. */
  key: string;
  kind: HuntKind | 'new_dimension_value';
  cohort: Cohort;
  dimensions: Dimension[];
  /** `failures`, or the error code. */
  metric: string;
  /** Window attempts and events, and events expected at the baseline rate. */
  n: number;
  x: number;
  expected: number;
  /** Design effect of the events from user clustering (events were divided by it before testing). */
  designEffect: number;
  /** Baseline rate (shrunk towards the parent) and the weight of the combination's own counts. */
  baselineRate: number;
  shrinkWeight: number;
  /** Always-valid p over the daily looks, and BH-adjusted across everything eligible (null: not judged). */
  p: number | null;
  pAdjusted: number | null;
  /** Whether this finding counts as a regression (exit status 3); new dimension values are reported only. */
  regression: boolean;
  /** True when the previous run of the same plan and baseline did not have it. */
  isNew: boolean;
}

/** One earlier or current run, for the trend of findings across runs. */
export interface RunTrendPoint {
  runId: string;
  at: string;
  /** Regressions (planned and hunted) and how many were new at that run. */
  findings: number;
  newFindings: number;
}

/** What the hunt examined. */
export interface HuntSummary {
  /** Method in a sentence, with the multiplicity rule and why. */
  method: string;
  correction: 'BH';
  alpha: number;
  /** Dimension sets hunted, e.g. `idp,app,region`. */
  sets: string[];
  examined: number;
  eligible: number;
  ineligible: number;
  findings: HuntFinding[];
  newErrorCodes: string[];
}

/** The placebo calibration of one planned cohort × metric (statistics.md 2.2, 9.5). */
export type PlaceboRow = { cohort: Cohort; metric: string } & PlaceboSummary;

/**
 * The post-rollout section of the report (`stagewise.post-rollout/v1`): it is a
 * `PostRolloutFindings`, so it fills the report's optional slot as it is, plus the hunt, the
 * placebo spreads, what could not be judged and the trend across scheduled runs.
 */
export interface PostRolloutSection extends PostRolloutFindings {
  schema: 'stagewise.post-rollout/v1';
  runId: string;
  /** When the run was recorded (ISO-8601). */
  createdAt: string;
  planHash: string;
  baselineId: string;
  /** The comparison of planned cohorts: projected baseline, or the legacy holdback. */
  design: 'baseline_projection' | 'within_cohort_split';
  alpha: number;
  placebo: PlaceboRow[];
  /** Upstream incidents in the window, left out of the planned cohorts (not of the hunt), and IdPs whose excess was not transient. */
  incidents: IncidentRow[];
  sustainedExcess: { idp: string; hours: number; reason: string }[];
  hunt: HuntSummary;
  /** Planned cohort × metrics not judged, and why. */
  notJudged: { cohort: Cohort; metric: string; reason: string }[];
  /** The previous run of this plan and baseline (null for the first), and the finding keys new since it. */
  previousRunId: string | null;
  newSinceLastRun: string[];
  /** Every run of this plan and baseline up to this one, oldest first. */
  trend: RunTrendPoint[];
  /** Planned regressions plus hunted regressions: non-zero means exit status 3. */
  regressions: number;
}

/** The key that identifies a planned result across runs. */
export const resultKey = (r: Pick<CohortResult, 'cohort' | 'metric'>): string =>
  `planned|${Object.entries(r.cohort).map(([k, v]) => `${k}=${v}`).join('|')}|${r.metric}`;
