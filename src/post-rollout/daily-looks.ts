const DAY_MS = 86_400_000;

/**
 * The ends of the daily looks of a post-rollout window: `start + 1 day`, `start + 2 days`, … while
 * before `at`, then `at` itself. Runs for the same `at` see the same looks, so they repeat the
 * same numbers; a later run adds looks and never moves an earlier one.
 *
 * @throws {RangeError} if `at` is not after `start`.
 */
export function dailyLookEnds(start: Date, at: Date): Date[] {
  if (!(at.getTime() > start.getTime())) {
    throw new RangeError(`dailyLookEnds needs at after start, got ${start.toISOString()} and ${at.toISOString()}`);
  }
  const ends: Date[] = [];
  for (let t = start.getTime() + DAY_MS; t < at.getTime(); t += DAY_MS) ends.push(new Date(t));
  ends.push(at);
  return ends;
}
