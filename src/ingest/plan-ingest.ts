import { access, constants } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError, firstLine } from '../errors.js';
import { all } from '../store/query.js';
import { sql } from '../store/sql.js';
import { expandInputs } from './expand-inputs.js';
import { STAGED_COLUMNS, type FormatName, type LoginFormat, type StageOptions } from './format.js';
import { FORMATS, formatNamed } from './formats/index.js';
import { readSample } from './read-sample.js';

/** `--format`: a format's name, or `auto` to detect each file's. */
export type FormatChoice = 'auto' | FormatName;

/** One file to ingest and how it will be read. */
export interface PlannedFile {
  file: string;
  format: LoginFormat;
  /** How the format was chosen, for the user: `asked for` or `detected: …`. */
  chosenBecause: string;
}

/**
 * Resolves inputs to files and each file to its format, and checks that DuckDB can bind the format's stage
 * query over it, all before any store is written: a problem with any file stops the whole ingest.
 *
 * @throws {UserError} naming the file and what is wrong with it.
 */
export async function planIngest(
  connection: DuckDBConnection,
  inputs: readonly string[],
  choice: FormatChoice,
  options: StageOptions,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const file of await expandInputs(connection, inputs)) {
    await access(file, constants.R_OK).catch((error: unknown) => {
      throw new UserError(`${file}: cannot read the file: ${firstLine(error)}`, 1, { cause: error });
    });
    const { format, chosenBecause } = await chooseFormat(file, choice);
    await checkBinds(connection, file, format, options);
    planned.push({ file, format, chosenBecause });
  }
  return planned;
}

async function chooseFormat(file: string, choice: FormatChoice): Promise<{ format: LoginFormat; chosenBecause: string }> {
  const sample = await readSample(file).catch((error: unknown) => {
    throw new UserError(`${file}: cannot read the file: ${firstLine(error)}`, 1, { cause: error });
  });
  if (choice !== 'auto') {
    const format = formatNamed(choice);
    if (!format) throw new UserError(`unknown format ${choice}; known: auto, ${FORMATS.map(f => f.name).join(', ')}`);
    if (!format.detect(sample)) throw new UserError(`${file} is not ${format.name}: expected ${format.description}`);
    return { format, chosenBecause: 'as asked' };
  }
  const matches = FORMATS.filter(format => format.detect(sample));
  const [format, ...others] = matches;
  if (!format) {
    throw new UserError(`${file}: no known format recognises it (tried ${FORMATS.map(f => f.name).join(', ')}); pass --format`);
  }
  const alsoMatched = others.length > 0 ? `; also matched ${others.map(f => f.name).join(', ')}, pass --format to choose` : '';
  return { format, chosenBecause: `detected: the start of the file looks like ${format.description}${alsoMatched}` };
}

async function checkBinds(connection: DuckDBConnection, file: string, format: LoginFormat, options: StageOptions): Promise<void> {
  let columns: string[];
  try {
    const rows = await all<{ column_name: string }>(connection, sql`DESCRIBE ${format.stage(file, options)}`);
    columns = rows.map(row => row.column_name);
  } catch (error) {
    throw new UserError(`${file} cannot be read as ${format.name}: ${firstLine(error)}`, 1, { cause: error });
  }
  if (columns.join() !== STAGED_COLUMNS.join()) {
    throw new TypeError(`${format.name}.stage returns columns ${columns.join(', ')}, not the STAGED_COLUMNS`);
  }
}
