import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../errors.js';
import { all } from '../store/query.js';
import { sql } from '../store/sql.js';

const GLOB = /[*?[]/;

/**
 * The files named by command-line inputs, in the order given: a file as is, a directory as the files under
 * it (sorted, hidden ones left out), a glob as its matches (sorted, expanded by DuckDB's `glob`).
 *
 * @throws {UserError} naming the input that does not exist or matches no file.
 */
export async function expandInputs(connection: DuckDBConnection, inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) files.push(...(await expandInput(connection, input)));
  return [...new Set(files)];
}

async function expandInput(connection: DuckDBConnection, input: string): Promise<string[]> {
  const info = await stat(input).catch(() => undefined);
  if (info?.isDirectory()) {
    const entries = await readdir(input, { recursive: true, withFileTypes: true });
    const files = entries
      .filter(entry => entry.isFile())
      .map(entry => join(entry.parentPath, entry.name))
      .filter(file => !file.slice(input.length).split(/[\\/]/).some(part => part.startsWith('.')))
      .sort();
    if (files.length === 0) throw new UserError(`${input}: the directory holds no files`);
    return files;
  }
  if (info) return [input];
  if (!GLOB.test(input)) throw new UserError(`${input}: no such file or directory`);
  const rows = await all<{ file: string }>(connection, sql`SELECT file FROM glob(${input}) ORDER BY file`);
  if (rows.length === 0) throw new UserError(`${input}: the pattern matches no file`);
  return rows.map(row => row.file);
}
