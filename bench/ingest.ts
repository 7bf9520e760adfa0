/**
 * Ingest benchmark: bare DuckDB CTAS vs `stagewise ingest` on the same generated canonical rows, and the
 * vendor JSON rate.
 *
 *   npx tsx bench/ingest.ts --rows 1000000 [--dir /tmp/stagewise-bench] [--threads N] [--memory 4GB] [--steps]
 *                           [--vendor-events 300000] [--vendors okta,auth0,entra,google_workspace,cloudtrail]
 *                           [--only canonical|parquet|csv|vendor]
 *
 * Generates N canonical rows in DuckDB (COPY … TO parquet and csv), then times, each into a fresh store file:
 * `CREATE TABLE AS SELECT * FROM read_parquet(…)` vs our ingest of that parquet, and the same for CSV.
 * Prints wall and CPU rates, ours ÷ bare by CPU time (wall time swings with other load on a shared machine; on
 * an idle one, compare the wall rates too), and peak RSS; `--steps` adds the wall and CPU time of each statement.
 * Target at 10M rows: ours ≥ 0.5× bare.
 *
 * Vendor JSON: for each of `--vendors`, writes `--vendor-events` events as JSON Lines (the vendor's Apache-2.0
 * Panther sample in test/fixtures/vendors, replicated in order, each copy with a fresh deterministic event id) and
 * times what `stagewise ingest FILE --format F` does (plan: read, detect, bind; the file's SHA-256; the load) into a
 * fresh store. Prints events/s (every event read, login or skipped). Target: ≥ 150k events/s.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileSha256 } from '../src/ingest/file-sha256.js';
import { canonical } from '../src/ingest/formats/canonical.js';
import type { FormatName } from '../src/ingest/format.js';
import { ingestFile } from '../src/ingest/ingest-file.js';
import { planIngest } from '../src/ingest/plan-ingest.js';
import { openStore, withStore, type OpenOptions } from '../src/store/open.js';
import { run } from '../src/store/query.js';
import { raw, sql, type Sql } from '../src/store/sql.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    dir: { type: 'string', default: '/tmp/stagewise-bench' },
    threads: { type: 'string' },
    memory: { type: 'string' },
    steps: { type: 'boolean', default: false },
    'vendor-events': { type: 'string', default: '300000' },
    vendors: { type: 'string', default: 'okta,auth0,entra,google_workspace,cloudtrail' },
    only: { type: 'string' },
  },
});
const ONLY = ['canonical', 'parquet', 'csv', 'vendor'];
if (values.only !== undefined && !ONLY.includes(values.only)) {
  throw new RangeError(`--only must be one of ${ONLY.join(', ')}, got ${values.only}`);
}
const vendorEvents = Number(values['vendor-events']);
if (!Number.isInteger(vendorEvents) || vendorEvents < 0) throw new RangeError(`--vendor-events must be an integer ≥ 0, got ${values['vendor-events']}`);
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows <= 0) throw new RangeError(`--rows must be a positive integer, got ${values.rows}`);
const dir = values.dir;
const storeOptions: OpenOptions = {
  ...(values.threads ? { threads: Number(values.threads) } : {}),
  ...(values.memory ? { memoryLimit: values.memory } : {}),
};

/** N canonical rows: 2% duplicate event ids, 1% bad timestamps, 10% IPv6, the rest IPv4. */
function generated(n: number) {
  return raw(`
    SELECT CASE WHEN i % 50 = 7 THEN 'e' || (i - 1) ELSE 'e' || i END AS event_id,
           CASE WHEN i % 100 = 3 THEN 'not a time'
                ELSE strftime(TIMESTAMP '2026-10-01' + to_milliseconds(i * 37), '%Y-%m-%dT%H:%M:%S.%gZ') END AS ts,
           'user' || (hash(i) % 200000) AS user_id,
           't' || lpad((i % 300)::VARCHAR, 3, '0') AS tenant,
           ['okta-oidc', 'azure-saml', 'google'][1 + i % 3] AS idp,
           'app' || (i % 40) AS app,
           ['us-east', 'eu-west', 'ap-south'][1 + i % 3] AS region,
           CASE WHEN hash(i, 1) % 10 < 3 THEN 'candidate' ELSE 'legacy' END AS provider,
           CASE WHEN hash(i, 2) % 100 < 4 THEN 'failure' ELSE 'success' END AS outcome,
           CASE WHEN hash(i, 2) % 100 < 4 THEN 'invalid_grant' END AS error_code,
           round(80 + (hash(i, 3) % 4000) / 10.0, 1) AS latency_ms,
           hash(i, 4) % 5 = 0 AS mfa_challenged,
           CASE WHEN hash(i, 5) % 10 = 0 THEN 'match' END AS shadow_outcome,
           NULL::VARCHAR AS shadow_diff,
           CASE WHEN i % 10 = 0 THEN '2001:db8:' || (i % 65536)::VARCHAR || '::' || (i % 7)::VARCHAR
                ELSE '10.' || (i % 256) || '.' || (i // 256 % 256) || '.' || (i % 251) END AS ip
    FROM range(${n}) r(i)`);
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

/** Runs `body` over the canonical rows and prints its wall and CPU seconds; returns the CPU seconds (steadier than wall time on a shared machine). */
async function timed(label: string, body: () => Promise<void>): Promise<number> {
  return (await timedRows(label, rows, body)).cpuSeconds;
}

async function freshStore(name: string): Promise<string> {
  const path = join(dir, name);
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  return path;
}

/** Runs `body` and prints its wall and CPU seconds and rates for `n` rows. */
async function timedRows(label: string, n: number, body: () => Promise<void>): Promise<{ cpuSeconds: number; seconds: number }> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await body();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (s: number): string => Math.round(n / s).toLocaleString('en').padStart(11);
  console.log(`${label.padEnd(26)} wall ${seconds.toFixed(2).padStart(6)} s ${rate(seconds)} rows/s   ` +
    `cpu ${cpuSeconds.toFixed(2).padStart(6)} s ${rate(cpuSeconds)} rows/cpu-s`);
  return { cpuSeconds, seconds };
}

