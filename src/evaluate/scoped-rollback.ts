import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort, CohortResult, RollbackRule } from '../types.js';
import { cohortDepth, cohortId, within } from './cohort-id.js';

const dimsOf = (cohort: Cohort): string => DIMENSIONS.filter((d) => cohort[d] !== undefined).join(',');
const intersects = (a: Cohort, b: Cohort): boolean => DIMENSIONS.every((d) => a[d] === undefined || b[d] === undefined || a[d] === b[d]);
const judged = (r: CohortResult): boolean => r.verdict !== 'insufficient_data' && r.n > 0 && r.effect !== null;

/**
 * The smallest set of rollback rules, each at the most general scope the evidence supports.
 *
 * A regressed cohort S (for metric m) is a rule when it has no judged finer cohorts, or when,
 * for some next-finer dimension set, it has two or more judged sub-cohorts for m, none of them
 * passes or improves, and the sub-cohorts that did not regress still show, on average (weighted
 * by n), at least half of S's harm: then the harm is spread over S ("every tenant on this IdP
 * regresses" → `{idp}`, not one rule per tenant, even when small tenants are not significant on
 * their own). Otherwise the harm sits in the regressed sub-cohorts, which are tried in turn
 * (one tenant on one IdP → `{tenant, idp}`). Scopes are tried from the most general down; one
 * inside an accepted rule is skipped; a regression no rule touches becomes a rule of its own.
 * `justified_by` lists the regressions inside the rule's cohort and those of enclosing cohorts.
 */
export function scopedRollback(results: readonly CohortResult[]): RollbackRule[] {
  const regressions = results
    .filter((r) => r.verdict === 'regression')
    .sort((a, b) => cohortDepth(a.cohort) - cohortDepth(b.cohort) || cohortId(a.cohort).localeCompare(cohortId(b.cohort)));
  const accepted: Cohort[] = [];
  const add = (cohort: Cohort) => {
    if (!accepted.some((rule) => cohortId(rule) === cohortId(cohort))) accepted.push(cohort);
  };
  for (const r of regressions) {
    if (accepted.some((rule) => within(r.cohort, rule))) continue;
    if (spread(r, results)) add(r.cohort);
  }
  for (const r of regressions) if (!accepted.some((rule) => intersects(rule, r.cohort))) add(r.cohort);
  return accepted.map((cohort) => ({
    cohort,
    justified_by: results.flatMap((r, i) => (r.verdict === 'regression' && (within(r.cohort, cohort) || within(cohort, r.cohort)) ? [i] : [])),
  }));
}

function spread(parent: CohortResult, results: readonly CohortResult[]): boolean {
  const depth = cohortDepth(parent.cohort);
  const kids = results.filter((r) => r.metric === parent.metric && judged(r) && cohortDepth(r.cohort) > depth && within(r.cohort, parent.cohort));
  if (kids.length === 0) return true;
  const sets = new Set(kids.map((k) => dimsOf(k.cohort)));
  const nextFiner = [...sets].filter((set) => ![...sets].some((other) => other !== set && isSubset(other, set)));
  return nextFiner.some((set) => {
    const siblings = kids.filter((k) => dimsOf(k.cohort) === set);
    if (siblings.length < 2 || siblings.some((k) => k.verdict === 'pass' || k.verdict === 'improvement')) return false;
    const others = siblings.filter((k) => k.verdict !== 'regression');
    if (others.length === 0) return true;
    const n = others.reduce((s, k) => s + k.n, 0);
    const harm = others.reduce((s, k) => s + k.n * (k.effect ?? 0), 0) / n;
    const parentEffect = parent.effect ?? 0;
    return harm * Math.sign(parentEffect) >= 0.5 * Math.abs(parentEffect);
  });
}

const isSubset = (small: string, big: string): boolean => {
  const bigDims = new Set(big.split(','));
  return small.split(',').every((d) => bigDims.has(d));
};
