import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Cohort } from '../types.js';

/** A cohort's identity as text, dimensions in canonical order (`idp=okta|tenant=t1`); '' for everyone. */
export function cohortId(cohort: Cohort): string {
  return DIMENSIONS.filter((d) => cohort[d] !== undefined)
    .map((d) => `${d}=${cohort[d] ?? ''}`)
    .join('|');
}

/** Whether `inner` lies inside `outer`: it fixes every dimension `outer` fixes, to the same value. */
export function within(inner: Cohort, outer: Cohort): boolean {
  return DIMENSIONS.every((d) => outer[d] === undefined || inner[d] === outer[d]);
}

/** The number of dimensions a cohort fixes. */
export const cohortDepth = (cohort: Cohort): number => DIMENSIONS.filter((d) => cohort[d] !== undefined).length;
