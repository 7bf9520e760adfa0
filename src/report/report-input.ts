import type { BaselineSnapshot, CohortResult, CohortSeries, Decision, Evaluation, StagePlanRow } from '../types.js';

/** What the report says about the plan it follows: names and stages, nothing a log wrote. */
export interface ReportPlanSummary {
  /** The plan's name. */
  name: string;
  /** The `provider` values being left and adopted. */
  providers: { legacy: string; candidate: string };
  /** Stages in plan order, instants as ISO-8601 UTC text. */
  stages: readonly ReportStage[];
  /** The plan's content hash (sha256 hex). */
  hash: string;
  /** The plan's metrics: which way is better and the tolerated regression. */
  metrics: readonly ReportMetric[];
  /** The plan's FDR level and target power. */
  alpha: number;
  power: number;
}

/** A metric of the plan as the report uses it. */
export interface ReportMetric {
  /** The plan's metric name, e.g. `success_rate`. */
  name: string;
  /** Which way is better. */
  direction: 'higher_is_better' | 'lower_is_better';
  /** Tolerated regression (absolute for rates, relative for latency). */
  tolerance: number;
}

/** A stage of the plan as the report shows it. */
export interface ReportStage {
  /** The stage name, e.g. `stage-2`. */
  name: string;
  /** Start and end instants (ISO-8601, UTC). */
  start: string;
  end: string;
  /** Share of routing units sent to the candidate provider. */
  share: number;
  /** What the router hashes. */
  unit: 'user' | 'tenant';
}

/**
 * Results from after the rollout finished (holdback comparison). Optional: the report shows
 * this section only when it is present; the post-rollout analysis fills it once it exists.
 */
export interface PostRolloutFindings {
  /** The window the findings cover (ISO-8601, UTC). */
  window: { start: string; end: string };
  /** Share of units kept on the legacy provider. */
  holdbackShare: number;
  /** One result per cohort × metric, as in an evaluation. */
  results: readonly CohortResult[];
  /** Plain sentences the analysis wants a reader to see. */
  notes: readonly string[];
}

/** Everything `renderReport` shows; the caller reads it from the store and the plan. */
export interface ReportInput {
  /** The plan the rollout follows. */
  plan: ReportPlanSummary;
  /** One evaluation per stage reported (the latest of each), in stage order. */
  evaluations: readonly Evaluation[];
  /** Operator decisions on these evaluations' stages, any order (shown oldest first). */
  decisions: readonly Decision[];
  /** `stagewise plan` rows: minimum detectable effect per cohort × metric × stage. */
  stagePlan: readonly StagePlanRow[];
  /** Hourly series over baseline and stages for the cohorts the evaluations flagged. */
  series: readonly CohortSeries[];
  /** The baseline snapshot the evaluations compared against; null when the store has none. */
  baseline: BaselineSnapshot | null;
  /** Post-rollout findings, when the rollout has finished and they were computed. */
  postRollout?: PostRolloutFindings;
  /** When the report was generated (ISO-8601, UTC); passed in so output is reproducible. */
  generatedAt: string;
  /** The toolkit version that generated the report. */
  toolkitVersion: string;
}
