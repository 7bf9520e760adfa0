// Writes docs/plan.schema.json from the zod plan schema: `npx tsx scripts/plan-schema.ts`.
// test/plan/plan-json-schema.test.ts fails when the file is out of date.
import { writeFile } from 'node:fs/promises';
import { PLAN_SCHEMA_FILE, planJsonSchemaText } from '../src/plan/plan-json-schema.js';

await writeFile(new URL(`../${PLAN_SCHEMA_FILE}`, import.meta.url), planJsonSchemaText());
console.log(`wrote ${PLAN_SCHEMA_FILE}`);
