import { z } from 'zod';
import { PlanSchema } from './plan-schema.js';

/** Where the generated JSON Schema of plan files lives, relative to the repository root. */
export const PLAN_SCHEMA_FILE = 'docs/plan.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a plan file, generated from the zod schema with
 * `z.toJSONSchema` (input side: fields with defaults are optional), as the text written to
 * `docs/plan.schema.json`.
 */
export function planJsonSchemaText(): string {
  const schema = z.toJSONSchema(PlanSchema, { io: 'input' });
  const document = {
    ...schema,
    $id: 'https://stagewise.dev/plan.schema.json',
    title: 'Stagewise rollout plan',
    description: 'A staged migration between authentication providers: providers, cohorts, metrics and tolerances, baseline period, stages. Generated from src/plan/plan-schema.ts by scripts/plan-schema.ts; do not edit.',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
