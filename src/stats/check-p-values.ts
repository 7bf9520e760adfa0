/** Throws unless every value is a probability in [0, 1] (NaN included in "not"). */
export function checkPValues(p: readonly number[], caller: string): void {
  const bad = p.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) throw new RangeError(`${caller} needs p-values in [0, 1], got ${p[bad]} at index ${bad}`);
}

/** Indexes of `p` in ascending order of value (stable for ties). */
export function ascendingOrder(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((i, j) => (p[i] ?? 0) - (p[j] ?? 0) || i - j);
}
