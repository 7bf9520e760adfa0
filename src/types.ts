import type { IncidentRow } from './evaluate/upstream-incidents.js';
import type { Dimension } from './plan/plan-schema.js';

export type { Dimension };

/** A half-open time range [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

/** A cohort: dimension name → value. `{}` is everyone. */
export type Cohort = Partial<Record<Dimension, string>>;

/** What an evaluation concluded for one cohort × metric. */
export type Verdict = 'regression' | 'improvement' | 'pass' | 'inconclusive' | 'insufficient_data';

/**
 * The comparison an evaluation used, strongest first: both providers in the cohort and window
 * (statistics.md 2.1); the cohort moved whole, so its own projected baseline corrected by the
 * drift of concurrent legacy traffic (2.2); projection alone (2.3); paired shadow tokens (2.4).
 */
export type Design = 'within_cohort_split' | 'difference_in_differences' | 'baseline_projection' | 'shadow_paired';

/** One cohort × metric of an evaluation (`stagewise.evaluation/v1`). Rates are proportions; latency in ms. */
export interface CohortResult {
  cohort: Cohort;
  metric: string;
  design: Design;
  verdict: Verdict;
  /** The candidate provider's value in the window. */
  observed: number | null;
  /** What the cohort would show without a regression (control arm, or drift-corrected projection). */
  expected: number | null;
  /** observed − expected (absolute for rates; relative, e.g. 0.12 = +12%, for latency quantiles). */
  effect: number | null;
  /** Confidence sequence (always-valid interval) for `effect` at level 1 − α. */
  ci: [number, number] | null;
  /** Always-valid p-value for "no difference". */
  p_value: number | null;
  /** Benjamini–Hochberg adjusted p across all results of the evaluation. */
  p_adjusted: number | null;
  /** Attempts (or pairs, or latency observations) on the candidate provider. */
  n: number;
  /** Attempts on the comparison (legacy provider, or baseline windows). */
  n_control: number;
  /** The plan's tolerated regression for this metric. */
  tolerance: number;
  /** Human-readable name of the test and its variance (e.g. "mSPRT, delta-method variance (DE 1.8)"). */
  method: string;
  /** For insufficient_data or inconclusive: what would make it judgeable. */
  note?: string;
  /** Set when an operator accepted this regression and the evidence has not changed materially. */
  accepted?: { decision_id: string; operator: string; at: string; reason: string };
}

/** Sample-ratio check of the routing split in routed units (statistics.md 8). */
export interface SrmResult {
  cohort: Cohort;
  unit: 'user' | 'tenant';
  expected_share: number;
  observed_share: number;
  units_candidate: number;
  units_total: number;
  p_value: number;
  /** true when p_value < 0.001: the other verdicts for this cohort are not trustworthy. */
  mismatch: boolean;
}

/** A routing rule that sends a cohort back to the legacy provider. */
export interface RollbackRule {
  cohort: Cohort;
  /** Indexes into `results` of the regressions this rule removes, and of those it explains. */
  justified_by: number[];
  /** Of those, the regressions of cohorts beyond the rule (a parent, a cross-cutting region) that it explains: what is left of them once its traffic is removed is not harmful. */
  explains?: number[];
  /** What the rollback could not attribute, e.g. a cross-cutting rule whose overlap is unknown and was not subtracted. */
  note?: string;
}

/** The evaluation document `stagewise evaluate --json` writes. */
export interface Evaluation {
  schema: 'stagewise.evaluation/v1';
  evaluation_id: string;
  created_at: string;
  toolkit_version: string;
  baseline_id: string;
  plan_name: string;
  plan_hash: string;
  stage: string;
  window: { start: string; end: string };
  alpha: number;
  /** Tuning of the always-valid tests, stated so the numbers can be reproduced. */
  sequential: { method: string; tuned_at: string; note: string };
  srm: SrmResult[];
  results: CohortResult[];
  rollback: { rules: RollbackRule[]; flagd: unknown };
  /**
   * Only when the window has no legacy traffic (a 100% stage): the transient upstream incidents
   * (an IdP's failure burst that ended) left out of every result, and sentences about them.
   */
  incidents?: IncidentRow[];
  notes?: string[];
}

