import type { Cohort } from '../types.js';
import { within } from './cohort-id.js';
import type { Overlap } from './scoped-rollback.js';

/** A cell of the window at the grain of the union of the plan's dimensions, with its candidate attempts. */
export interface CandidateCell {
  cohort: Cohort;
  attempts: number;
}

/** The exact overlap of two cohorts in candidate attempts, summed over the window's cells inside both. */
export function cellOverlap(cells: readonly CandidateCell[]): Overlap {
  return (a, b) => cells.reduce((n, cell) => (within(cell.cohort, a) && within(cell.cohort, b) ? n + cell.attempts : n), 0);
}
