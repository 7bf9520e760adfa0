import { storeStatus, type StoreStatus } from '../../ingest/store-status.js';
import { withStore } from '../../store/open.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';

/** `stagewise status`: what the store holds and how it got there. */
export const registerStatus: RegisterCommand = (cli, context) => {
  cli
    .command('status')
    .description('show events by format and provider, ingest runs, quarantined and skipped records')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .option('--json', 'print JSON instead of text')
    .action(async (options: { db: string; json?: boolean }) => {
      const status = await withStore(options.db, { ...context.store, readOnly: true }, ({ connection }) => storeStatus(connection));
      console.log(options.json ? JSON.stringify(status, null, 2) : statusText(status));
    });
};

function statusText({ events, runs, quarantine, skipped }: StoreStatus): string {
  const lines: string[] = ['Events (by source format and provider):'];
  if (events.length === 0) lines.push('  none');
  for (const e of events) lines.push(`  ${e.source_format}/${e.provider}: ${e.events} events, ${e.first_ts} to ${e.last_ts}`);
  lines.push('', 'Ingest runs:');
  if (runs.length === 0) lines.push('  none');
  for (const r of runs) {
    lines.push(`  ${r.finished_at} ${r.file} (${r.format}, sha256 ${r.sha256.slice(0, 12)}): read ${r.rows_read}, ` +
      `loaded ${r.loaded}, quarantined ${r.quarantined}, duplicates ${r.duplicates}, skipped ${r.skipped}`);
  }
  lines.push('', 'Quarantined (by reason):');
  if (quarantine.length === 0) lines.push('  none');
  for (const q of quarantine) {
    lines.push(`  ${q.reason}: ${q.rows}`);
    for (const x of q.examples) lines.push(`    ${x.file} row ${x.source_row}: ${x.reason}`);
  }
  lines.push('', 'Skipped, not login attempts (by reason):');
  if (skipped.length === 0) lines.push('  none');
  for (const s of skipped) lines.push(`  ${s.reason}: ${s.rows}`);
  return lines.join('\n');
}