/**
 * One cohort × metric of a baseline snapshot: the model of what is normal for that cohort
 * (statistics.md 1.1–1.3). Rate metrics are modelled on the logit scale:
 * `logit(mu_w) = level + trendPerDay * days(t_w − tBar) + shape[hourOfWeek(t_w)]`.
 * Latency quantile metrics use the same fields on the log(ms) scale of the hourly quantile.
 */
export interface CohortBaseline {
  snapshotId: string;
  /** The plan's dimension set this cohort belongs to, e.g. ['tenant', 'idp']; [] for everyone. */
  dimensions: readonly Dimension[];
  cohort: Cohort;
  /** Stable text key of the cohort, `tenant=t012|idp=okta` (dimensions in plan order); '' for everyone. */
  cohortKey: string;
  metric: string;
  /** Hourly windows with data in the baseline period, and their total attempts (or observations) and events. */
  windows: number;
  n: number;
  x: number;
  /** Level at tBar and drift per day, on the logit (rates) or log (latency) scale. */
  level: number;
  trendPerDay: number;
  tBar: Date;
  /** Covariance of (level, trendPerDay) estimates, for the projection variance. */
  varLevel: number;
  varTrend: number;
  covLevelTrend: number;
  /** Window-to-window variance beyond sampling noise, on the model scale (τ², statistics.md 1.2). */
  tau2: number;
  /** Pearson dispersion X²/(k − p) (diagnostic). */
  phi: number;
  /** Key of the hour-of-week shape this cohort uses (its own, or its parent's when too small). */
  shapeKey: string;
  shapeSource: 'own' | 'parent' | 'global';
  /** Whether the level was shrunk towards the parent (empirical-Bayes beta-binomial, statistics.md 5.3), and the weight on its own data. */
  shrunk: boolean;
  shrinkWeight: number;
  /** Mean rate (x/n) or median latency over the baseline period, for display. */
  mean: number;
  /** n-weighted mean of the shape over the baseline windows (s̄_base): a projection from a pooled baseline statistic adds s(how) − s̄_base. */
  shapeMeanBaseline?: number;
  /** Stage-length placebo factor k ≥ 1 of the cohort's set × metric: multiplies the correlated projection variance (docs/baseline.md). */
  placeboFactor?: number;
}

/** Identity and provenance of an immutable baseline snapshot. */
export interface BaselineSnapshot {
  snapshotId: string;
  createdAt: Date;
  planName: string;
  planHash: string;
  dataFrom: Date;
  dataTo: Date;
  toolkitVersion: string;
  events: number;
  cohorts: number;
}

/** What one stage can see for one cohort × metric (`stagewise plan`, statistics.md 7). */
export interface StagePlanRow {
  stage: string;
  dimensions: readonly Dimension[];
  cohort: Cohort;
  metric: string;
  /** Expected attempts (or observations) on each provider over the stage. */
  expected_n_candidate: number;
  expected_n_legacy: number;
  /** Baseline value of the metric (rate, or latency in ms). */
  baseline_value: number;
  /** Minimum detectable regression at the plan's α and power, one look (fixed horizon) and hourly looks (sequential). */
  mde_fixed: number;
  mde_sequential: number;
  /** The sequential MDE after Benjamini–Hochberg over the stage's `family_size` results (one regression among them: level α/m). */
  mde_sequential_bh: number;
  family_size: number;
  tolerance: number;
  /** Whether the tolerated regression is at or above the sequential MDE. */
  detectable: boolean;
  /** For undetectable cohorts: what would make them judgeable (a longer stage, a parent cohort). */
  advice?: string;
}

/** One hour of a cohort's metric with the baseline's prediction, for time-series charts. */
export interface SeriesPoint {
  hour: string;
  provider: string;
  observed: number | null;
  n: number;
  expected: number;
  lower: number;
  upper: number;
}

/** A cohort's hourly series over the baseline period and a stage, for the report. */
export interface CohortSeries {
  cohort: Cohort;
  metric: string;
  points: SeriesPoint[];
}

/** An operator's recorded judgment (`stagewise decide`); append-only. */
export interface Decision {
  decision_id: string;
  created_at: string;
  operator: string;
  action: 'accept' | 'escalate' | 'scope-down' | 'rollback' | 'expand' | 'hold';
  reason: string;
  evaluation_id: string;
  stage: string;
  /** The results the decision refers to, by cohort and metric. */
  results: { cohort: Cohort; metric: string }[];
}
