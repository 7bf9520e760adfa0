import type { PlanInput } from '../plan/plan-schema.js';
import { PROVIDERS } from './model.js';
import type { SimulateOptions } from './options.js';
import type { RolloutSchedule } from './schedule.js';

/** The metrics and tolerances the simulated plan asks about. */
export const PLAN_METRICS: PlanInput['metrics'] = [
  { name: 'success_rate', tolerance: 0.005 },
  { name: 'latency_p95', tolerance: 0.1 },
  { name: 'mfa_rate', tolerance: 0.02 },
  { name: 'shadow_mismatch_rate', tolerance: 0.002 },
  { name: 'error_rate:upstream_timeout', tolerance: 0.005 },
];

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

/** The rollout plan file matching a simulated history (it passes `checkPlan`). */
export function simulationPlan(options: SimulateOptions, schedule: RolloutSchedule): PlanInput {
  return {
    name: `simulated migration legacy-idp → nova-auth (seed ${options.seed})`,
    providers: { legacy: PROVIDERS.legacy, candidate: PROVIDERS.candidate },
    dimensions: [['tenant'], ['idp'], ['app'], ['region'], ['tenant', 'idp']],
    metrics: PLAN_METRICS,
    baseline: { start: iso(schedule.baseline.start), end: iso(schedule.baseline.end) },
    stages: schedule.stages.map((stage) => ({
      name: stage.name,
      start: iso(stage.start),
      end: iso(stage.end),
      share: stage.share,
      unit: options.routing,
    })),
    alpha: 0.05,
    power: 0.8,
    post_rollout: { end: iso(schedule.post.end) },
  };
}