async function bare(name: string, reader: Sql): Promise<number> {
  const path = await freshStore(`bare-${name}.duckdb`);
  const store = await openStore(path, storeOptions);
  try {
    return await timed(`bare ${name} CTAS`, () => run(store.connection, sql`CREATE TABLE t AS SELECT * FROM ${reader}`));
  } finally {
    store.close();
  }
}

/** The connection, or with --steps a wrapper that prints how long each statement took. */
function timing(connection: DuckDBConnection): DuckDBConnection {
  if (!values.steps) return connection;
  return new Proxy(connection, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'run' && property !== 'runAndReadAll') return value.bind(target);
      return async (...args: unknown[]) => {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const result: unknown = await value.apply(target, args);
        const cpu = process.cpuUsage(cpuStart);
        const statement = String(args[0]).replace(/\s+/g, ' ').trim().slice(0, 60);
        console.log(`    ${((performance.now() - start) / 1000).toFixed(2).padStart(6)} s  cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(6)} s  ${statement}`);
        return result;
      };
    },
  });
}

async function ours(name: string, file: string): Promise<number> {
  const path = await freshStore(`ours-${name}.duckdb`);
  const store = await openStore(path, storeOptions);
  try {
    return await timed(`stagewise ingest ${name}`, async () => {
      const result = await ingestFile(timing(store.connection), { file, format: canonical, sha256: await fileSha256(file) },
        { pseudonymKey: 'bench-key-0123456789abcdef' });
      const sum = result.loaded + result.quarantined + result.duplicates + result.skipped;
      if (result.rowsRead !== rows || sum !== rows) throw new Error(`counts do not add up: ${JSON.stringify(result)}`);
    });
  } finally {
    store.close();
  }
}

async function canonicalBench(): Promise<void> {
  const parquet = join(dir, `canonical-${rows}.parquet`);
  const csv = join(dir, `canonical-${rows}.csv`);
  await withStore(':memory:', storeOptions, async ({ connection }) => {
    // COPY cannot bind its target; the paths are the ones built above.
    if (values.only !== 'csv') await run(connection, sql`COPY (${generated(rows)}) TO ${raw(`'${parquet}'`)} (FORMAT parquet)`);
    if (values.only !== 'parquet') await run(connection, sql`COPY (${generated(rows)}) TO ${raw(`'${csv}'`)} (FORMAT csv, HEADER)`);
  });
  console.log(`${rows.toLocaleString('en')} rows; stores in ${dir}; ${storeOptions.threads ?? 'default'} threads`);
  const ratios: string[] = [];
  if (values.only !== 'csv') {
    const bareParquet = await bare('parquet', sql`read_parquet(${parquet})`);
    ratios.push(`parquet ${(bareParquet / await ours('parquet', parquet)).toFixed(2)}×`);
  }
  if (values.only !== 'parquet') {
    const bareCsv = await bare('csv', sql`read_csv(${csv})`);
    ratios.push(`csv ${(bareCsv / await ours('csv', csv)).toFixed(2)}×`);
  }
  console.log(`ours/bare rate (CPU time): ${ratios.join(', ')}`);
}

