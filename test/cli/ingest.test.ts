import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { canonical } from '../../src/ingest/formats/canonical.js';
import { withStore } from '../../src/store/open.js';
import { canonicalFixture, tableCounts, tempDir } from '../ingest/helpers.js';

let db: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  db = join(await tempDir(), 'store.duckdb');
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  vi.stubEnv('STAGEWISE_PSEUDONYM_KEY', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const stagewise = (...args: string[]): Promise<number> => main(['node', 'stagewise', ...args]);

describe('stagewise ingest', () => {
  it('prints one line per file with the format, why, and the counts, and no progress when stderr is not a terminal', async () => {
    const progress = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    onTestFinished(() => {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    });
    const code = await stagewise('ingest', canonicalFixture('logins.csv'), canonicalFixture('bad.csv'), '--db', db);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/logins\.csv: canonical \(detected: .*\): read 4, loaded 4, quarantined 0, duplicates 0, skipped 0$/);
    expect(out[1]).toMatch(/bad\.csv: canonical .*: read 10, loaded 1, quarantined 8, duplicates 1, skipped 0$/);
    expect(existsSync(`${db}.pseudonym-key`)).toBe(true);
    expect(progress).not.toHaveBeenCalled();
  });

  it('says a file was already ingested and loads nothing the second time', async () => {
    await stagewise('ingest', canonicalFixture('logins.csv'), '--db', db);
    expect(await stagewise('ingest', canonicalFixture('logins.csv'), '--db', db, '--format', 'canonical')).toBe(0);
    expect(out[1]).toMatch(/logins\.csv: canonical \(as asked\): already ingested by run [0-9a-f-]{36} at .*; nothing to do$/);
    await withStore(db, { readOnly: true }, async ({ connection }) => {
      expect(await tableCounts(connection)).toMatchObject({ login_events: 4, ingest_runs: 1 });
    });
  });

  it('exits 1 naming a missing file, and leaves no store behind', async () => {
    const missing = join(await tempDir(), 'nope.csv');
    expect(await stagewise('ingest', canonicalFixture('logins.csv'), missing, '--db', db)).toBe(1);
    expect(err).toEqual([`error: ${missing}: no such file or directory`]);
    expect(existsSync(db)).toBe(false);
  });

  it('exits 1 for a file that is not the format asked for, store untouched', async () => {
    await stagewise('ingest', canonicalFixture('logins.csv'), '--db', db);
    const other = join(await tempDir(), 'okta.jsonl');
    await writeFile(other, '{"published":"2026-10-01T00:00:00Z","eventType":"user.session.start"}\n');
    expect(await stagewise('ingest', other, '--db', db, '--format', 'canonical')).toBe(1);
    expect(err).toEqual([`error: ${other} is not canonical: expected ${canonical.description}`]);
    await withStore(db, { readOnly: true }, async ({ connection }) => {
      expect(await tableCounts(connection)).toMatchObject({ login_events: 4, ingest_runs: 1 });
    });
  });

  it('exits 1 for an unknown --format and a bad --date', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await stagewise('ingest', canonicalFixture('logins.csv'), '--db', db, '--format', 'splunk')).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/argument 'splunk' is invalid\. Allowed choices are auto, canonical/);
    expect(await stagewise('ingest', canonicalFixture('logins.csv'), '--db', db, '--date', '2026-13-45')).toBe(1);
    expect(existsSync(db)).toBe(false);
  });
});
