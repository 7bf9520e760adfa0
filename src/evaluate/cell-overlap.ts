import type { Cohort } from '../types.js';
import { cohortId, within } from './cohort-id.js';
import type { Overlap } from './scoped-rollback.js';

/** A cell of the window at the grain of the union of the plan's dimensions, with its candidate attempts. */
export interface CandidateCell {
  cohort: Cohort;
  attempts: number;
}

/**
 * The exact overlap of two cohorts in candidate attempts, summed over the window's cells inside
 * both. Each cohort's cells are found once (memoised), and the smaller list is scanned.
 */
export function cellOverlap(cells: readonly CandidateCell[]): Overlap {
  const memo = new Map<string, CandidateCell[]>();
  const cellsIn = (cohort: Cohort) => {
    const id = cohortId(cohort);
    let list = memo.get(id);
    if (!list) {
      list = cells.filter((cell) => within(cell.cohort, cohort));
      memo.set(id, list);
    }
    return list;
  };
  return (a, b) => {
    const [inA, inB] = [cellsIn(a), cellsIn(b)];
    const [small, other] = inA.length <= inB.length ? [inA, b] : [inB, a];
    return small.reduce((n, cell) => (within(cell.cohort, other) ? n + cell.attempts : n), 0);
  };
}
