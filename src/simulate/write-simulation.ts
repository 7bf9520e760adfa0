import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { allJson, run } from '../store/query.js';
import { raw, Sql, sql } from '../store/sql.js';
import { eventsSql } from './events-sql.js';
import type { SimulateOptions, SimulationFormat } from './options.js';
import { prepareSimulation, type PreparedSimulation } from './simulate.js';

/** Counts over the written events, for the summary line. */
export interface SimulationCounts {
  events: number;
  users: number;
  candidate_events: number;
  success_rate: number;
}

/** What `writeSimulation` wrote. */
export interface WrittenSimulation extends PreparedSimulation {
  /** Event files (one per week), plan.json and truth.json, in that order. */
  files: string[];
  counts: SimulationCounts;
}

const EXTENSION: Record<SimulationFormat, string> = { parquet: 'parquet', csv: 'csv', jsonl: 'jsonl' };
const COPY_OPTIONS: Record<SimulationFormat, string> = {
  parquet: '(FORMAT parquet, COMPRESSION zstd)',
  csv: '(FORMAT csv, HEADER true)',
  jsonl: '(FORMAT json)',
};
const READER: Record<SimulationFormat, string> = { parquet: 'read_parquet', csv: 'read_csv', jsonl: 'read_json' };

/**
 * The statement with `?` placeholders numbered `$1, $2, …`: DuckDB 1.5 fails to bind `COPY … TO ?`
 * when the query has `?` parameters too ("Unsupported parameter type for filename"), but binds
 * numbered ones. Our SQL text has no `?` inside string literals, so every `?` is a placeholder.
 */
function positional(statement: Sql): Sql {
  let n = 0;
  return new Sql(statement.text.replace(/\?/g, () => `$${++n}`), statement.values);
}

/** The week's events sorted by time; text formats get `ts` as an ISO-8601 UTC string, whatever the session time zone. */
function weekQuery(events: Sql, format: SimulationFormat): Sql {
  const projection =
    format === 'parquet'
      ? raw('*')
      : raw(`* REPLACE (strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS ts)`);
  return sql`SELECT ${projection} FROM (${events}) ORDER BY ts, event_id`;
}

/**
 * Simulates the history and writes DIR/events-week-NN.<format> (one file per 7 days, rows sorted by
 * time), DIR/plan.json and DIR/truth.json. Events go from DuckDB straight to the files, a week at a time.
 * Earlier events-week-* files in DIR are removed first so a glob over DIR reads this run only.
 */
export async function writeSimulation(
  connection: DuckDBConnection,
  options: SimulateOptions,
  out: string,
  format: SimulationFormat = 'parquet',
): Promise<WrittenSimulation> {
  const prepared = await prepareSimulation(connection, options);
  await mkdir(out, { recursive: true });
  for (const name of await readdir(out)) {
    if (/^events-week-\d+\.(parquet|csv|jsonl)$/.test(name)) await rm(joinPath(out, name));
  }
  const files: string[] = [];
  const weeks = Math.ceil(options.days / 7);
  for (let week = 0; week < weeks; week++) {
    const file = joinPath(out, `events-week-${String(week + 1).padStart(2, '0')}.${EXTENSION[format]}`);
    const events = eventsSql(options, prepared.injections, week * 168, Math.min(options.days * 24, (week + 1) * 168));
    await run(connection, positional(sql`COPY (${weekQuery(events, format)}) TO ${file} ${raw(COPY_OPTIONS[format])}`));
    files.push(file);
  }
  const planFile = joinPath(out, 'plan.json');
  const truthFile = joinPath(out, 'truth.json');
  await writeFile(planFile, `${JSON.stringify(prepared.plan, null, 2)}\n`);
  await writeFile(truthFile, `${JSON.stringify(prepared.truth, null, 2)}\n`);
  const [counts] = await allJson<SimulationCounts>(
    connection,
    sql`SELECT count(*)::DOUBLE AS events, count(DISTINCT user_id)::DOUBLE AS users,
               count(*) FILTER (WHERE provider = ${prepared.plan.providers.candidate})::DOUBLE AS candidate_events,
               avg((outcome = 'success')::INTEGER) AS success_rate
        FROM ${raw(READER[format])}(${listValue(files)})`,
  );
  return { ...prepared, files: [...files, planFile, truthFile], counts: counts ?? { events: 0, users: 0, candidate_events: 0, success_rate: 0 } };
}
