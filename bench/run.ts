// `npm run bench -- <name> [args…]` runs bench/<name>.ts; with no name, lists the benchmarks.
// Each benchmark prints its own figures (rates, ratios against bare DuckDB, peak memory).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);
const names = name ? [name] : available;
if (name && !existsSync(join(here, `${name}.ts`))) {
  console.error(`error: no benchmark '${name}'; available: ${available.join(', ')}`);
  process.exitCode = 1;
} else {
  for (const bench of names) {
    console.log(`\n== bench/${bench}.ts ${args.join(' ')}`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${bench}.ts`), ...args], { stdio: 'inherit' });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
  }
}
