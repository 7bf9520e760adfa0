import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkStoreHasEvents } from '../../baseline/check-inputs.js';
import { storeProfile } from '../../baseline/store-profile.js';
import { UserError, firstLine } from '../../errors.js';
import { initPlan, planYaml, type ProviderProfile } from '../../plan/init-plan.js';
import { checkPlan } from '../../plan/plan.js';
import { withStore } from '../../store/open.js';
import { all } from '../../store/query.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';

interface InitOptions {
  db: string;
  out: string;
  force?: boolean;
}

/** `stagewise init`: write a commented starting plan from what the store holds. */
export const registerInit: RegisterCommand = (cli, context) => {
  cli
    .command('init')
    .description('write a starting plan (YAML with comments) from the providers, dates and dimensions in the store')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .option('--out <file>', 'the plan to write (.yaml with comments, or .json without)', 'plan.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (options: InitOptions) => {
      if (existsSync(options.out) && !options.force) throw new UserError(`${options.out} exists: pass --force to overwrite it`);
      const profile = await withStore(options.db, { ...context.store, readOnly: true }, async ({ connection }) => {
        await checkStoreHasEvents(connection);
        return all<ProviderProfile>(connection, storeProfile());
      });
      const { content, comments } = initPlan(profile);
      const check = checkPlan(content);
      if (!check.ok) throw new Error(`init wrote a plan that does not validate: ${check.problems.join('; ')}`);
      const text = /\.json$/i.test(options.out) ? `${JSON.stringify(content, null, 2)}\n` : planYaml(content, comments);
      try {
        await mkdir(dirname(options.out), { recursive: true });
        await writeFile(options.out, text);
      } catch (error) {
        throw new UserError(`cannot write ${options.out}: ${firstLine(error)}`, 1, { cause: error });
      }
      console.log(`wrote ${options.out}: ${content.providers.legacy} → ${content.providers.candidate}, baseline ${content.baseline.start} – ${content.baseline.end}, ${content.dimensions.length} dimension set(s), ${content.metrics.length} metric(s)`);
    });
};
