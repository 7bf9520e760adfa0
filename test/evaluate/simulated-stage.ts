import type { PlanMetric } from '../../src/plan/plan.js';
import { seededRandom, type SeededRandom } from '../../src/stats/random.js';
import { mixtureTau2 } from '../../src/stats/mixture-tau2.js';
import { ExpectedMix } from '../../src/evaluate/expected-mix.js';
import type { CohortMetricInput, RateArm } from '../../src/evaluate/hourly-stats.js';
import { plannedVariance } from '../../src/evaluate/planned-variance.js';
import type { UnitCounts } from '../../src/evaluate/srm.js';
import type { Cohort } from '../../src/types.js';

/**
 * Per-cohort hourly statistics of one rollout stage, simulated in JS (no DuckDB) for the
 * calibration and power checks: tenants nested in IdPs, hour-of-day traffic, population drift
 * (a trend and a shared incident), logit-normal window shocks per tenant-hour, users with
 * several attempts and heterogeneous failure propensity (design effect > 1), and a baseline
 * whose level is known only up to its estimation error.
 */
export interface SimulationOptions {
  seed: number;
  routing: 'user' | 'tenant';
  tenants: number;
  idps: number;
  hours: number;
  share: number;
  /** Mean attempts per tenant-hour. */
  attemptsPerHour: number;
  /** Failure rate around which tenants' rates scatter. */
  failureRate: number;
  /** Window shock sd on the logit scale. */
  shockSd: number;
  /** Drift on the logit scale per hour, and a shared incident. */
  driftPerHour: number;
  incident: { start: number; end: number; logit: number };
  /** Baseline hours the tenants' levels were estimated from. */
  baselineHours: number;
  alpha: number;
  tolerance: number;
  /** Mean attempts per hour of particular tenants (by name), instead of a random draw around attemptsPerHour. */
  volumes?: Record<string, number>;
  /** Injected regression: candidate failure rate + `increase` in the scope's tenants from hour `start`. */
  regression?: { scope: Cohort; increase: number; start: number };
}

/** Defaults: 60 tenants on 6 IdPs, 48 hourly looks at 20%. */
export const DEFAULT_SIMULATION: SimulationOptions = {
  seed: 1,
  routing: 'user',
  tenants: 60,
  idps: 6,
  hours: 48,
  share: 0.2,
  attemptsPerHour: 120,
  failureRate: 0.05,
  shockSd: 0.15,
  driftPerHour: 0.004,
  incident: { start: 20, end: 24, logit: 0.8 },
  baselineHours: 672,
  alpha: 0.05,
  tolerance: 0.01,
};

export const SUCCESS_RATE: PlanMetric = { name: 'success_rate', family: 'rate', tolerance: 0.01, direction: 'higher_is_better' };

/** A simulated stage: the evaluation inputs (all hours; truncate with `hours` for earlier looks), units for SRM, and the naive test's data. */
export interface SimulatedStage {
  inputs: CohortMetricInput[];
  units: UnitCounts[];
  /** Per cohort of `inputs`, the candidate arm and all legacy traffic outside the cohort (the naive comparison). */
  naive: { candidate: RateArm; others: RateArm }[];
  metric: PlanMetric;
}

interface Tenant {
  cohort: Cohort;
  idp: string;
  volume: number;
  level: number;
  levelError: number;
  varLevel: number;
  candidate: boolean;
}

const newArm = (hours: number): Required<Pick<RateArm, 'n' | 'x'>> & { units: NonNullable<RateArm['units']> } => ({
  n: new Float64Array(hours),
  x: new Float64Array(hours),
  units: { K: new Float64Array(hours), sxx: new Float64Array(hours), snn: new Float64Array(hours), sxn: new Float64Array(hours) },
});
type Arm = ReturnType<typeof newArm>;

function addInto(target: Arm, source: Arm): void {
  for (let h = 0; h < target.n.length; h++) {
    target.n[h] = (target.n[h] ?? 0) + (source.n[h] ?? 0);
    target.x[h] = (target.x[h] ?? 0) + (source.x[h] ?? 0);
    for (const key of ['K', 'sxx', 'snn', 'sxn'] as const) target.units[key][h] = (target.units[key][h] ?? 0) + (source.units[key][h] ?? 0);
  }
}

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (t: number): number => 1 / (1 + Math.exp(-t));

function simulateHour(random: SeededRandom, arms: [Arm, Arm], h: number, attempts: number, rates: [number, number], share: number | null, candidateTenant: boolean): [number, number] {
  const users = random.poisson(attempts / 2.2);
  const seen: [number, number] = [0, 0];
  for (let u = 0; u < users; u++) {
    const arm = share === null ? (candidateTenant ? 0 : 1) : random.uniform() < share ? 0 : 1;
    const m = 1 + Math.floor(-Math.log(1 - random.uniform()) * 1.2);
    const propensity = Math.min((rates[arm] ?? 0) * (random.uniform() < 0.8 ? 0.5 : 3), 0.99);
    let failures = 0;
    for (let i = 0; i < m; i++) if (random.uniform() < propensity) failures++;
    const successes = m - failures;
    const target = arms[arm];
    target.n[h] = (target.n[h] ?? 0) + m;
    target.x[h] = (target.x[h] ?? 0) + successes;
    target.units.K[h] = (target.units.K[h] ?? 0) + 1;
    target.units.sxx[h] = (target.units.sxx[h] ?? 0) + successes * successes;
    target.units.snn[h] = (target.units.snn[h] ?? 0) + m * m;
    target.units.sxn[h] = (target.units.sxn[h] ?? 0) + successes * m;
    seen[arm] += 1;
  }
  return seen;
}

