import { createHash } from 'node:crypto';
import type { Cohort, Decision } from '../types.js';
import { canonicalJson } from '../plan/plan.js';

/** What an operator can decide about a stage. */
export const ACTIONS = ['accept', 'escalate', 'scope-down', 'rollback', 'expand', 'hold'] as const;

/** A result reference as written on the command line: `tenant=t012,idp=okta:success_rate`, or `:success_rate` for everyone. */
export interface ResultRef {
  cohort: Cohort;
  metric: string;
}

/**
 * Parses `dim=value[,dim=value]:metric` into a result reference.
 *
 * @throws {RangeError} naming the text when it has no `:metric` part or a part is not `dim=value`.
 */
export function parseResultRef(text: string): ResultRef {
  // The cohort part comes first and holds no ':'; the metric may (error_rate:<code>).
  const split = text.indexOf(':');
  if (split < 0) throw new RangeError(`expected dim=value,…:metric, got "${text}"`);
  const cohortText = text.slice(0, split);
  const metric = text.slice(split + 1);
  if (!metric) throw new RangeError(`no metric after ":" in "${text}"`);
  const cohort: Record<string, string> = {};
  for (const part of cohortText ? cohortText.split(',') : []) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new RangeError(`expected dim=value, got "${part}" in "${text}"`);
    cohort[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { cohort: cohort as Cohort, metric };
}

/** Whether two cohorts name the same dimension values. */
export function sameCohort(a: Cohort, b: Cohort): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A stable id for a decision: the hash of what was decided (not when), so recording the same
 * decision again is a no-op rather than a second entry.
 */
export function decisionId(decision: Omit<Decision, 'decision_id' | 'created_at'>): string {
  const digest = createHash('sha256').update(canonicalJson(decision)).digest('hex');
  return `dec-${digest.slice(0, 16)}`;
}
