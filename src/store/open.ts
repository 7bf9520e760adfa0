import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { UserError, firstLine } from '../errors.js';
import { migrate } from './schema.js';

/** An open store: the DuckDB instance and one connection to it. */
export interface Store {
  /** The connection every query of this process goes through. */
  connection: DuckDBConnection;
  /** The file the store lives in (`:memory:` for tests). */
  path: string;
  /** Closes the connection and the instance, releasing the file lock. */
  close(): void;
}

/** Options for `openStore`. */
export interface OpenOptions {
  /** Open without taking the write lock; fails if the file does not exist. */
  readOnly?: boolean;
  /** DuckDB memory limit, e.g. `'2GB'`; DuckDB spills to disk beyond it. */
  memoryLimit?: string;
  /** DuckDB worker threads; defaults to DuckDB's choice (the number of cores). */
  threads?: number;
}

/**
 * Store files this process has open. DuckDB's file lock is per process, so it cannot stop a second open of the
 * same file from this process (two instances writing one file would corrupt it); this set does.
 */
const openInThisProcess = new Set<string>();

/**
 * Opens (creating if needed) the DuckDB store at `path` and brings its schema up to date.
 *
 * @throws {UserError} if another process, or this one, has the file open ("store is in use"), or a
 *   read-only open names a file that does not exist.
 */
export async function openStore(path: string, options: OpenOptions = {}): Promise<Store> {
  if (options.readOnly && path !== ':memory:' && !existsSync(path)) {
    throw new UserError(`no store at ${path}: run 'stagewise ingest … --db ${path}' first`);
  }
  const key = path === ':memory:' ? undefined : resolve(path);
  if (key !== undefined && openInThisProcess.has(key)) {
    throw new UserError(`store is in use: this process already has ${path} open`);
  }
  if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
  const config: Record<string, string> = {};
  if (options.readOnly) config['access_mode'] = 'READ_ONLY';
  if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
  if (options.threads) config['threads'] = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, config);
  } catch (error) {
    const message = firstLine(error);
    if (/lock/i.test(message)) {
      const holder = /\(PID (\d+)\)/.exec(message)?.[1];
      const who = holder === undefined ? 'another process' : `another process (PID ${holder})`;
      throw new UserError(`store is in use: ${who} has ${path} open; wait for it to finish`, 1, {
        cause: error,
      });
    }
    throw new UserError(`cannot open store ${path}: ${message}`, 1, { cause: error });
  }
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
    // Timestamps without a zone are read, and all timestamps shown, in UTC whatever the machine's zone.
    await connection.run(`SET TimeZone = 'UTC'`);
    if (!options.readOnly) await migrate(connection);
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  if (key !== undefined) openInThisProcess.add(key);
  return {
    connection,
    path,
    close() {
      connection.closeSync();
      instance.closeSync();
      if (key !== undefined) openInThisProcess.delete(key);
    },
  };
}

/** Opens the store, runs `body`, and closes it whatever happens. */
export async function withStore<T>(path: string, options: OpenOptions, body: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path, options);
  try {
    return await body(store);
  } finally {
    store.close();
  }
}
