import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort } from '../types.js';

/** A cohort's identity as text, dimensions in canonical order (`idp=okta|tenant=t1`); '' for everyone. */
export function cohortId(cohort: Cohort): string {
  // Built in one loop (no filtered and mapped arrays): it runs for every result of a stage.
  let id = '';
  let first = true;
  for (const d of DIMENSIONS) {
    const value = cohort[d];
    if (value === undefined) continue;
    id += first ? `${d}=${value ?? ''}` : `|${d}=${value ?? ''}`;
    first = false;
  }
  return id;
}

/** Whether `inner` lies inside `outer`: it fixes every dimension `outer` fixes, to the same value. */
export function within(inner: Cohort, outer: Cohort): boolean {
  return DIMENSIONS.every((d) => outer[d] === undefined || inner[d] === outer[d]);
}

/** The number of dimensions a cohort fixes. */
export const cohortDepth = (cohort: Cohort): number => {
  let depth = 0;
  for (const d of DIMENSIONS) if (cohort[d] !== undefined) depth++;
  return depth;
};
