import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { PSEUDONYM_KEY_ENV, pseudonymKey, pseudonymKeyFile } from '../../src/ingest/pseudonym-key.js';
import { tempDir } from './helpers.js';

describe('pseudonymKey', () => {
  it('uses STAGEWISE_PSEUDONYM_KEY when set, and writes no file', async () => {
    const db = join(await tempDir(), 'store.duckdb');
    expect(await pseudonymKey(db, { [PSEUDONYM_KEY_ENV]: 'from-the-environment' })).toBe('from-the-environment');
    await expect(stat(pseudonymKeyFile(db))).rejects.toThrow(/ENOENT/);
  });

  it('creates a random key beside the store, mode 0600, and reuses it', async () => {
    const db = join(await tempDir(), 'store.duckdb');
    const key = await pseudonymKey(db, {});
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(pseudonymKeyFile(db))).mode & 0o777).toBe(0o600);
    expect((await readFile(pseudonymKeyFile(db), 'utf8')).trim()).toBe(key);
    expect(await pseudonymKey(db, {})).toBe(key);
    expect(await pseudonymKey(join(await tempDir(), 'other.duckdb'), {})).not.toBe(key);
  });

  it('creates the folder of a new store that does not exist yet', async () => {
    const db = join(await tempDir(), 'not', 'yet', 'store.duckdb');
    const key = await pseudonymKey(db, {});
    expect((await readFile(pseudonymKeyFile(db), 'utf8')).trim()).toBe(key);
  });

  it('refuses a short key', async () => {
    await expect(pseudonymKey(':memory:', { [PSEUDONYM_KEY_ENV]: 'short' })).rejects.toBeInstanceOf(UserError);
    const db = join(await tempDir(), 'store.duckdb');
    await writeFile(pseudonymKeyFile(db), 'abc\n');
    await expect(pseudonymKey(db, {})).rejects.toThrow(/shorter than 16/);
  });
});
