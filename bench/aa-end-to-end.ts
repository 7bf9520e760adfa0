// End-to-end A/A calibration of `stagewise evaluate` on the real simulator (src/simulate), through
// the CLI's own entry point: simulate --no-regression → ingest → baseline → evaluate every stage.
// Unlike bench/calibration.ts (a pure-JS stage model), the events here carry everything the
// simulator has: users who come back across hours with a failure frailty and an MFA offset,
// tenant × IdP hourly shocks, incidents, latency load effects, volume growth.
//
// Run: npx tsx bench/aa-end-to-end.ts [--seed 11] [--routing user|tenant] [--days 56] [--tenants 40]
//        [--events-per-day 20000] [--inject 'tenant=t003:success_rate:-0.02@stage-2'] [--keep DIR]
// Without --inject every regression / improvement at BH-adjusted p ≤ α is a false alarm. With
// --inject the results on the injected cohort × metric (and the cohorts containing it) from the
// injected stage on are counted as hits, not false alarms.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

interface Args {
  seed: number;
  routing: 'user' | 'tenant';
  days: number;
  tenants: number;
  eventsPerDay: number;
  inject?: string;
  keep?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: 11, routing: 'user', days: 56, tenants: 40, eventsPerDay: 20_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seed') args.seed = Number(value);
    else if (flag === '--routing') args.routing = value === 'tenant' ? 'tenant' : 'user';
    else if (flag === '--days') args.days = Number(value);
    else if (flag === '--tenants') args.tenants = Number(value);
    else if (flag === '--events-per-day') args.eventsPerDay = Number(value);
    else if (flag === '--inject') args.inject = value;
    else if (flag === '--keep') args.keep = value;
    else throw new Error(`unknown option ${flag}`);
    i++;
  }
  return args;
}

interface Result {
  cohort: Record<string, string>;
  metric: string;
  design: string;
  verdict: string;
  p_adjusted: number | null;
  effect: number | null;
}

/** Runs the CLI quietly (its report text is not needed, the JSON is) and fails on an unexpected exit code. */
async function cli(argv: string[], allowed: readonly number[] = [0]): Promise<number> {
  const log = console.log;
  console.log = () => {};
  let code: number;
  try {
    code = await main(['node', 'stagewise', ...argv]);
  } finally {
    console.log = log;
  }
  if (!allowed.includes(code)) throw new Error(`stagewise ${argv[0]} exited ${code}`);
  return code;
}

/** Whether a result is on the injected cohort (or a cohort containing it) and metric. */
function injected(result: Result, spec: { cohort: Record<string, string>; metric: string } | undefined): boolean {
  if (!spec || result.metric !== spec.metric) return false;
  // A cohort contains the injected one when it fixes no dimension the injection fixes differently;
  // a hit needs the two to share at least one fixed dimension value, or be everyone.
  const dims = Object.keys(result.cohort);
  if (dims.some((d) => spec.cohort[d] !== undefined && spec.cohort[d] !== result.cohort[d])) return false;
  return dims.length === 0 || dims.some((d) => spec.cohort[d] === result.cohort[d]);
}

function parseInject(spec: string | undefined): { cohort: Record<string, string>; metric: string; stage: string } | undefined {
  if (!spec) return undefined;
  // COHORT:METRIC:EFFECT@STAGE; the metric may hold a colon itself (error_rate:upstream_timeout).
  const match = /^([^:]+):(.+):(-?[0-9.]+)@(.+)$/.exec(spec);
  if (!match) throw new Error(`cannot read --inject ${spec}`);
  const cohort = Object.fromEntries(match[1]!.split(',').map((kv) => kv.split('=') as [string, string]));
  return { cohort, metric: match[2]!, stage: match[4]! };
}

const args = parseArgs(process.argv.slice(2));
const spec = parseInject(args.inject);
const dir = args.keep ?? mkdtempSync(join(tmpdir(), 'stagewise-aa-'));
const [sim, db, plan] = [join(dir, 'sim'), join(dir, 'store.duckdb'), join(dir, 'sim', 'plan.json')];
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

