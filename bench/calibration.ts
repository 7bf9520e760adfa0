// Calibration and power of stagewise evaluate on simulated stages (pure JS, no DuckDB).
// Run: npx tsx bench/calibration.ts [stages per scenario, default 200] [first seed, default 1]
// Each stage is evaluated at every hourly look, as if `stagewise evaluate` ran every hour.
import { calibrate, power } from '../test/evaluate/calibration-harness.js';
import { DEFAULT_SIMULATION, type SimulationOptions } from '../test/evaluate/simulated-stage.js';

const stages = Number(process.argv[2] ?? 200);
const seed0 = Number(process.argv[3] ?? 1);
const base = DEFAULT_SIMULATION;
const se = Math.sqrt((base.alpha * (1 - base.alpha)) / stages);
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

console.log(`simulation: ${base.tenants} tenants on ${base.idps} IdPs (cohorts: everyone, IdP, tenant×IdP), ${base.attemptsPerHour} attempts/tenant-hour (lognormal spread),`);
console.log(`  failure rate ${base.failureRate} (tenant logit sd 0.4), window shocks logit sd ${base.shockSd}, drift ${base.driftPerHour}/h, shared incident +${base.incident.logit} logit h${base.incident.start}-${base.incident.end},`);
console.log(`  users with 1 + Geometric attempts and 0.5×/3× propensity (design effect > 1), share ${base.share}, α ${base.alpha}, ${stages} stages per scenario, seeds ${seed0}…`);
console.log(`tolerance for "≤ α within simulation error": α + 2 SE = ${pct(base.alpha + 2 * se)}`);

const started = performance.now();
for (const routing of ['user', 'tenant'] as const) {
  const figures = calibrate({ ...base, routing }, stages, seed0);
  console.log(
    `A/A ${routing} routing (${base.hours} hourly looks): any false regression ${pct(figures.falseRegression)} ± ${pct(se)}; ` +
      `naive vs everyone else ${pct(figures.naive)}; naive within-cohort binomial hourly ${pct(figures.naiveWithin)}`,
  );
}

const scenarios: { name: string; options: SimulationOptions; target: Record<string, string> }[] = [
  { name: 'IdP (10 tenants), user routing, 72 h', options: { ...base, hours: 72, regression: { scope: { idp: 'idp0' }, increase: base.tolerance, start: 0 } }, target: { idp: 'idp0' } },
  { name: 'one tenant (1600/h), user routing, 48 h', options: { ...base, volumes: { t7: 1600 }, regression: { scope: { tenant: 't7' }, increase: base.tolerance, start: 0 } }, target: { tenant: 't7', idp: 'idp1' } },
  { name: 'IdP, tenant routing (DiD), 96 h', options: { ...base, routing: 'tenant', hours: 96, regression: { scope: { idp: 'idp0' }, increase: base.tolerance, start: 0 } }, target: { idp: 'idp0' } },
];
const powerStages = Math.max(20, Math.round(stages / 4));
for (const { name, options, target } of scenarios) {
  const f = power(options, target, powerStages, seed0);
  console.log(
    `power, −${(100 * base.tolerance).toFixed(1)}pp (the tolerance) on ${name}: planned ${pct(f.planned)}, ` +
      `found per cohort (p ≤ α) ${pct(f.detectedUnadjusted)}, found after BH ${pct(f.detected)} (median first look h${f.medianHour ?? '–'}), ` +
      `right scope ${pct(f.rightScope)} of found; ${f.stages} stages`,
  );
}
console.log(`elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`);
