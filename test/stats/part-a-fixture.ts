import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** One reference case of test/fixtures/stats/part-a.json (made by reference/part-a.py and part-a.R). */
export interface Case<Args, Expected> {
  args: Args;
  expected: Expected;
  /** The R / scipy / statsmodels call that produced `expected`. */
  source: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/stats/part-a.json', import.meta.url), 'utf8'),
  (_key, value: unknown) => (value === 'Infinity' ? Infinity : value),
) as Record<string, unknown[] | undefined>;

/** The reference cases stored under `name`; throws if there are none, so a renamed key cannot pass silently. */
export function cases<Args, Expected>(name: string): Case<Args, Expected>[] {
  const list = fixture[name];
  if (!list || list.length === 0) throw new Error(`part-a.json has no cases named ${name}`);
  return list as Case<Args, Expected>[];
}

/** Asserts |actual − expected| ≤ relative·|expected| (exact equality for 0 and ±Infinity). */
export function expectRelative(actual: number, expected: number, relative = 1e-10): void {
  if (expected === 0 || !Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(relative);
}
