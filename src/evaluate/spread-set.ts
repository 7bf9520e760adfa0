import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort, CohortResult } from '../types.js';
import { cohortId } from './cohort-id.js';

/** The dimensions a cohort fixes, in canonical order and comma-joined (`tenant,idp`); '' for everyone. */
export const dimsOf = (cohort: Cohort): string => DIMENSIONS.filter((d) => cohort[d] !== undefined).join(',');
const estimated = (r: CohortResult): boolean => r.n > 0 && r.effect !== null;

/** The ids of every cohort enclosing `cohort` (itself included): one per subset of its dimensions. */
export function enclosing(cohort: Cohort): string[] {
  const dims = DIMENSIONS.filter((d) => cohort[d] !== undefined);
  const ids: string[] = [];
  // The text of `cohortId` of each sub-cohort, built directly: this runs for every result of a stage.
  for (let mask = 0; mask < 1 << dims.length; mask++) {
    let id = '';
    for (let k = 0; k < dims.length; k++) {
      const d = dims[k];
      if (!(mask & (1 << k)) || d === undefined) continue;
      id += `${id === '' ? '' : '|'}${d}=${cohort[d] ?? ''}`;
    }
    ids.push(id);
  }
  return ids;
}

/** For each `metric|cohortId`, the results of strictly finer cohorts inside it that have traffic and an estimate. */
export function enclosingIndex(results: readonly CohortResult[]): Map<string, CohortResult[]> {
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

/**
 * The next-finer dimension set over which the parent's harm is spread, if any: two or more
 * sub-cohorts with an estimate, none passes or improves, and those that did not regress still show,
 * n-weighted, at least half the parent's effect ("nearly every tenant on this IdP").
 */
export function spreadSet(parent: CohortResult, kids: readonly CohortResult[]): string | undefined {
  const sets = [...new Set(kids.map((k) => dimsOf(k.cohort)))];
  const nextFiner = sets.filter((set) => !sets.some((other) => other !== set && isSubset(other, set)));
  return nextFiner.find((set) => {
    const siblings = kids.filter((k) => dimsOf(k.cohort) === set);
    if (siblings.length < 2 || siblings.some((k) => k.verdict === 'pass' || k.verdict === 'improvement')) return false;
    const others = siblings.filter((k) => k.verdict !== 'regression');
    if (others.length === 0) return true;
    const harm = others.reduce((s, k) => s + k.n * (k.effect ?? 0), 0) / others.reduce((s, k) => s + k.n, 0);
    const parentEffect = parent.effect ?? 0;
    return harm * Math.sign(parentEffect) >= 0.5 * Math.abs(parentEffect);
  });
}

const isSubset = (small: string, big: string): boolean => {
  const bigDims = new Set(big.split(','));
  return small.split(',').every((d) => bigDims.has(d));
};
