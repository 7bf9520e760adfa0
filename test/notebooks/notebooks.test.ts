import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

// Runs every notebook headless, as an analyst's `jupyter nbconvert --execute` would, over a small store built
// through the CLI: a simulated rollout whose tenant t003 loses 6 points of success rate from stage-3 (flagged
// there), ingested, baselined and evaluated. Each notebook's last cell asserts what it showed, so a failing
// cell (an assertion, or a src/ change a notebook no longer fits) fails nbconvert, and this test.
// Needs `jupyter nbconvert` (Debian: jupyter-nbconvert, which .ci/run installs) and the `deno` dev dependency.

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const notebooks = (await readdir(join(root, 'notebooks'))).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagewise-notebooks-'));
  const cli = (...args: string[]) => main(['node', 'stagewise', ...args]);
  const quiet = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const sim = join(dir, 'sim');
    const db = join(dir, 'store.duckdb');
    const plan = join(sim, 'plan.json');
    expect(await cli('simulate', '--out', sim, '--seed', '11', '--days', '42', '--tenants', '12', '--events-per-day', '8000',
      '--inject', 'tenant=t003:success_rate:-0.06@stage-3')).toBe(0);
    expect(await cli('ingest', join(sim, 'events-*.parquet'), '--db', db)).toBe(0);
    expect(await cli('baseline', '--db', db, '--plan', plan)).toBe(0);
    // Exit 3: the stage has a regression, which 03-stage-deep-dive takes apart.
    expect(await cli('evaluate', '--db', db, '--plan', plan, '--stage', 'stage-3', '--json', join(dir, 'evaluation.json'))).toBe(3);
  } finally {
    quiet.mockRestore();
  }
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('notebooks', () => {
  it('finds the three analysis notebooks', () => {
    expect(notebooks).toEqual(['01-explore-history.ipynb', '02-baseline-diagnostics.ipynb', '03-stage-deep-dive.ipynb']);
  });

  it.each(notebooks)('%s executes headless with every assertion holding', async (notebook) => {
    const out = join(dir, 'html');
    const env = {
      ...process.env,
      JUPYTER_PATH: join(root, 'notebooks', 'jupyter'),
      STAGEWISE_DB: join(dir, 'store.duckdb'),
      STAGEWISE_PLAN: join(dir, 'sim', 'plan.json'),
    };
    const args = ['nbconvert', '--to', 'html', '--execute', '--ExecutePreprocessor.timeout=300', '--output-dir', out, join('notebooks', notebook)];
    // execFile rejects on a non-zero exit, with nbconvert's stderr (the failing cell and its error) in the message.
    await run('jupyter', args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
    expect(existsSync(join(out, notebook.replace(/\.ipynb$/, '.html')))).toBe(true);
  }, 300_000);
});
