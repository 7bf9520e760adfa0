import type { Plan } from '../plan/plan.js';
import type { Dimension } from '../types.js';
import { DIMENSIONS } from '../plan/plan-schema.js';

/** A set of cohorts the baseline build computes: everyone, a plan dimension set, or a single-dimension parent. */
export interface CohortSet {
  /** Index in the list `cohortSets` returns; the `set_id` of the temp tables. */
  id: number;
  /** Dimensions in plan order ([] for everyone). */
  dimensions: Dimension[];
  /** Whether the snapshot stores this set's cohorts (everyone and the plan's sets); parents only lend shapes and shrinkage targets. */
  stored: boolean;
  /** `GROUPING(tenant, idp, app, region)` of this set: bit 8 tenant … 1 region, set when the dimension is rolled up. */
  groupingMask: number;
}

/** The grouping mask of a dimension set (see `CohortSet.groupingMask`). */
export function groupingMask(dimensions: readonly Dimension[]): number {
  return DIMENSIONS.reduce((mask, dim, i) => (dimensions.includes(dim) ? mask : mask | (1 << (DIMENSIONS.length - 1 - i))), 0);
}

/**
 * The cohort sets a plan needs, in a fixed order: everyone, the plan's dimension sets (a set
 * repeated in another order is computed once, under its first order), then every single
 * dimension of a multi-dimension set that the plan does not list itself (parents).
 */
export function cohortSets(plan: Pick<Plan, 'dimensions'>): CohortSet[] {
  const sets: CohortSet[] = [];
  const add = (dimensions: readonly Dimension[], stored: boolean) => {
    const mask = groupingMask(dimensions);
    if (sets.some((s) => s.groupingMask === mask)) return;
    sets.push({ id: sets.length, dimensions: [...dimensions], stored, groupingMask: mask });
  };
  add([], true);
  for (const dims of plan.dimensions) add(dims, true);
  for (const dims of plan.dimensions) if (dims.length > 1) for (const dim of dims) add([dim], false);
  return sets;
}
