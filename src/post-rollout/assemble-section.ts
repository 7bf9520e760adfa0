import { cohortKey as keyOf } from '../baseline/cohort-key.js';
import { incidentNotes } from '../evaluate/upstream-incidents.js';
import type { Plan } from '../plan/plan.js';
import type { Dimension } from '../types.js';
import type { HuntCell, HuntResult } from './hunt.js';
import type { NewValueRow } from './hunt-sql.js';
import type { PlannedOutcome } from './planned.js';
import type { FindingRow, RunHistoryRow } from './run-sql.js';
import { resultKey, type HuntFinding, type PostRolloutSection } from './section.js';

/** The hunt's result with the dimension values the baseline never saw and the sets hunted. */
export interface HuntOutcome {
  result: HuntResult;
  newValues: readonly NewValueRow[];
  sets: string[];
}

/** Everything a run's section is made of. */
export interface SectionParts {
  runId: string;
  createdAt: Date;
  plan: Plan;
  baselineId: string;
  design: PostRolloutSection['design'];
  start: Date;
  at: Date;
  planned: PlannedOutcome;
  /** Upstream incidents in the window (left out of the planned cohorts) and non-transient excesses. */
  incidents: Pick<PostRolloutSection, 'incidents' | 'sustainedExcess'>;
  hunted: HuntOutcome;
  previousRunId: string | null;
  /** Finding keys of the previous run. */
  previousKeys: ReadonlySet<string>;
  /** Earlier runs of this plan and baseline, oldest first. */
  history: readonly RunHistoryRow[];
}

const HUNT_METHOD =
  'Pairs and triples of tenant, idp, app, region not in the plan; failures and each error code per combination against its ' +
  'baseline-period rate shrunk towards its parent (beta-binomial predictive null, concentration capped by the day-to-day spread, mean + tolerance); ' +
  'always-valid p from the Pólya likelihood-ratio e-process over daily looks; eligible when ≥ 5 failures are expected or by Tarone; ' +
  'Benjamini–Hochberg across all eligible cells (one-sided tests of nested, overlapping counts are positively dependent (PRDS), ' +
  'under which BH keeps the FDR; BY would divide the level by about ln m + 0.58).';

/** Builds the section of a run (pure). */
export function assembleSection(parts: SectionParts): PostRolloutSection {
  const { plan, planned, hunted } = parts;
  const huntFindings = [...hunted.result.cells.filter((c) => c.found).sort((a, b) => a.p - b.p).map((c) => fromCell(c, parts.previousKeys)),
    ...hunted.newValues.map((v) => fromNewValue(v, parts.previousKeys))];
  const plannedKeys = planned.results.filter((r) => r.verdict === 'regression').map(resultKey);
  const keys = [...plannedKeys, ...huntFindings.map((f) => f.key)];
  const newSinceLastRun = keys.filter((k) => !parts.previousKeys.has(k));
  const regressions = plannedKeys.length + huntFindings.filter((f) => f.regression).length;
  const at = parts.at.toISOString();
  const notes = [
    parts.design === 'within_cohort_split'
      ? `Planned cohorts: candidate against the ${((plan.postRollout?.holdbackShare ?? 0) * 100).toPrecision(2)}% legacy holdback in the same cohorts and hours.`
      : 'Planned cohorts: no legacy traffic is left, so each is compared with its own legacy history (baseline period and the stages) projected forward, calibrated by placebo runs of the same projection at fake dates with the same gap.',
    ...incidentNotes(parts.incidents, 'the planned cohorts'),
    `Hunt: ${hunted.result.examined} combination × metric cells examined, ${hunted.result.eligible} eligible, ${hunted.result.ineligible} too small to judge; ${huntFindings.filter((f) => f.regression).length} found at FDR ${plan.alpha}.`,
    ...(hunted.result.newErrorCodes.length ? [`Error codes never seen in the baseline period: ${hunted.result.newErrorCodes.join(', ')}.`] : []),
    ...(hunted.newValues.length ? [`Dimension values never seen in the baseline period: ${hunted.newValues.map((v) => `${v.dimension}=${v.value}`).join(', ')} (reported, not judged).`] : []),
    `${newSinceLastRun.length} finding(s) new since ${parts.previousRunId ? `run ${parts.previousRunId}` : 'the start (first run)'}.`,
  ];
  return {
    schema: 'stagewise.post-rollout/v1',
    runId: parts.runId,
    createdAt: parts.createdAt.toISOString(),
    planHash: plan.hash,
    baselineId: parts.baselineId,
    window: { start: parts.start.toISOString(), end: at },
    holdbackShare: parts.design === 'within_cohort_split' ? (plan.postRollout?.holdbackShare ?? 0) : 0,
    design: parts.design,
    alpha: plan.alpha,
    results: planned.results,
    notes,
    placebo: planned.placebo,
    incidents: parts.incidents.incidents,
    sustainedExcess: parts.incidents.sustainedExcess,
    hunt: {
      method: HUNT_METHOD, correction: 'BH', alpha: plan.alpha, sets: hunted.sets,
      examined: hunted.result.examined, eligible: hunted.result.eligible, ineligible: hunted.result.ineligible,
      findings: huntFindings, newErrorCodes: hunted.result.newErrorCodes,
    },
    notJudged: planned.notJudged,
    previousRunId: parts.previousRunId,
    newSinceLastRun,
    trend: [
      ...parts.history.map((h) => ({ runId: h.run_id, at: h.at, findings: h.findings, newFindings: h.new_findings })),
      { runId: parts.runId, at: at.replace(/\.\d{3}Z$/, 'Z'), findings: keys.length, newFindings: newSinceLastRun.length },
    ],
    regressions,
  };
}

