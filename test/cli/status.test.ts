import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { StoreStatus } from '../../src/ingest/store-status.js';
import { canonicalFixture, tempDir } from '../ingest/helpers.js';

let db: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  db = join(await tempDir(), 'store.duckdb');
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
});
afterEach(() => vi.restoreAllMocks());

const stagewise = (...args: string[]): Promise<number> => main(['node', 'stagewise', ...args]);

describe('stagewise status', () => {
  it('reports events by format and provider, runs, quarantine by reason with examples, and no raw user ids', async () => {
    expect(await stagewise('ingest', canonicalFixture('logins.csv'), canonicalFixture('bad.csv'), '--db', db)).toBe(0);
    out = [];
    expect(await stagewise('status', '--db', db, '--json')).toBe(0);
    const status = JSON.parse(out.join('\n')) as StoreStatus;
    expect(status.events).toEqual([
      { source_format: 'canonical', provider: 'candidate', events: 3, first_ts: '2026-10-01T08:00:01Z', last_ts: '2026-10-02T09:00:00Z' },
      { source_format: 'canonical', provider: 'legacy', events: 2, first_ts: '2026-10-01T08:00:00Z', last_ts: '2026-10-01T08:00:03Z' },
    ]);
    expect(status.runs.map(r => [r.file, r.rows_read, r.loaded, r.quarantined, r.duplicates, r.skipped])).toEqual([
      [canonicalFixture('logins.csv'), 4, 4, 0, 0, 0],
      [canonicalFixture('bad.csv'), 10, 1, 8, 1, 0],
    ]);
    const latency = status.quarantine.find(q => q.reason === 'latency_ms is not a number');
    expect(latency).toEqual({ reason: 'latency_ms is not a number', rows: 1,
      examples: [{ file: canonicalFixture('bad.csv'), source_row: 5, reason: 'latency_ms is not a number: fast' }] });
    expect(status.quarantine.reduce((n, q) => n + q.rows, 0)).toBe(8);
    expect(status.skipped).toEqual([]);
    expect(out.join('\n')).not.toContain('example.com');
  });

  it('prints the same as text', async () => {
    await stagewise('ingest', canonicalFixture('bad.csv'), '--db', db);
    out = [];
    expect(await stagewise('status', '--db', db)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('  canonical/candidate: 1 events, 2026-10-02T09:00:00Z to 2026-10-02T09:00:00Z');
    expect(text).toMatch(/bad\.csv \(canonical, sha256 [0-9a-f]{12}\): read 10, loaded 1, quarantined 8, duplicates 1, skipped 0/);
    expect(text).toMatch(/  unknown outcome: 1\n    .*bad\.csv row 4: unknown outcome: SUCCESS/);
    expect(text).not.toContain('dave@example.com');
  });

  it('exits 1 naming a store that does not exist', async () => {
    expect(await stagewise('status', '--db', db)).toBe(1);
    expect(err).toEqual([`error: no store at ${db}: run 'stagewise ingest … --db ${db}' first`]);
  });
});
