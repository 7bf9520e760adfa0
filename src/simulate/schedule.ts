/** A rollout stage of the simulated plan. */
export interface ScheduleStage {
  name: string;
  start: Date;
  end: Date;
  /** Share of routing units on the candidate provider. */
  share: number;
}

/** Baseline, stages and post-rollout period of a simulated history; every boundary is a UTC midnight. */
export interface RolloutSchedule {
  baseline: { start: Date; end: Date };
  stages: readonly ScheduleStage[];
  /** After the last (100%) stage until the end of the data. */
  post: { start: Date; end: Date };
}

/** Stage shares and nominal lengths in days (22 days in all). */
export const STAGE_TEMPLATE: readonly { share: number; days: number }[] = [
  { share: 0.02, days: 3 },
  { share: 0.05, days: 4 },
  { share: 0.25, days: 5 },
  { share: 0.5, days: 5 },
  { share: 1, days: 5 },
];

/** Fewest days that hold one day of baseline, one day per stage and one post-rollout day. */
export const MIN_DAYS = STAGE_TEMPLATE.length + 2;

const DAY_MS = 86_400_000;

/**
 * The rollout schedule for `days` days from `start`: baseline 28 days (longer when there is room
 * for 14 post-rollout days), then the five stages of `STAGE_TEMPLATE`, then post-rollout to the end.
 * Histories shorter than 51 days get half their days as baseline and the stages scaled into the rest.
 *
 * @throws {RangeError} if `days` is below `MIN_DAYS`.
 */
export function rolloutSchedule(start: Date, days: number): RolloutSchedule {
  if (!Number.isInteger(days) || days < MIN_DAYS) {
    throw new RangeError(`rolloutSchedule needs an integer of at least ${MIN_DAYS} days, got ${days}`);
  }
  const nominal = STAGE_TEMPLATE.reduce((sum, s) => sum + s.days, 0);
  let baselineDays: number;
  let stageDays: number[];
  if (days >= 28 + nominal + 1) {
    baselineDays = Math.max(28, days - nominal - 14);
    stageDays = STAGE_TEMPLATE.map((s) => s.days);
  } else {
    baselineDays = Math.max(1, Math.min(Math.floor(days / 2), days - STAGE_TEMPLATE.length - 1));
    stageDays = scaleStages(days - baselineDays - 1, nominal);
  }
  const at = (day: number) => new Date(start.getTime() + day * DAY_MS);
  let day = baselineDays;
  const stages = STAGE_TEMPLATE.map((template, i) => {
    const length = stageDays[i] ?? 1;
    const stage = { name: `stage-${i + 1}`, start: at(day), end: at(day + length), share: template.share };
    day += length;
    return stage;
  });
  return { baseline: { start: at(0), end: at(baselineDays) }, stages, post: { start: at(day), end: at(days) } };
}

/** Stage lengths summing to `available` days (at least one each), proportional to the template. */
function scaleStages(available: number, nominal: number): number[] {
  const lengths = STAGE_TEMPLATE.map((s) => Math.max(1, Math.floor((s.days * available) / nominal)));
  let spare = available - lengths.reduce((a, b) => a + b, 0);
  for (let i = lengths.length - 1; spare > 0; i = (i + lengths.length - 1) % lengths.length, spare--) {
    lengths[i] = (lengths[i] ?? 1) + 1;
  }
  return lengths;
}
