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
  const index = enclosingIndex(results);
  const regressions = results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.verdict === 'regression')
    .sort((a, b) => cohortDepth(a.r.cohort) - cohortDepth(b.r.cohort) || cohortId(a.r.cohort).localeCompare(cohortId(b.r.cohort)));
  const accepted = new Map<string, Cohort>();
  const insideAccepted = (cohort: Cohort) => enclosing(cohort).some((id) => accepted.has(id));
  for (const { r } of regressions) {
    if (insideAccepted(r.cohort)) continue;
    if (spread(r, index.get(`${r.metric}|${cohortId(r.cohort)}`) ?? [])) accepted.set(cohortId(r.cohort), r.cohort);
  }
  for (const { r } of regressions) {
    if (![...accepted.values()].some((rule) => intersects(rule, r.cohort))) accepted.set(cohortId(r.cohort), r.cohort);
  }
  const regressionIds = new Map<string, number[]>();
  for (const { r, i } of regressions) regressionIds.set(cohortId(r.cohort), [...(regressionIds.get(cohortId(r.cohort)) ?? []), i]);
  return [...accepted.values()].map((cohort) => {
    const inside = regressions.filter(({ r }) => within(r.cohort, cohort)).map(({ i }) => i);
    const enclosingIds = enclosing(cohort).flatMap((id) => (id === cohortId(cohort) ? [] : (regressionIds.get(id) ?? [])));
    return { cohort, justified_by: [...new Set([...inside, ...enclosingIds])].sort((a, b) => a - b) };
  });
}

/** The ids of every cohort enclosing `cohort` (itself included): one per subset of its dimensions. */
function enclosing(cohort: Cohort): string[] {
  const dims = DIMENSIONS.filter((d) => cohort[d] !== undefined);
  const ids: string[] = [];
  for (let mask = 0; mask < 1 << dims.length; mask++) {
    const sub: Cohort = {};
    dims.forEach((d, k) => {
      const value = cohort[d];
      if (mask & (1 << k) && value !== undefined) sub[d] = value;
    });
    ids.push(cohortId(sub));
  }
  return ids;
}

/** For each metric × cohort, the judged results of strictly finer cohorts inside it. */
function enclosingIndex(results: readonly CohortResult[]): Map<string, CohortResult[]> {
  const index = new Map<string, CohortResult[]>();
  for (const r of results) {
    if (!judged(r)) continue;
    const own = cohortId(r.cohort);
    for (const id of enclosing(r.cohort)) {
      if (id === own) continue;
      const key = `${r.metric}|${id}`;
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }
  }
  return index;
}

function spread(parent: CohortResult, kids: readonly CohortResult[]): boolean {
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