try {
  await cli([
    'simulate', '--out', sim, '--seed', String(args.seed), '--days', String(args.days), '--tenants', String(args.tenants),
    '--events-per-day', String(args.eventsPerDay), '--routing', args.routing,
    ...(args.inject ? ['--inject', args.inject] : ['--no-regression']),
  ]);
  const files = readdirSync(sim).filter((f) => f.startsWith('events-')).sort().map((f) => join(sim, f));
  await cli(['ingest', ...files, '--db', db]);
  await cli(['baseline', '--db', db, '--plan', plan]);
  const stages = (JSON.parse(readFileSync(plan, 'utf8')) as { stages: { name: string; share: number }[]; alpha: number }).stages;
  const alpha = (JSON.parse(readFileSync(plan, 'utf8')) as { alpha?: number }).alpha ?? 0.05;
  console.log(`seed ${args.seed}, routing ${args.routing}, ${args.days} days, ${args.tenants} tenants, ${args.eventsPerDay} events/day, ${args.inject ?? 'A/A (no injection)'}; data ready after ${seconds()} s (${dir})`);
  console.log('stage    share  design                     results  false_reg  false_imp  hits   (false alarms: cohort metric effect p_adj)');
  let [stagesWithFalseRegression, injectedSeen] = [0, false];
  const totals = new Map<string, { results: number; reg: number; imp: number }>();
  for (const stage of stages) {
    injectedSeen ||= spec?.stage === stage.name;
    const out = join(dir, `ev-${stage.name}.json`);
    await cli(['evaluate', '--db', db, '--plan', plan, '--stage', stage.name, '--json', out], [0, 3]);
    const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: Result[] }).results;
    const flagged = (r: Result) => (r.verdict === 'regression' || r.verdict === 'improvement') && r.p_adjusted !== null && r.p_adjusted <= alpha;
    const byDesign = new Map<string, Result[]>();
    for (const r of results) byDesign.set(r.design, [...(byDesign.get(r.design) ?? []), r]);
    let anyFalseRegression = false;
    for (const [design, rs] of [...byDesign].sort()) {
      const hits = rs.filter((r) => flagged(r) && injectedSeen && injected(r, spec));
      const falseAlarms = rs.filter((r) => flagged(r) && !(injectedSeen && injected(r, spec)));
      const reg = falseAlarms.filter((r) => r.verdict === 'regression');
      const imp = falseAlarms.filter((r) => r.verdict === 'improvement');
      anyFalseRegression ||= reg.length > 0;
      const total = totals.get(design) ?? { results: 0, reg: 0, imp: 0 };
      totals.set(design, { results: total.results + rs.length, reg: total.reg + reg.length, imp: total.imp + imp.length });
      const show = falseAlarms
        .slice(0, 4)
        .map((r) => `${Object.entries(r.cohort).map(([k, v]) => `${k}=${v}`).join('|') || 'everyone'} ${r.metric} ${r.effect?.toPrecision(2)} ${r.p_adjusted?.toPrecision(2)}`)
        .join('; ');
      console.log(
        `${stage.name.padEnd(8)} ${String(stage.share).padEnd(6)} ${design.padEnd(26)} ${String(rs.length).padStart(7)}  ${String(reg.length).padStart(9)}  ${String(imp.length).padStart(9)}  ${String(hits.length).padStart(4)}   ${show}${falseAlarms.length > 4 ? ' …' : ''}`,
      );
    }
    if (anyFalseRegression) stagesWithFalseRegression++;
  }
  for (const [design, t] of totals) console.log(`all stages: ${design.padEnd(26)} ${t.results} results, ${t.reg} false regressions, ${t.imp} false improvements`);
  console.log(`stages with any false regression: ${stagesWithFalseRegression}/${stages.length} (${((100 * stagesWithFalseRegression) / stages.length).toFixed(0)}%); ${seconds()} s in all`);
} finally {
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
}
