import { InvalidArgumentError, Option } from 'commander';
import { fileSha256 } from '../../ingest/file-sha256.js';
import { FORMATS } from '../../ingest/formats/index.js';
import { ingestFile, type IngestResult } from '../../ingest/ingest-file.js';
import { planIngest, type FormatChoice, type PlannedFile } from '../../ingest/plan-ingest.js';
import { pseudonymKey } from '../../ingest/pseudonym-key.js';
import { watchProgress, type Progress } from '../../ingest/watch-progress.js';
import { withStore } from '../../store/open.js';
import { run } from '../../store/query.js';
import { sql } from '../../store/sql.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';

interface IngestOptions {
  db: string;
  format: FormatChoice;
  provider?: string;
  tenant?: string;
  date?: string;
}

/** `stagewise ingest`: loads login logs into the store, one transaction per file. */
export const registerIngest: RegisterCommand = (cli, context) => {
  cli
    .command('ingest')
    .description('load login events from files, directories or globs into the store (one transaction per file)')
    .argument('<files...>', 'files, directories or quoted globs')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .addOption(new Option('--format <name>', 'the files\' format').choices(['auto', ...FORMATS.map(f => f.name)]).default('auto'))
    .option('--provider <value>', 'provider of events that name none (default: the format name)')
    .option('--tenant <value>', 'tenant of events that name none')
    .option('--date <YYYY-MM-DD>', 'date of sources whose timestamps lack one (Keycloak server.log)', parseDate)
    .action(async (files: string[], options: IngestOptions) => {
      // Every file is found, read and recognised before the store is opened, so a bad argument changes nothing.
      const stageOptions = options.date === undefined ? {} : { date: options.date };
      const planned = await withStore(':memory:', context.store, ({ connection }) => planIngest(connection, files, options.format, stageOptions));
      const key = await pseudonymKey(options.db);
      await withStore(options.db, context.store, async ({ connection }) => {
        const tty = process.stderr.isTTY;
        if (tty) {
          await run(connection, sql`SET enable_progress_bar = true`);
          await run(connection, sql`SET enable_progress_bar_print = false`);
        }
        for (const file of planned) {
          const sha256 = await fileSha256(file.file);
          const stop = tty ? watchProgress(connection, progress => showProgress(file.file, progress)) : () => {};
          try {
            const result = await ingestFile(connection, { file: file.file, format: file.format, sha256 },
              { pseudonymKey: key, provider: options.provider, tenant: options.tenant, ...stageOptions });
            if (tty) process.stderr.write('\r\x1b[K');
            console.log(summary(file, result));
          } finally {
            stop();
          }
        }
      });
    });
};

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('Expected YYYY-MM-DD.');
  }
  return value;
}

function showProgress(file: string, { rows, percent, seconds }: Progress): void {
  const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
  const step = percent >= 0 ? `, step ${percent.toFixed(0)}% done` : '';
  process.stderr.write(`\r\x1b[K${file}: ${rows.toLocaleString('en')} rows processed, ${rate.toLocaleString('en')} rows/s${step}`);
}

function summary(file: PlannedFile, result: IngestResult): string {
  const format = `${result.format} (${file.chosenBecause})`;
  if (result.alreadyIngestedBy) {
    const { runId, finishedAt } = result.alreadyIngestedBy;
    return `${file.file}: ${format}: already ingested by run ${runId} at ${finishedAt}; nothing to do`;
  }
  return `${file.file}: ${format}: read ${result.rowsRead}, loaded ${result.loaded}, quarantined ${result.quarantined}, ` +
    `duplicates ${result.duplicates}, skipped ${result.skipped}`;
}