type Event = Record<string, unknown>;
/** Per vendor JSON format: its Panther sample, and how a copy gets its own event id (the field the format reads the id from). */
const VENDORS: Partial<Record<FormatName, { fixture: string; withId: (event: Event, id: string) => Event }>> = {
  okta: { fixture: 'okta/panther_okta_systemlog_tests.jsonl', withId: (e, id) => ({ ...e, uuid: id }) },
  auth0: { fixture: 'auth0/panther_auth0_events_tests.jsonl', withId: (e, id) => ({ ...e, log_id: id, data: { ...(e.data as Event), log_id: id } }) },
  entra: { fixture: 'entra/panther_azure_signinlogs_tests.jsonl', withId: (e, id) => ({ ...e, properties: { ...(e.properties as Event), id } }) },
  google_workspace: { fixture: 'google-workspace/panther_gsuite_login_tests.jsonl', withId: (e, id) => ({ ...e, id: { ...(e.id as Event), uniqueQualifier: id } }) },
  cloudtrail: { fixture: 'cloudtrail/panther_cloudtrail_signin_tests.jsonl', withId: (e, id) => ({ ...e, eventID: id }) },
};
const vendors = values.vendors.split(',').filter((v) => v !== '') as FormatName[];
for (const v of vendors) if (!(v in VENDORS)) throw new RangeError(`--vendors: unknown ${v}; one of ${Object.keys(VENDORS).join(', ')}`);

/** A vendor's sample replicated to `n` events in order, each copy with an id made from its line number. */
async function writeVendorEvents(vendor: FormatName, file: string, n: number): Promise<void> {
  const { fixture, withId } = VENDORS[vendor]!;
  const sample = (await readFile(new URL(`../test/fixtures/vendors/${fixture}`, import.meta.url), 'utf8')).split('\n')
    .filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Event);
  const out = createWriteStream(file);
  for (let i = 0; i < n; i += 1000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      lines.push(JSON.stringify(withId(sample[j % sample.length]!, `00000000-0000-4000-8000-${j.toString(16).padStart(12, '0')}`)));
    }
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function vendorBench(vendor: FormatName): Promise<number> {
  const file = join(dir, `${vendor}-${vendorEvents}.jsonl`);
  await writeVendorEvents(vendor, file, vendorEvents);
  console.log(`${vendorEvents.toLocaleString('en')} ${vendor} events, ${mib((await stat(file)).size / 1024)} of JSON Lines`);
  const path = await freshStore(`ours-${vendor}.duckdb`);
  const { seconds } = await timedRows(`stagewise ingest ${vendor}`, vendorEvents, async () => {
    const [planned] = await withStore(':memory:', storeOptions, ({ connection }) => planIngest(connection, [file], vendor, {}));
    if (!planned) throw new Error(`planIngest found no file at ${file}`);
    const sha256 = await fileSha256(file);
    const store = await openStore(path, storeOptions);
    try {
      const result = await ingestFile(timing(store.connection), { file, format: planned.format, sha256 },
        { pseudonymKey: 'bench-key-0123456789abcdef' });
      const sum = result.loaded + result.quarantined + result.duplicates + result.skipped;
      if (result.rowsRead !== vendorEvents || sum !== vendorEvents) throw new Error(`counts do not add up: ${JSON.stringify(result)}`);
      if (result.duplicates > 0) throw new Error(`${vendor}: ${result.duplicates} duplicates: the copies did not get their own ids`);
      console.log(`  ${vendor}: ${result.loaded.toLocaleString('en')} loaded, ${result.skipped.toLocaleString('en')} skipped (not login attempts), ${result.quarantined.toLocaleString('en')} quarantined`);
    } finally {
      store.close();
    }
  });
  await rm(file, { force: true });
  return vendorEvents / seconds;
}

await mkdir(dir, { recursive: true });
if (values.only !== 'vendor') await canonicalBench();
if ((values.only === undefined || values.only === 'vendor') && vendorEvents > 0) {
  const rates = [];
  for (const vendor of vendors) rates.push(`${vendor} ${Math.round(await vendorBench(vendor)).toLocaleString('en')}`);
  console.log(`vendor JSON events/s (wall; target ≥ 150,000): ${rates.join(', ')}`);
}
console.log(`peak RSS ${mib(process.resourceUsage().maxRSS)}`);
