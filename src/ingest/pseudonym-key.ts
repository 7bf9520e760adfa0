import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError, firstLine } from '../errors.js';

/** The environment variable that supplies the pseudonymisation key (any text of 16 or more characters). */
export const PSEUDONYM_KEY_ENV = 'STAGEWISE_PSEUDONYM_KEY';

/** The file beside a store that keeps its generated key. */
export const pseudonymKeyFile = (dbPath: string): string => `${dbPath}.pseudonym-key`;

/**
 * The secret key that user ids and record hashes are keyed with: `STAGEWISE_PSEUDONYM_KEY` when set, else the
 * contents of `<db>.pseudonym-key`, created with 32 random bytes (hex, mode 0600) on first use. An in-memory
 * store gets a fresh random key. The same key must be used for every ingest into a store, or one user gets
 * two pseudonyms.
 *
 * @throws {UserError} if the variable is too short or the key file cannot be read or created.
 */
export async function pseudonymKey(dbPath: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[PSEUDONYM_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 16) throw new UserError(`${PSEUDONYM_KEY_ENV} must be 16 characters or more`);
    return fromEnv;
  }
  if (dbPath === ':memory:') return randomBytes(32).toString('hex');
  const file = pseudonymKeyFile(dbPath);
  const fresh = randomBytes(32).toString('hex');
  try {
    // The store may be new, in a folder that does not exist yet (`--db data/new/stagewise.duckdb`).
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new UserError(`cannot create the pseudonym key ${file}: ${firstLine(error)}`, 1, { cause: error });
    }
  }
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (key.length < 16) throw new Error('the key in it is shorter than 16 characters');
    return key;
  } catch (error) {
    throw new UserError(`cannot read the pseudonym key ${file}: ${firstLine(error)}`, 1, { cause: error });
  }
}
