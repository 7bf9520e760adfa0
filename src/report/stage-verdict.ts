import type { CohortResult, Decision, Evaluation } from '../types.js';
import { cohortKey, cohortLabel, cohortName, effectDigits, formatCi, formatEffect, formatLevel } from './format.js';
import { metricLabel } from './metric-kind.js';
import { byConcern } from './notable.js';
import { groupBy } from '../group-by.js';

/** A stage's traffic light: red for an unaccepted regression, amber for SRM, inconclusive results or accepted regressions. */
export type Light = 'red' | 'amber' | 'green';

/** What the summary says about one stage. */
export interface StageVerdict {
  stage: string;
  light: Light;
  /** One plain sentence for people. */
  sentence: string;
  /** One sentence on the sample-ratio check. */
  srm: string;
  /** One line per accepted result or accept decision: what, by whom, when, why. */
  accepted: string[];
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function count(n: number, noun: string): string {
  const word = n < NUMBER_WORDS.length ? NUMBER_WORDS[n] : n.toLocaleString('en-US');
  return `${word} ${n === 1 ? noun : `${noun}s`}`;
}

/** The dimension a set of cohorts shares (`tenant`), or `cohort` when they differ. */
function noun(results: readonly CohortResult[]): string {
  const kinds = new Set(results.map((r) => Object.keys(r.cohort).join(' × ') || 'cohort'));
  return kinds.size === 1 ? ([...kinds][0] ?? 'cohort') : 'cohort';
}

/** `t012 success rate −3.1 pp (95% CI −4.4 to −1.8)`. */
export function resultPhrase(result: CohortResult, alpha: number): string {
  const ci = result.ci ? ` (${formatLevel(alpha)} CI ${formatCi(result.metric, result.ci)})` : '';
  return `${cohortLabel(result.cohort)} ${metricLabel(result.metric)} ${formatEffect(result.metric, result.effect, true, effectDigits(result.ci))}${ci}`;
}

function rollbackPhrase(evaluation: Evaluation): string {
  const rules = evaluation.rollback.rules;
  if (rules.length === 0) return 'no rollback recommended';
  const names = rules.map((rule) => cohortName(rule.cohort));
  return `recommended rollback: ${names.length === 1 ? `${names[0]} only` : names.join(', ')}`;
}

function list(phrases: readonly string[], limit = 3): string {
  const shown = phrases.slice(0, limit).join('; ');
  return phrases.length > limit ? `${shown}; and ${(phrases.length - limit).toLocaleString('en-US')} more` : shown;
}

/** How many tolerances the effect is from zero: the sentence names the worst regressions first. */
const harm = (r: CohortResult) => (r.effect === null || r.tolerance <= 0 ? 0 : Math.abs(r.effect) / r.tolerance);

/**
 * The regressions a summary sentence names, most telling first: the same traffic reported under two
 * cohorts (a tenant on one IdP, and that tenant × IdP) is named once, under the more general cohort,
 * and the worst result of each metric comes before the second of any metric, so one noisy metric
 * does not crowd out the others.
 */
export function namedRegressions(regressions: readonly CohortResult[]): CohortResult[] {
  const dims = (r: CohortResult) => Object.keys(r.cohort).length;
  const sorted = [...regressions].sort((a, b) => harm(b) - harm(a) || dims(a) - dims(b));
  const within = (inner: CohortResult, outer: CohortResult) =>
    Object.entries(outer.cohort).every(([dim, value]) => inner.cohort[dim as keyof CohortResult['cohort']] === value);
  const sameTraffic = (a: CohortResult, b: CohortResult) =>
    a.metric === b.metric && a.n === b.n && a.n_control === b.n_control && a.effect === b.effect && (within(a, b) || within(b, a));
  const distinct: CohortResult[] = [];
  for (const r of sorted) if (!distinct.some((kept) => sameTraffic(r, kept))) distinct.push(r);
  const byMetric = groupBy(distinct, (r) => r.metric);
  const named: CohortResult[] = [];
  for (let rank = 0; named.length < distinct.length; rank++) {
    for (const results of byMetric.values()) {
      const result = results[rank];
      if (result) named.push(result);
    }
  }
  return named;
}

/** The verdict of one stage's evaluation, with the operator's decisions on it. */
export function stageVerdict(evaluation: Evaluation, decisions: readonly Decision[]): StageVerdict {
  const { stage, alpha } = evaluation;
  const regressions = evaluation.results.filter((r) => r.verdict === 'regression').sort((a, b) => harm(b) - harm(a));
  const open = regressions.filter((r) => !r.accepted);
  const inconclusive = evaluation.results.filter((r) => r.verdict === 'inconclusive').sort(byConcern);
  const mismatches = evaluation.srm.filter((s) => s.mismatch);
  const light: Light = open.length > 0 ? 'red' : regressions.length + inconclusive.length + mismatches.length > 0 ? 'amber' : 'green';
  let sentence: string;
  if (regressions.length > 0) {
    const what = `${count(regressions.length, noun(regressions))} regressed: ${list(namedRegressions(regressions).map((r) => resultPhrase(r, alpha)))}`;
    const accepted = open.length === 0 ? ' (accepted by the operator)' : '';
    sentence = `${stage}: ${what}${accepted}; ${rollbackPhrase(evaluation)}`;
  } else if (mismatches.length > 0) {
    sentence = `${stage}: no regression found, but the traffic split does not match the plan (SRM) in ${list(mismatches.map((s) => cohortName(s.cohort)))}, so the verdicts are not trustworthy`;
  } else if (inconclusive.length > 0) {
    sentence = `${stage}: no regression found; ${count(inconclusive.length, 'result')} inconclusive: ${list(inconclusive.map((r) => `${cohortLabel(r.cohort)} ${metricLabel(r.metric)}`))}`;
  } else {
    sentence = `${stage}: no cohort regressed across ${count(evaluation.results.length, 'cohort × metric result')}`;
  }
  return { stage, light, sentence, srm: srmSentence(evaluation), accepted: acceptedLines(evaluation, decisions) };
}

function srmSentence(evaluation: Evaluation): string {
  if (evaluation.srm.length === 0) return 'SRM: no split check in this evaluation.';
  const mismatches = evaluation.srm.filter((s) => s.mismatch);
  if (mismatches.length === 0) {
    const n = evaluation.srm.length;
    const where = n === 1 ? 'the one checked cohort' : n === 2 ? 'both checked cohorts' : `all ${n.toLocaleString('en-US')} checked cohorts`;
    return `SRM: the traffic split matches the plan in ${where}.`;
  }
  const names = list(mismatches.map((s) => `${cohortName(s.cohort)} (${(s.observed_share * 100).toFixed(1)}% vs ${(s.expected_share * 100).toFixed(1)}% planned)`));
  return `SRM: mismatch in ${names}; verdicts there are not trustworthy.`;
}

function acceptedLines(evaluation: Evaluation, decisions: readonly Decision[]): string[] {
  const lines = evaluation.results.flatMap((r) =>
    r.accepted ? [`${cohortName(r.cohort)} ${metricLabel(r.metric)} accepted by ${r.accepted.operator} on ${r.accepted.at.slice(0, 10)}: ${r.accepted.reason}`] : [],
  );
  const shown = new Set(evaluation.results.flatMap((r) => (r.accepted ? [r.accepted.decision_id] : [])));
  for (const d of decisions) {
    if (d.stage !== evaluation.stage || d.action !== 'accept' || shown.has(d.decision_id)) continue;
    const what = d.results.map((r) => `${cohortName(r.cohort)} ${metricLabel(r.metric)}`).join(', ') || 'the stage';
    lines.push(`${what} accepted by ${d.operator} on ${d.created_at.slice(0, 10)}: ${d.reason}`);
  }
  return lines;
}

/** The key that matches a result to its series and decisions: `tenant=t012|…#metric`. */
export function resultKey(result: { cohort: CohortResult['cohort']; metric: string }): string {
  return `${cohortKey(result.cohort)}#${result.metric}`;
}
