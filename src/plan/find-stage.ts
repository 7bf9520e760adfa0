import { UserError } from '../errors.js';
import type { Plan, PlanStage } from './plan.js';

/**
 * The plan's stage of this name.
 *
 * @throws {UserError} naming the plan's stages when it has none of that name.
 */
export function findStage(plan: Plan, name: string): PlanStage {
  const stage = plan.stages.find((s) => s.name === name);
  if (!stage) throw new UserError(`stage "${name}" is not in plan ${plan.name}; its stages are ${plan.stages.map((s) => s.name).join(', ')}`);
  return stage;
}
