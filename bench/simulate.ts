/**
 * Simulator benchmark: events per second into a DuckDB table and into weekly parquet files.
 *
 *   npx tsx bench/simulate.ts [--events 2000000] [--days 56] [--tenants 40] [--dir /tmp/stagewise-bench-simulate]
 *                             [--threads N] [--memory 1GB] [--only files|table]
 *
 * Runs `writeSimulation` (COPY … TO parquet, a week at a time, rows sorted by ts), then `simulate`
 * (CREATE TABLE AS, no files), with --events-per-day = events / days, and prints events, wall and CPU
 * seconds, events/s and the process's peak RSS so far (files first, so their peak is their own).
 * CPU seconds are the fairer figure on a shared machine. Target: ≥ 2M events in under 30 s on 2 cores.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SIMULATE_DEFAULTS, defaultInjectionSpecs, type SimulateOptions } from '../src/simulate/options.js';
import { parseInjection } from '../src/simulate/injection.js';
import { simulate } from '../src/simulate/simulate.js';
import { writeSimulation } from '../src/simulate/write-simulation.js';
import { withStore, type OpenOptions } from '../src/store/open.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000000' },
    days: { type: 'string', default: '56' },
    tenants: { type: 'string', default: '40' },
    dir: { type: 'string', default: '/tmp/stagewise-bench-simulate' },
    threads: { type: 'string' },
    memory: { type: 'string' },
    only: { type: 'string' },
  },
});
const events = Number(values.events);
const days = Number(values.days);
const tenants = Number(values.tenants);
for (const [name, n] of Object.entries({ events, days, tenants })) {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`--${name} must be a positive integer, got ${n}`);
}
const storeOptions: OpenOptions = {
  ...(values.threads ? { threads: Number(values.threads) } : {}),
  ...(values.memory ? { memoryLimit: values.memory } : {}),
};
const options: SimulateOptions = {
  seed: SIMULATE_DEFAULTS.seed,
  days,
  tenants,
  start: SIMULATE_DEFAULTS.start,
  eventsPerDay: Math.round(events / days),
  routing: 'user',
  injections: defaultInjectionSpecs(tenants).map(parseInjection),
};

function line(label: string, n: number, started: number, cpuStart: NodeJS.CpuUsage): string {
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  return [
    label.padEnd(22),
    `${n.toLocaleString('en-US').padStart(11)} events`,
    `${seconds.toFixed(2).padStart(6)} s wall`,
    `${cpuSeconds.toFixed(2).padStart(6)} s CPU`,
    `${Math.round(n / seconds).toLocaleString('en-US').padStart(9)} events/s`,
    `peak RSS ${rssMb.toFixed(0)} MB`,
  ].join('  ');
}

console.log(`simulate: ${days} days, ${tenants} tenants, ${options.eventsPerDay} events/day, threads ${values.threads ?? 'default'}, memory ${values.memory ?? 'default'}`);
await withStore(':memory:', storeOptions, async ({ connection }) => {
  if (values.only !== 'table') {
    await rm(values.dir, { recursive: true, force: true });
    const [started, cpu] = [performance.now(), process.cpuUsage()];
    const files = await writeSimulation(connection, options, values.dir, 'parquet');
    console.log(line('weekly parquet files', files.counts.events, started, cpu));
  }
  if (values.only !== 'files') {
    const [started, cpu] = [performance.now(), process.cpuUsage()];
    const table = await simulate(connection, options, 'bench_events');
    console.log(line('into a table', table.events, started, cpu));
    await connection.run('DROP TABLE bench_events');
  }
});
