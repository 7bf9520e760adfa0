import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkPlan, type Plan } from '../../src/plan/plan.js';
import { rolloutWindow } from '../../src/post-rollout/rollout-window.js';

function plan(lastShare: number, postRollout?: object): Plan {
  const checked = checkPlan({
    name: 'p', providers: { legacy: 'old', candidate: 'new' }, dimensions: [['tenant']], metrics: [{ name: 'success_rate', tolerance: 0.005 }],
    baseline: { start: '2026-09-01', end: '2026-09-29' },
    stages: [{ name: 's1', start: '2026-09-29', end: '2026-10-05', share: 0.5 }, { name: 's2', start: '2026-10-05', end: '2026-10-10', share: lastShare }],
    ...(postRollout ? { post_rollout: postRollout } : {}),
  });
  if (!checked.ok) throw new Error(checked.problems.join('\n'));
  return checked.plan;
}
const at = new Date('2026-10-15T00:00:00Z');

describe('rolloutWindow', () => {
  it('starts at the post_rollout start (the last stage end) and ends as planned', () => {
    expect(rolloutWindow(plan(1, { end: '2026-10-24' }), undefined, at)).toEqual({
      rolloutEnd: new Date('2026-10-10T00:00:00Z'), start: new Date('2026-10-10T00:00:00Z'), plannedEnd: new Date('2026-10-24T00:00:00Z'),
    });
  });
  it('takes a 100% last stage as the rollout end when the plan has no post_rollout, planning 14 days', () => {
    expect(rolloutWindow(plan(1), undefined, at).plannedEnd).toEqual(new Date('2026-10-24T00:00:00Z'));
  });
  it('refuses a plan without a rollout end, naming the last share', () => {
    expect(() => rolloutWindow(plan(0.5), undefined, at)).toThrow(new UserError('plan p has no rollout end: it has no post_rollout section and its last stage sends 50% of traffic to new, not 100%'));
  });
  it('refuses --at at or before the window start, and --since before the rollout end', () => {
    expect(() => rolloutWindow(plan(1), undefined, new Date('2026-10-10T00:00:00Z'))).toThrow(/no data after the rollout end/);
    expect(() => rolloutWindow(plan(1), new Date('2026-10-09T00:00:00Z'), at)).toThrow(/before the rollout end/);
  });
});
