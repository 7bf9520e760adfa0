import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort, CohortResult, RollbackRule } from '../types.js';
import { cohortDepth, cohortId, within } from './cohort-id.js';

const dimsOf = (cohort: Cohort): string => DIMENSIONS.filter((d) => cohort[d] !== undefined).join(',');
const intersects = (a: Cohort, b: Cohort): boolean => DIMENSIONS.every((d) => a[d] === undefined || b[d] === undefined || a[d] === b[d]);
const estimated = (r: CohortResult): boolean => r.n > 0 && r.effect !== null;

/** Candidate attempts in the intersection of two cohorts (exact from the window's cells when the caller knows them). */
export type Overlap = (a: Cohort, b: Cohort) => number;

/**
 * The smallest set of rollback rules, each at the most general scope the evidence supports.
 *
 * 1. From the most general down, a regressed cohort S (for a metric m) with finer cohorts becomes a
 *    rule when its harm is spread over them: for some next-finer dimension set it has two or more
 *    sub-cohorts with traffic and an estimate (judged or not), none passes or improves, and those
 *    that did not regress still show, n-weighted, at least half of S's harm ("every tenant on this
 *    IdP regresses" → `{idp}`, even when small tenants are not significant on their own). A cohort
 *    inside an accepted rule is skipped.
 * 2. Then every other regression, finest first, becomes a rule unless the rules so far explain it:
 *    the harm they carry inside it, Σ |effect_R| · overlap(R, S), is at least half of S's harm
 *    n_S |effect_S| (one tenant on one IdP → `{tenant, idp}`; the IdP's and the tenant's region's
 *    regressions are explained by it).
 *
 * `justified_by` lists the regressions inside the rule's cohort and those of enclosing cohorts.
 * Without `overlap`, only nested cohorts overlap (a cross-cutting regression keeps its own rule).
 */
export function scopedRollback(results: readonly CohortResult[], overlap?: Overlap): RollbackRule[] {
  const index = enclosingIndex(results);
  const regressions = results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.verdict === 'regression')
    .sort((a, b) => cohortDepth(a.r.cohort) - cohortDepth(b.r.cohort) || cohortId(a.r.cohort).localeCompare(cohortId(b.r.cohort)));
  const accepted = new Map<string, { cohort: Cohort; harm: number }>();
  const insideAccepted = (cohort: Cohort) => enclosing(cohort).some((id) => accepted.has(id));
  const harmOf = (r: CohortResult) => Math.abs(r.effect ?? 0);
  for (const { r } of regressions) {
    const kids = index.get(`${r.metric}|${cohortId(r.cohort)}`) ?? [];
    if (kids.length === 0 || insideAccepted(r.cohort)) continue;
    if (spread(r, kids)) accepted.set(cohortId(r.cohort), { cohort: r.cohort, harm: harmOf(r) });
  }
  const overlapOf = overlap ?? ((a: Cohort, b: Cohort) => (within(a, b) ? sizeOf(results, a) : within(b, a) ? sizeOf(results, b) : 0));
  const rest = [...regressions].sort((a, b) => cohortDepth(b.r.cohort) - cohortDepth(a.r.cohort) || (b.r.n * harmOf(b.r)) - (a.r.n * harmOf(a.r)));
  for (const { r } of rest) {
    if (insideAccepted(r.cohort)) continue;
    let explained = 0;
    for (const rule of accepted.values()) if (intersects(rule.cohort, r.cohort)) explained += rule.harm * overlapOf(rule.cohort, r.cohort);
    if (explained === 0 || explained < 0.5 * r.n * harmOf(r)) accepted.set(cohortId(r.cohort), { cohort: r.cohort, harm: harmOf(r) });
  }
  const regressionIds = new Map<string, number[]>();
  for (const { r, i } of regressions) regressionIds.set(cohortId(r.cohort), [...(regressionIds.get(cohortId(r.cohort)) ?? []), i]);
  return [...accepted.values()]
    .map(({ cohort }) => cohort)
    .sort((a, b) => cohortDepth(a) - cohortDepth(b) || cohortId(a).localeCompare(cohortId(b)))
    .map((cohort) => {
      const inside = regressions.filter(({ r }) => within(r.cohort, cohort)).map(({ i }) => i);
      const enclosingIds = enclosing(cohort).flatMap((id) => (id === cohortId(cohort) ? [] : (regressionIds.get(id) ?? [])));
      return { cohort, justified_by: [...new Set([...inside, ...enclosingIds])].sort((a, b) => a - b) };
    });
}

function sizeOf(results: readonly CohortResult[], cohort: Cohort): number {
  const id = cohortId(cohort);
  return results.reduce((n, r) => (cohortId(r.cohort) === id ? Math.max(n, r.n) : n), 0);
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

/** For each metric × cohort, the results of strictly finer cohorts inside it that have traffic and an estimate. */
function enclosingIndex(results: readonly CohortResult[]): Map<string, CohortResult[]> {
  const index = new Map<string, CohortResult[]>();
  for (const r of results) {
    if (!estimated(r)) continue;
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
