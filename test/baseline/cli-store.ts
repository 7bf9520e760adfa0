import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../ingest/helpers.js';
import { insertHistory } from './events.js';
import { planInput } from './plan-fixture.js';

/** A temp store and plan file, and the lines the CLI prints, for the baseline/plan/init command tests. */
export interface CliStore {
  dir: string;
  db: string;
  planFile: string;
  out: string[];
  err: string[];
}

/** Makes a temp dir and captures console output (call in beforeEach; vi.restoreAllMocks in afterEach). */
export async function cliStore(): Promise<CliStore> {
  const dir = await tempDir();
  const state: CliStore = { dir, db: join(dir, 'store.duckdb'), planFile: join(dir, 'plan.json'), out: [], err: [] };
  vi.spyOn(console, 'log').mockImplementation((line: string) => state.out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => state.err.push(line));
  return state;
}

/** Runs the CLI. */
export const stagewise = (...args: string[]): Promise<number> => main(['node', 'stagewise', ...args]);

/** Fills the store with `hours` of synthetic legacy history (3 tenants) and writes a 28-day-baseline plan with one stage. */
export async function seed(state: CliStore, hours = 28 * 24): Promise<void> {
  const store = await openStore(state.db);
  try {
    await insertHistory(store.connection, { start: '2026-09-01T00:00:00Z', hours, tenants: 3, perHour: 6, p: 0.05 });
  } finally {
    store.close();
  }
  const plan = planInput({
    baseline: { start: '2026-09-01', end: '2026-09-29' },
    stages: [{ name: 's1', start: '2026-09-29', end: '2026-10-02', share: 0.1 }],
  });
  await writeFile(state.planFile, JSON.stringify(plan));
}