/** Simulates one stage and returns its evaluation inputs (success_rate; cohorts: everyone, each IdP, each tenant). */
export function simulateStage(options: SimulationOptions): SimulatedStage {
  const o = options;
  const random = seededRandom(o.seed);
  const metric: PlanMetric = { ...SUCCESS_RATE, tolerance: o.tolerance };
  const tenants: Tenant[] = Array.from({ length: o.tenants }, (_, i) => {
    const idp = `idp${i % o.idps}`;
    const drawn = o.attemptsPerHour * Math.exp(0.5 * random.normal() - 0.125);
    const volume = o.volumes?.[`t${i}`] ?? drawn;
    const level = logit(o.failureRate) + 0.4 * random.normal();
    const p = expit(level);
    const varLevel = 1 / (o.baselineHours * volume * p * (1 - p)) * 2 + o.shockSd ** 2 / o.baselineHours;
    return { cohort: { tenant: `t${i}`, idp }, idp, volume, level, levelError: Math.sqrt(varLevel) * random.normal(), varLevel, candidate: random.uniform() < o.share };
  });
  const arms = tenants.map(() => [newArm(o.hours), newArm(o.hours)] as [Arm, Arm]);
  const unitsSeen = tenants.map(() => [0, 0]);
  const regressed = (t: Tenant) => o.regression && Object.entries(o.regression.scope).every(([k, v]) => t.cohort[k as 'tenant'] === v);
  for (let h = 0; h < o.hours; h++) {
    const season = 1 + 0.5 * Math.sin((2 * Math.PI * h) / 24);
    const drift = o.driftPerHour * h + (h >= o.incident.start && h < o.incident.end ? o.incident.logit : 0);
    tenants.forEach((t, i) => {
      const failure = expit(t.level + drift + o.shockSd * random.normal());
      const extra = regressed(t) && h >= (o.regression?.start ?? 0) ? (o.regression?.increase ?? 0) : 0;
      const seen = simulateHour(random, arms[i] as [Arm, Arm], h, t.volume * season, [failure + extra, failure], o.routing === 'user' ? o.share : null, t.candidate);
      const tally = unitsSeen[i] as number[];
      tally[0] = (tally[0] ?? 0) + seen[0];
      tally[1] = (tally[1] ?? 0) + seen[1];
    });
  }
  return assemble(o, metric, tenants, arms, unitsSeen);
}

function assemble(o: SimulationOptions, metric: PlanMetric, tenants: Tenant[], arms: [Arm, Arm][], unitsSeen: number[][]): SimulatedStage {
  const groups: { cohort: Cohort; members: number[] }[] = [
    { cohort: {}, members: tenants.map((_, i) => i) },
    ...Array.from({ length: o.idps }, (_, k) => ({ cohort: { idp: `idp${k}` }, members: tenants.flatMap((t, i) => (t.idp === `idp${k}` ? [i] : [])) })),
    ...tenants.map((t, i) => ({ cohort: t.cohort, members: [i] })),
  ];
  const allLegacy = newArm(o.hours);
  arms.forEach(([, legacy]) => addInto(allLegacy, legacy));
  const legacyMix = new ExpectedMix(o.hours);
  tenants.forEach((t, i) => {
    for (let h = 0; h < o.hours; h++) legacyMix.add(h, arms[i]?.[1].n[h] ?? 0, -(t.level + t.levelError), Math.sqrt(t.varLevel), o.shockSd ** 2);
  });
  const drift = legacyMix.drift(allLegacy);
  const inputs: CohortMetricInput[] = [];
  const naive: SimulatedStage['naive'] = [];
  const units: UnitCounts[] = [];
  for (const { cohort, members } of groups) {
    const [candidate, legacy] = [newArm(o.hours), newArm(o.hours)];
    members.forEach((i) => {
      addInto(candidate, arms[i]?.[0] as Arm);
      addInto(legacy, arms[i]?.[1] as Arm);
    });
    if (candidate.n.every((n) => n === 0)) continue;
    const p = 1 - o.failureRate;
    const volume = members.reduce((s, i) => s + (tenants[i]?.volume ?? 0), 0);
    const design = o.routing === 'user' ? 'within_cohort_split' : 'difference_in_differences';
    const vStar = plannedVariance({ design, family: 'rate', rate: p, expectedN: volume * o.hours, share: o.share, hours: o.hours, tau2: o.shockSd ** 2, varLevel: 0 });
    const input: CohortMetricInput = { cohort, metric, design, hours: o.hours, plannedLooks: o.hours, alpha: o.alpha, tau2: mixtureTau2(vStar, o.alpha), rate: { candidate, legacy } };
    if (design === 'difference_in_differences') {
      const mix = new ExpectedMix(o.hours);
      members.forEach((i) => {
        const t = tenants[i] as Tenant;
        for (let h = 0; h < o.hours; h++) mix.add(h, arms[i]?.[0].n[h] ?? 0, -(t.level + t.levelError), Math.sqrt(t.varLevel), o.shockSd ** 2);
      });
      input.rate = { candidate, legacy, expectation: { ...mix.expectation(), drift } };
    }
    inputs.push(input);
    naive.push({ candidate, others: allLegacy });
    let [seenT, seenC] = [0, 0];
    for (const i of members) [seenT, seenC] = [seenT + (unitsSeen[i]?.[0] ?? 0), seenC + (unitsSeen[i]?.[1] ?? 0)];
    const moved = members.filter((i) => tenants[i]?.candidate).length;
    units.push(o.routing === 'user' ? { cohort, candidate: seenT, legacy: seenC } : { cohort, candidate: moved, legacy: members.length - moved });
  }
  return { inputs, units, naive, metric };
}
