import { describe, expect, it } from 'vitest';
import { MIN_DAYS, rolloutSchedule } from '../../src/simulate/schedule.js';

const START = new Date('2026-09-01T00:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('rolloutSchedule', () => {
  it('gives 56 days a 28-day baseline, stages of 3, 4, 5, 5 and 5 days, and 6 post-rollout days', () => {
    const schedule = rolloutSchedule(START, 56);
    expect(schedule.baseline).toEqual({ start: START, end: day('2026-09-29') });
    expect(schedule.stages.map((s) => [s.name, s.start, s.end, s.share])).toEqual([
      ['stage-1', day('2026-09-29'), day('2026-10-02'), 0.02],
      ['stage-2', day('2026-10-02'), day('2026-10-06'), 0.05],
      ['stage-3', day('2026-10-06'), day('2026-10-11'), 0.25],
      ['stage-4', day('2026-10-11'), day('2026-10-16'), 0.5],
      ['stage-5', day('2026-10-16'), day('2026-10-21'), 1],
    ]);
    expect(schedule.post).toEqual({ start: day('2026-10-21'), end: day('2026-10-27') });
  });

  it('lengthens the baseline once 14 post-rollout days fit', () => {
    const schedule = rolloutSchedule(START, 90);
    expect(schedule.baseline.end).toEqual(day('2026-10-25'));
    expect(schedule.post.end.getTime() - schedule.post.start.getTime()).toBe(14 * 86_400_000);
  });

  it('scales a short history into consecutive stages of at least one day that end one day before the data', () => {
    for (const days of [MIN_DAYS, 10, 20, 50]) {
      const { baseline, stages, post } = rolloutSchedule(START, days);
      expect(baseline.end.getTime()).toBeGreaterThan(baseline.start.getTime());
      let previous = baseline.end;
      for (const stage of stages) {
        expect(stage.start).toEqual(previous);
        expect(stage.end.getTime() - stage.start.getTime()).toBeGreaterThanOrEqual(86_400_000);
        previous = stage.end;
      }
      expect(post.start).toEqual(previous);
      expect(post.end).toEqual(new Date(START.getTime() + days * 86_400_000));
      expect(post.end.getTime() - post.start.getTime()).toBeGreaterThanOrEqual(86_400_000);
    }
  });

  it('throws a RangeError for fewer days than a baseline, five stages and a post-rollout day need', () => {
    expect(() => rolloutSchedule(START, MIN_DAYS - 1)).toThrow(RangeError);
  });
});
