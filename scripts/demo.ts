// `npm run demo`: the whole job on generated data, from nothing to an HTML report.
// simulate → ingest → status → baseline → plan → evaluate + shadow each stage → report.
// Every step is the CLI command a user would type; the demo only chains them and checks their exit codes.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

const dir = 'data/demo';
const db = join(dir, 'stagewise.duckdb');
const plan = join(dir, 'plan.json');
const out = 'reports/demo';
// One regression to find: tenant t002 (about 13% of logins) loses 3 percentage points of success rate from stage 2 on.
const injection = 'tenant=t002:success_rate:-0.03@stage-2';

/** Runs one CLI command; exit codes in `accept` are expected outcomes (3 = a regression was found). */
async function step(args: string[], accept: readonly number[] = [0]): Promise<number> {
  console.log(`\n$ stagewise ${args.join(' ')}`);
  const started = performance.now();
  const code = await main(['node', 'stagewise', ...args]);
  console.log(`  (exit ${code}, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (!accept.includes(code)) throw new Error(`stagewise ${args[0]} exited with ${code}`);
  return code;
}

const started = performance.now();
await rm(dir, { recursive: true, force: true });
await rm(out, { recursive: true, force: true });
await step(['simulate', '--out', dir, '--seed', '7', '--days', '56', '--tenants', '40', '--inject', injection]);
const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(dir, f));
await step(['ingest', ...files, '--db', db]);
await step(['status', '--db', db]);
await step(['baseline', '--db', db, '--plan', plan]);
await step(['plan', '--db', db, '--plan', plan, '--stage', 'stage-2']);
const { stages } = JSON.parse(await readFile(plan, 'utf8')) as { stages: { name: string }[] };
const flagged: string[] = [];
for (const { name } of stages) {
  if ((await step(['evaluate', '--db', db, '--plan', plan, '--stage', name], [0, 3])) === 3) flagged.push(name);
  await step(['shadow', '--db', db, '--plan', plan, '--stage', name], [0, 3]);
}
await step(['report', '--db', db, '--plan', plan, '--all', '--out', out]);
console.log(`\nInjected: ${injection}. Stages with a regression: ${flagged.join(', ') || 'none'}.`);
console.log(`Report: ${join(out, 'index.html')} (demo took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
