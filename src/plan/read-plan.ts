import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UserError, firstLine } from '../errors.js';
import { checkPlan, type Plan } from './plan.js';

/**
 * Reads and validates a plan file (JSON, or YAML for `.yaml`/`.yml`).
 *
 * @throws {UserError} naming the file and listing every problem, one per line.
 */
export async function readPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read plan ${file}: ${firstLine(error)}`, 1, { cause: error });
  }
  let content: unknown;
  try {
    content = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UserError(`plan ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${firstLine(error)}`, 1, {
      cause: error,
    });
  }
  const check = checkPlan(content);
  if (!check.ok) {
    throw new UserError(`plan ${file} has ${check.problems.length} problem(s):\n  ${check.problems.join('\n  ')}`);
  }
  return check.plan;
}
