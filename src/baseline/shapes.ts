import type { Dimension } from '../types.js';
import { cohortKey, parseCohortKey } from './cohort-key.js';

/** Hours in a week: the length of every hour-of-week shape. */
export const HOURS_PER_WEEK = 168;

/**
 * A smoothed, centred hour-of-week shape from a raw profile (statistics.md 1.1): hours without
 * data (NaN) take the mean of the hours that have it, then a circular 3-hour moving average, then
 * the mean is subtracted so the 168 offsets sum to zero.
 *
 * @throws {RangeError} if `raw` does not have 168 values or none is finite.
 */
export function smoothShape(raw: ArrayLike<number>): Float64Array {
  if (raw.length !== HOURS_PER_WEEK) throw new RangeError(`smoothShape needs ${HOURS_PER_WEEK} values, got ${raw.length}`);
  const seen = Array.from(raw).filter(Number.isFinite);
  if (seen.length === 0) throw new RangeError('smoothShape needs at least one finite value');
  const fill = seen.reduce((s, v) => s + v, 0) / seen.length;
  const filled = Array.from(raw, (v) => (Number.isFinite(v) ? v : fill));
  const at = (h: number) => filled[(h + HOURS_PER_WEEK) % HOURS_PER_WEEK] ?? fill;
  const smooth = filled.map((_, h) => (at(h - 1) + at(h) + at(h + 1)) / 3);
  const mean = smooth.reduce((s, v) => s + v, 0) / HOURS_PER_WEEK;
  return Float64Array.from(smooth, (v) => v - mean);
}

/** Where a cohort's shape comes from. */
export interface ShapeChoice {
  shapeKey: string;
  shapeSource: 'own' | 'parent' | 'global';
}

/**
 * The shape a cohort uses: its own when it is big; otherwise the big single-dimension parent
 * with the fewest attempts (the most specific one; ties by the cohort's dimension order);
 * otherwise everyone's (`''`, 'global'; flat when everyone is not big either).
 *
 * @param big cohort key → attempts, for the cohorts with their own shape (this metric).
 */
export function chooseShape(key: string, big: ReadonlyMap<string, number>): ShapeChoice {
  if (big.has(key)) return { shapeKey: key, shapeSource: 'own' };
  if (key === '') return { shapeKey: '', shapeSource: 'global' };
  const parent = parentKey(key, big);
  return parent === '' ? { shapeKey: '', shapeSource: 'global' } : { shapeKey: parent, shapeSource: 'parent' };
}

/**
 * The parent a cohort borrows from (shape, shrinkage target, advice): for a multi-dimension
 * cohort the big single-dimension projection with the fewest attempts, else everyone (`''`).
 */
export function parentKey(key: string, big: ReadonlyMap<string, number>): string {
  const { dimensions, cohort } = parseCohortKey(key);
  if (dimensions.length < 2) return '';
  let best: { key: string; n: number } | undefined;
  for (const dim of dimensions) {
    const candidate = cohortKey(cohort, [dim as Dimension]);
    const n = big.get(candidate);
    if (n !== undefined && (best === undefined || n < best.n)) best = { key: candidate, n };
  }
  return best?.key ?? '';
}
