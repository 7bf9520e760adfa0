import { UserError } from '../errors.js';
import type { Plan } from '../plan/plan.js';

/** The post-rollout window of a plan. */
export interface RolloutWindow {
  /** When the candidate took all traffic (the plan's post_rollout start, or the end of a 100% last stage). */
  rolloutEnd: Date;
  /** Start of the window judged: `--since`, else the rollout end. */
  start: Date;
  /** The planned end of the post-rollout period (tunes the sequential tests); 14 days after the rollout end when the plan has none. */
  plannedEnd: Date;
}

const DEFAULT_DAYS = 14;

/**
 * The window a post-rollout run judges.
 *
 * @throws {UserError} when the plan has no rollout end (no post_rollout and a last stage below
 *   100%), `--since` is before the rollout end, or `at` is not after the window start.
 */
export function rolloutWindow(plan: Plan, since: Date | undefined, at: Date): RolloutWindow {
  const last = plan.stages[plan.stages.length - 1];
  let rolloutEnd: Date;
  let plannedEnd: Date;
  if (plan.postRollout) {
    rolloutEnd = plan.postRollout.start;
    plannedEnd = plan.postRollout.end;
  } else if (last && last.share >= 1) {
    rolloutEnd = last.end;
    plannedEnd = new Date(last.end.getTime() + DEFAULT_DAYS * 86_400_000);
  } else {
    const share = last ? `${last.share * 100}%` : 'no stage';
    throw new UserError(`plan ${plan.name} has no rollout end: it has no post_rollout section and its last stage sends ${share} of traffic to ${plan.providers.candidate}, not 100%`);
  }
  if (since && since.getTime() < rolloutEnd.getTime()) {
    throw new UserError(`--since ${since.toISOString()} is before the rollout end ${rolloutEnd.toISOString()}: post-rollout windows start at or after it`);
  }
  const start = since ?? rolloutEnd;
  if (at.getTime() <= start.getTime()) {
    throw new UserError(`--at ${at.toISOString()} is not after the window start ${start.toISOString()}: there is no data after the rollout end to judge yet`);
  }
  return { rolloutEnd, start, plannedEnd };
}
