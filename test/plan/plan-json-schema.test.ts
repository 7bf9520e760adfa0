import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PLAN_SCHEMA_FILE, planJsonSchemaText } from '../../src/plan/plan-json-schema.js';
import { planInput } from '../baseline/plan-fixture.js';

describe('planJsonSchemaText', () => {
  it('matches docs/plan.schema.json (run `npx tsx scripts/plan-schema.ts` after changing the plan schema)', async () => {
    const committed = await readFile(new URL(`../../${PLAN_SCHEMA_FILE}`, import.meta.url), 'utf8');
    expect(committed).toBe(planJsonSchemaText());
  });

  it('describes every top-level field of a plan and requires the ones without defaults', () => {
    const schema = JSON.parse(planJsonSchemaText()) as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', ...Object.keys(planInput()), 'alpha', 'post_rollout', 'power'].sort());
    expect(schema.required.sort()).toEqual(['baseline', 'dimensions', 'metrics', 'name', 'providers', 'stages']);
    expect(schema.additionalProperties).toBe(false);
  });
});
