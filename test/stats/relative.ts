import { expect } from 'vitest';

/** Asserts |actual − expected| <= tolerance · max(|expected|, tiny): a relative `toBeCloseTo`. */
export function expectRelative(actual: number, expected: number, tolerance = 1e-12): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
