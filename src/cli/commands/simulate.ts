import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError, firstLine } from '../../errors.js';
import { withStore } from '../../store/open.js';
import { checkInjection, parseInjection, type Injection } from '../../simulate/injection.js';
import { defaultInjectionSpecs, SIMULATE_DEFAULTS, type SimulateOptions, type SimulationFormat } from '../../simulate/options.js';
import { MIN_DAYS } from '../../simulate/schedule.js';
import { writeSimulation, type WrittenSimulation } from '../../simulate/write-simulation.js';
import type { RegisterCommand } from '../context.js';
import { parseInstant, parsePositiveInt } from '../options.js';

interface SimulateFlags {
  out: string;
  seed: number;
  days: number;
  tenants: number;
  start: Date;
  eventsPerDay: number;
  routing: 'user' | 'tenant';
  inject: string[];
  injectFile?: string;
  format: SimulationFormat;
  regression: boolean;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('Expected a non-negative integer.');
  return n;
}

function parseStartDate(value: string): Date {
  const date = parseInstant(value);
  if (date.getTime() % 86_400_000 !== 0) throw new InvalidArgumentError('Expected a date (YYYY-MM-DD): a simulation starts at UTC midnight.');
  return date;
}

function parseDays(value: string): number {
  const n = parsePositiveInt(value);
  if (n < MIN_DAYS) throw new InvalidArgumentError(`Expected at least ${MIN_DAYS} days (baseline, five stages, post-rollout).`);
  return n;
}

function collectInjection(value: string, previous: string[]): string[] {
  try {
    parseInjection(value);
  } catch (error) {
    throw new InvalidArgumentError(firstLine(error));
  }
  return [...previous, value];
}

/** Injections of a JSON file: an array of spec strings or of {cohort, metric, effect, stage} objects. */
async function readInjectionFile(file: string): Promise<Injection[]> {
  let content: unknown;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read injections from ${file}: ${firstLine(error)}`, 1, { cause: error });
  }
  if (!Array.isArray(content)) throw new UserError(`injection file ${file} must hold a JSON array`);
  return content.map((item: unknown, i) => {
    try {
      return typeof item === 'string' ? parseInjection(item) : checkInjection(item as Injection);
    } catch (error) {
      throw new UserError(`injection file ${file}, item ${i}: ${firstLine(error)}`, 1, { cause: error });
    }
  });
}

async function injectionsFor(flags: SimulateFlags): Promise<Injection[]> {
  const given = [...flags.inject.map(parseInjection), ...(flags.injectFile ? await readInjectionFile(flags.injectFile) : [])];
  if (!flags.regression) {
    if (given.length > 0) throw new UserError('--no-regression cannot be combined with --inject or --inject-file');
    return [];
  }
  return given.length > 0 ? given : defaultInjectionSpecs(flags.tenants).map(parseInjection);
}

function summary(result: WrittenSimulation, seconds: number): string {
  const { options, schedule, counts, truth } = result;
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const injections = truth.injections.map((i) => `${Object.entries(i.cohort).map(([k, v]) => `${k}=${v}`).join(',')} ${i.metric} ${i.effect > 0 ? '+' : ''}${i.effect} from ${i.stage}`);
  return [
    `Simulated ${counts.events.toLocaleString('en-US')} login events of ${counts.users.toLocaleString('en-US')} users in ${options.tenants} tenants`,
    `over ${options.days} days from ${options.start.toISOString().slice(0, 10)} (seed ${options.seed}, routing by ${options.routing})`,
    `in ${seconds.toFixed(1)} s: baseline until ${schedule.baseline.end.toISOString().slice(0, 10)},`,
    `${schedule.stages.map((s) => `${s.name} ${Math.round(s.share * 100)}% from ${s.start.toISOString().slice(0, 10)}`).join(', ')},`,
    `post-rollout from ${schedule.post.start.toISOString().slice(0, 10)};`,
    `${pct(counts.candidate_events / Math.max(1, counts.events))} of events on the candidate, success rate ${pct(counts.success_rate)},`,
    `${truth.incidents.length} upstream incidents,`,
    injections.length > 0 ? `injected: ${injections.join('; ')}.` : 'no injected effect (A/A).',
    `Wrote ${result.files.length - 2} event files, plan.json and truth.json to ${result.files[0]?.replace(/\/[^/]*$/, '') ?? ''}.`,
  ].join(' ');
}

/** Registers `stagewise simulate`: synthetic login history with a staged rollout, its plan and its ground truth. */
export const registerSimulate: RegisterCommand = (cli: Command, context) => {
  cli
    .command('simulate')
    .description('write synthetic login history with a staged rollout, the plan file and the ground truth (truth.json)')
    .requiredOption('--out <dir>', 'directory for events-week-NN.<format>, plan.json and truth.json')
    .option('--seed <n>', 'seed of every random draw', parseSeed, SIMULATE_DEFAULTS.seed)
    .option('--days <n>', 'days of history', parseDays, SIMULATE_DEFAULTS.days)
    .option('--tenants <n>', 'number of tenants', parsePositiveInt, SIMULATE_DEFAULTS.tenants)
    .option('--start <date>', 'first day (UTC), YYYY-MM-DD', parseStartDate, SIMULATE_DEFAULTS.start)
    .option('--events-per-day <n>', 'mean login events per day', parsePositiveInt, SIMULATE_DEFAULTS.eventsPerDay)
    .addOption(new Option('--routing <unit>', 'what the rollout router hashes').choices(['user', 'tenant']).default('user'))
    .option('--inject <spec>', "effect on candidate traffic, e.g. 'tenant=t012:success_rate:-0.02@stage-2' (repeatable)", collectInjection, [])
    .option('--inject-file <file>', 'JSON array of injection specs or {cohort, metric, effect, stage} objects')
    .addOption(new Option('--format <format>', 'event file format').choices(['parquet', 'csv', 'jsonl']).default('parquet'))
    .option('--no-regression', 'inject nothing: the candidate is exactly as good as legacy (A/A)')
    .action(async (flags: SimulateFlags) => {
      const started = Date.now();
      const options: SimulateOptions = {
        seed: flags.seed,
        days: flags.days,
        tenants: flags.tenants,
        start: flags.start,
        eventsPerDay: flags.eventsPerDay,
        routing: flags.routing,
        injections: await injectionsFor(flags),
      };
      const result = await withStore(':memory:', context.store, async ({ connection }) => {
        try {
          return await writeSimulation(connection, options, flags.out, flags.format);
        } catch (error) {
          if (error instanceof RangeError) throw new UserError(error.message, 1, { cause: error });
          throw error;
        }
      });
      console.log(summary(result, (Date.now() - started) / 1000));
    });
};
