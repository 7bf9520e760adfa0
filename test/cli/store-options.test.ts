import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { canonicalFixture, tempDir } from '../ingest/helpers.js';

let db: string;
let err: string[];

beforeEach(async () => {
  db = join(await tempDir(), 'store.duckdb');
  err = [];
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const stagewise = (...args: string[]): Promise<number> => main(['node', 'stagewise', ...args]);

describe('stagewise --memory-limit and --threads', () => {
  it("reach DuckDB: a limit too small for a file's read fails the ingest, one that fits loads it", async () => {
    const file = canonicalFixture('logins.csv');
    expect(await stagewise('--memory-limit', '1MB', '--threads', '1', 'ingest', file, '--db', db)).toBe(1);
    expect(err.join('\n')).toMatch(/Out of Memory/);
    expect(await stagewise('--memory-limit', '256MB', '--threads', '1', 'ingest', file, '--db', db)).toBe(0);
  });

  it('read a small wrapper file (a CloudTrail S3 object) within a small limit: its largest object is the file', async () => {
    const file = fileURLToPath(new URL('../fixtures/vendors/cloudtrail/handmade_s3-records.json', import.meta.url));
    // Before the object size followed the file, any wrapper file asked for 2 × 256 MiB per thread.
    expect(await stagewise('--memory-limit', '100MB', '--threads', '2', 'ingest', file, '--format', 'cloudtrail', '--db', db)).toBe(0);
  });

  it('refuse a size DuckDB would not read', async () => {
    expect(await stagewise('--memory-limit', 'lots', 'status', '--db', db)).toBe(1);
    expect(err.join('\n')).toContain('Expected a size such as 512MB');
    expect(await stagewise('--threads', '0', 'status', '--db', db)).toBe(1);
  });
});
