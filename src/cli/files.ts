import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError, firstLine } from '../errors.js';

/**
 * Writes `value` as indented JSON, creating the folder.
 *
 * @throws {UserError} naming the file when it cannot be written.
 */
export async function writeJson(file: string, value: unknown): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${firstLine(error)}`, 1, { cause: error });
  }
}

/** The toolkit version from package.json, recorded in snapshots, evaluations and reports. */
export async function toolkitVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