function fromCell(c: HuntCell, previous: ReadonlySet<string>): HuntFinding {
  const key = `${c.kind}|${c.cohortKey}|${c.metric || 'failures'}`;
  return {
    key, kind: c.kind, cohort: c.cohort, dimensions: c.dimensions, metric: c.metric || 'failures', n: c.n, x: c.x,
    expected: c.expected, designEffect: c.designEffect, baselineRate: c.baselineRate, shrinkWeight: c.shrinkWeight, p: c.p, pAdjusted: c.pAdjusted,
    regression: true, isNew: !previous.has(key),
  };
}

function fromNewValue(v: NewValueRow, previous: ReadonlySet<string>): HuntFinding {
  const cohort = { [v.dimension]: v.value };
  const key = `new_dimension_value|${keyOf(cohort, [v.dimension])}|failures`;
  return {
    key, kind: 'new_dimension_value', cohort, dimensions: [v.dimension as Dimension], metric: 'failures', n: v.n, x: v.x,
    expected: 0, designEffect: 1, baselineRate: 0, shrinkWeight: 0, p: null, pAdjusted: null, regression: false, isNew: !previous.has(key),
  };
}

/** The rows a run stores in `post_rollout_findings`: planned regressions, hunted regressions, new dimension values. */
export function findingRows(section: PostRolloutSection): FindingRow[] {
  const planned = section.results.filter((r) => r.verdict === 'regression').map((r): FindingRow => ({
    key: resultKey(r), kind: 'planned', cohortKey: Object.entries(r.cohort).map(([k, v]) => `${k}=${v}`).join('|'), metric: r.metric,
    regression: true, isNew: section.newSinceLastRun.includes(resultKey(r)),
    n: r.n, x: null, expected: r.expected, effect: r.effect, p: r.p_value, pAdjusted: r.p_adjusted,
  }));
  const hunted = section.hunt.findings.map((f): FindingRow => ({
    key: f.key, kind: f.kind, cohortKey: f.key.split('|').slice(1, -1).join('|'), metric: f.metric, regression: f.regression, isNew: f.isNew,
    n: f.n, x: f.x, expected: f.expected, effect: f.n > 0 ? (f.x - f.expected) / f.n : null, p: f.p, pAdjusted: f.pAdjusted,
  }));
  return [...planned, ...hunted];
}
