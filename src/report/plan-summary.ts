import type { Plan } from '../plan/plan.js';
import type { ReportPlanSummary } from './report-input.js';

/** What the report needs from a validated plan: names, providers, metrics, stages (instants as ISO text), α, power, hash. */
export function planSummary(plan: Plan): ReportPlanSummary {
  return {
    name: plan.name,
    providers: { legacy: plan.providers.legacy, candidate: plan.providers.candidate },
    stages: plan.stages.map((s) => ({ name: s.name, start: s.start.toISOString(), end: s.end.toISOString(), share: s.share, unit: s.unit })),
    metrics: plan.metrics.map((m) => ({ name: m.name, direction: m.direction, tolerance: m.tolerance })),
    hash: plan.hash,
    alpha: plan.alpha,
    power: plan.power,
  };
}
