import normal from '@stdlib/stats-base-dists-normal';
import { cohortKey, dimensionsText } from '../baseline/cohort-key.js';
import { fitBetaMoments } from '../stats/fit-beta-moments.js';
import { projectionVariance } from '../evaluate/projection.js';
import { mdeBaselineOnly } from '../stats/mde-baseline-only.js';
import { sequentialMdeFactor } from '../stats/sequential-mde-factor.js';
import type { CohortBaseline, Dimension, StagePlanRow } from '../types.js';
import type { Plan, PlanMetric, PlanStage } from './plan.js';

/** What planning needs of a cohort beyond its baselines: traffic by hour-of-week and how its units cluster. */
export interface CohortTraffic {
  /** Mean legacy attempts per hour for each hour-of-week (168) over the baseline period. */
  attemptsPerHour: Float64Array;
  /** Design effect of the failure rate from per-user sums (user clustering, retries). */
  designEffect: number;
  /** Tenants in the cohort, and the effective number (Σv)²/Σv² by attempts. */
  tenants: number;
  tenantsEffective: number;
  /** Standard deviation of log(ms) of one latency observation (from the baseline histogram); 0 if none. */
  logSd: number;
}

/** The baselines and traffic `stagePlan` works from. */
export interface PlanningInputs {
  /** Every cohort × metric of a snapshot. */
  cohorts: readonly CohortBaseline[];
  /** `dimensionsText(dims) + '|' + cohortKey` → traffic. */
  traffic: ReadonlyMap<string, CohortTraffic>;
  /** The baseline period's first hour and the hour after its last. */
  baselineFrom: Date;
  baselineTo: Date;
}

/** Longest stage `stagePlan` suggests lengthening to, in multiples of the planned length. */
export const MAX_LENGTHEN = 4;
const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;

/**
 * Hours of each hour-of-week in [from, to): hour-of-week = (ISO dow − 1)·24 + UTC hour.
 */
export function hourOfWeekCounts(from: Date, to: Date): Float64Array {
  const counts = new Float64Array(HOURS_PER_WEEK);
  for (let t = Math.ceil(from.getTime() / HOUR_MS); t < Math.ceil(to.getTime() / HOUR_MS); t++) {
    const how = ((Math.floor(t / 24) + 3) % 7) * 24 + (t % 24);
    counts[how] = (counts[how] ?? 0) + 1;
  }
  return counts;
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);

/**
 * What each stage can see for each cohort × metric (statistics.md 7): expected attempts on each
 * provider from the cohort's hour-of-week volumes over the stage × share, the minimum detectable
 * regression at the plan's α and power for one look (fixed) and hourly looks (sequential, the
 * mixture-boundary factor of `sequentialMdeFactor`), and advice when the tolerance is below it.
 *
 * Designs: with user routing (share < 1) both providers serve the cohort concurrently:
 *     MDE = (z_{1−α/2} + z_{1−β}) √(DE p₀q₀ (1/n_T + 1/n_C))     (rates; Fleiss normal form, DE = user clustering)
 * With tenant routing a tenant moves whole: a cohort inside one tenant, or with fewer than one
 * effective tenant expected on either side, has no concurrent control and is judged against its
 * projected baseline (`mdeBaselineOnly`: the τ² floor no volume removes, and the projection's own
 * variance at the stage — level, trend extrapolated to the stage's middle, × the snapshot's
 * stage-length placebo factor, as `projectionVariance` gives evaluate; n_T is then the cohort's
 * whole volume, as the MDE is what it can show if it moves); otherwise DE also carries the
 * tenant clustering 1 + (m − 1)ρ_t (Kish), m attempts per effective tenant, ρ_t fitted across
 * the plan's tenant cohorts. Latency quantiles (relative): Var(log Q̂) ≈ σ² q(1 − q)/(n φ(z_q)²)
 * per arm. Shadow mismatch: one-sided, one sample, at the tolerated rate.
 */
export function stagePlan(plan: Plan, inputs: PlanningInputs, options: { stage?: string } = {}): StagePlanRow[] {
  const stages = plan.stages.filter((s) => options.stage === undefined || s.name === options.stage);
  const z = normal.quantile(1 - plan.alpha / 2, 0, 1) + normal.quantile(plan.power, 0, 1);
  const zOneSided = normal.quantile(1 - plan.alpha, 0, 1) + normal.quantile(plan.power, 0, 1);
  const sequential = sequentialMdeFactor(plan.alpha, plan.power).mdeRatio;
  const baselineHours = hourOfWeekCounts(inputs.baselineFrom, inputs.baselineTo);
  const metrics = new Map(plan.metrics.map((m) => [m.name, m]));
  const tenantRho = tenantClustering(inputs.cohorts);
  const trafficOf = new Map<CohortBaseline, CohortTraffic>();
  for (const cohort of inputs.cohorts) {
    const traffic = inputs.traffic.get(`${dimensionsText(cohort.dimensions)}|${cohort.cohortKey}`);
    if (traffic) trafficOf.set(cohort, traffic);
  }
  const rows: StagePlanRow[] = [];
  for (const stage of stages) {
    const hours = hourOfWeekCounts(stage.start, stage.end);
    const hoursInStage = hours.reduce((sum, v) => sum + v, 0);
    const context: RowContext = {
      plan, stage, hours, baselineHours, z, zOneSided, sequential, tenantRho, hoursInStage, sums: new Map(), quantileFactors: new Map(),
    };
    const planned: { row: StagePlanRow; mde: Mde }[] = [];
    for (const cohort of inputs.cohorts) {
      const metric = metrics.get(cohort.metric);
      const traffic = trafficOf.get(cohort);
      if (metric && traffic) planned.push(planRow(context, cohort, metric, traffic));
    }
    adviseStage(planned, stage, context);
    afterMultiplicity(planned, context);
    for (const { row } of planned) rows.push(row);
  }
  return rows;
}

interface RowContext {
  plan: Plan;
  stage: PlanStage;
  hours: Float64Array;
  baselineHours: Float64Array;
  z: number;
  zOneSided: number;
  sequential: number;
  tenantRho: ReadonlyMap<string, number>;
  hoursInStage: number;
  /** Attempts over the stage and the baseline per traffic profile, and quantile factors: computed once per stage. */
  sums: Map<CohortTraffic, { stage: number; baseline: number }>;
  quantileFactors: Map<number, number>;
}

/** ρ across the plan's single-tenant cohorts, per metric (rates), for tenant-routing clustering. */
function tenantClustering(cohorts: readonly CohortBaseline[]): Map<string, number> {
  const byMetric = new Map<string, { x: number; n: number }[]>();
  for (const c of cohorts) {
    if (c.dimensions.length !== 1 || c.dimensions[0] !== 'tenant' || !(c.n >= 1)) continue;
    const rows = byMetric.get(c.metric) ?? [];
    rows.push({ x: Math.round(c.x), n: Math.round(c.n) });
    byMetric.set(c.metric, rows);
  }
  const rho = new Map<string, number>();
  for (const [metric, rows] of byMetric) {
    try {
      rho.set(metric, fitBetaMoments(rows).rho);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // fewer than two tenants, or no events: unknown
    }
  }
  return rho;
}

/** Expected observations of the metric over the stage (all providers), and whether the cohort keeps a concurrent control. */
function volumes(context: RowContext, cohort: CohortBaseline, traffic: CohortTraffic) {
  const sums = trafficSums(context, traffic);
  // mfa_rate counts attempts with a known MFA outcome, latency those with a latency: scale by the baseline's ratio.
  const ratio = cohort.metric.startsWith('shadow') || sums.baseline <= 0 ? 1 : Math.min(cohort.n / sums.baseline, 1);
  const total = sums.stage * ratio;
  const { share, unit } = context.stage;
  const wholeTenant = unit === 'tenant' && (cohort.dimensions.includes('tenant') || traffic.tenantsEffective * Math.min(share, 1 - share) < 1);
  return { total, control: share < 1 && !wholeTenant, hours: context.hoursInStage };
}

/** Attempts over the stage and over the baseline period, once per cohort and stage (the metrics of a cohort share them). */
function trafficSums(context: RowContext, traffic: CohortTraffic): { stage: number; baseline: number } {
  let sums = context.sums.get(traffic);
  if (!sums) {
    sums = { stage: dot(traffic.attemptsPerHour, context.hours), baseline: dot(traffic.attemptsPerHour, context.baselineHours) };
    context.sums.set(traffic, sums);
  }
  return sums;
}

function planRow(context: RowContext, cohort: CohortBaseline, metric: PlanMetric, traffic: CohortTraffic): { row: StagePlanRow; mde: Mde } {
  const { stage, sequential } = context;
  const volume = volumes(context, cohort, traffic);
  const mde = mdeFor(context, cohort, metric, traffic, volume);
  const row: StagePlanRow = {
    stage: stage.name,
    dimensions: cohort.dimensions,
    cohort: cohort.cohort,
    metric: cohort.metric,
    expected_n_candidate: stage.share * volume.total,
    expected_n_legacy: (1 - stage.share) * volume.total,
    baseline_value: metric.family === 'shadow' ? metric.tolerance : cohort.mean,
    mde_fixed: mde.mde,
    mde_sequential: mde.mde * sequential,
    mde_sequential_bh: Infinity,
    family_size: 0,
    tolerance: metric.tolerance,
    detectable: false,
  };
  row.detectable = Number.isFinite(row.mde_sequential) && metric.tolerance >= row.mde_sequential;
  return { row, mde };
}

/**
 * A fixed-horizon MDE and its variance split into the part that shrinks as 1/(stage length) and
 * the part that does not (the baseline's own uncertainty): `mde = f(z √(scalable + floor))`,
 * f the identity for rates and expm1 for latency (relative).
 */
interface Mde {
  mde: number;
  scalable: number;
  floor: number;
  z: number;
  relative: boolean;
  /** The shadow test is one-sided (an increase only). */
  oneSided?: boolean;
}

const NONE: Mde = { mde: Infinity, scalable: Infinity, floor: 0, z: 1, relative: false };

/** The fixed-horizon MDE of one cohort × metric in a stage of `hours` hours with `total` observations. */
function mdeFor(
  context: RowContext,
  cohort: CohortBaseline,
  metric: PlanMetric,
  traffic: CohortTraffic,
  stage: { total: number; control: boolean; hours: number },
): Mde {
  const { z, zOneSided, plan } = context;
  const share = context.stage.share;
  if (!(stage.total > 0) || !(stage.hours > 0)) return NONE;
  if (metric.family === 'shadow') {
    const p0 = metric.tolerance;
    const scalable = (p0 * (1 - p0)) / (share * stage.total);
    return { mde: zOneSided * Math.sqrt(scalable), scalable, floor: 0, z: zOneSided, relative: false, oneSided: true };
  }
  if (metric.family === 'latency_quantile') {
    const perObservation = traffic.logSd ** 2 * quantileFactor(context, metric.quantile ?? 0.5);
    const scalable = stage.control
      ? perObservation * (1 / (share * stage.total) + 1 / ((1 - share) * stage.total))
      : perObservation / stage.total + cohort.tau2 / stage.hours;
    const floor = stage.control ? 0 : projectionVariance(cohort, projectionDays(context, cohort));
    return { mde: Math.expm1(z * Math.sqrt(scalable + floor)), scalable, floor, z, relative: true };
  }
  const p0 = Math.min(Math.max(cohort.mean, 1e-9), 1 - 1e-9);
  const pq = p0 * (1 - p0);
  if (!stage.control) {
    // The projection's own uncertainty at the stage: level, trend extrapolated to the stage's middle, × the placebo factor.
    const varianceBaseline = projectionVariance(cohort, projectionDays(context, cohort)) * pq * pq;
    const { mde } = mdeBaselineOnly({
      p0,
      nPerWindow: stage.total / stage.hours,
      windows: stage.hours,
      tau2: cohort.tau2 * pq * pq,
      varianceBaseline,
      alpha: plan.alpha,
      power: plan.power,
    });
    // (p0 q0 / n_w + τ²)/W shrinks with the number of windows; Var(baseline) does not.
    return { mde, scalable: Math.max((mde / z) ** 2 - varianceBaseline, 0), floor: varianceBaseline, z, relative: false };
  }
  const nT = share * stage.total;
  const nC = (1 - share) * stage.total;
  let designEffect = Math.max(traffic.designEffect, 1);
  if (context.stage.unit === 'tenant') {
    const rho = context.tenantRho.get(cohort.metric) ?? 0;
    designEffect = Math.max(designEffect, 1 + (stage.total / Math.max(traffic.tenantsEffective, 1) - 1) * rho);
  }
  const scalable = designEffect * pq * (1 / nT + 1 / nC);
  return { mde: z * Math.sqrt(scalable), scalable, floor: 0, z, relative: false };
}

/** Days from the baseline's tBar to the middle of the stage (the trend's extrapolation, as `stagewise evaluate` projects it). */
function projectionDays(context: RowContext, cohort: CohortBaseline): number {
  const middle = (context.stage.start.getTime() + context.stage.end.getTime()) / 2;
  return (middle - cohort.tBar.getTime()) / 86_400_000;
}

/** q(1 − q)/φ(z_q)²: the variance of a sample q-quantile of a normal, per observation and σ² (cached per q). */
function quantileFactor(context: RowContext, q: number): number {
  let factor = context.quantileFactors.get(q);
  if (factor === undefined) {
    factor = (q * (1 - q)) / normal.pdf(normal.quantile(q, 0, 1), 0, 1) ** 2;
    context.quantileFactors.set(q, factor);
  }
  return factor;
}

/**
 * Advice for the undetectable rows of one stage: lengthen the stage when a length up to
 * `MAX_LENGTHEN` times the planned one would do (the scalable variance falls as 1/length, with
 * the stage's volume profile repeated); else judge the cohort through a detectable parent (a
 * single-dimension projection with the fewest expected attempts, or everyone).
 */
function adviseStage(planned: readonly { row: StagePlanRow; mde: Mde }[], stage: PlanStage, context: RowContext): void {
  const byKey = new Map(planned.map(({ row: r }) => [`${r.metric}|${cohortKey(r.cohort, r.dimensions)}|${r.dimensions.length}`, r]));
  const days = (stage.end.getTime() - stage.start.getTime()) / 86_400_000;
  for (const { row, mde } of planned) {
    if (row.detectable) continue;
    const factor = lengthFactor(row.tolerance / context.sequential, mde);
    if (factor <= MAX_LENGTHEN) {
      row.advice = `lengthen ${stage.name} to ~${Math.ceil(days * factor)} days`;
      continue;
    }
    const parent = detectableParent(row, byKey);
    row.advice = parent === undefined
      ? `untestable in ${stage.name}, even through a parent: raise the share or aggregate`
      : `judge through parent ${parent === '' ? 'everyone' : parent}`;
  }
}

/**
 * The sequential MDE once Benjamini–Hochberg runs over the stage's m cohort × metric results, as
 * `stagewise evaluate` does: a single regressed result among m nulls is rejected when its p ≤ α/m,
 * so its MDE is the same formula at level α/m (`z_{1−α/(2m)} + z_{1−β}`, one-sided for shadow)
 * times the mixture-boundary factor at α/m. With several true regressions BH's threshold is
 * k·α/m and the figure is conservative. This is what "detectable" means for a team that wants
 * the verdict, not just the per-cohort test, to fire.
 */
function afterMultiplicity(planned: readonly { row: StagePlanRow; mde: Mde }[], context: RowContext): void {
  const m = Math.max(planned.length, 1);
  const { alpha, power } = context.plan;
  const zPower = normal.quantile(power, 0, 1);
  const twoSided = normal.quantile(1 - alpha / (2 * m), 0, 1) + zPower;
  const oneSided = normal.quantile(1 - alpha / m, 0, 1) + zPower;
  const sequential = sequentialMdeFactor(alpha / m, power).mdeRatio;
  for (const { row, mde } of planned) {
    const z = mde.oneSided ? oneSided : twoSided;
    const sd = Math.sqrt(mde.scalable + mde.floor);
    row.mde_sequential_bh = (mde.relative ? Math.expm1(z * sd) : z * sd) * sequential;
    row.family_size = m;
  }
}

/** How many times longer the stage must be for the fixed MDE to reach `target` (∞ when the floor alone exceeds it). */
function lengthFactor(target: number, mde: Mde): number {
  const limit = ((mde.relative ? Math.log1p(target) : target) / mde.z) ** 2 - mde.floor;
  return limit > 0 && Number.isFinite(mde.scalable) ? mde.scalable / limit : Infinity;
}

function detectableParent(row: StagePlanRow, byKey: ReadonlyMap<string, StagePlanRow>): string | undefined {
  const candidates: StagePlanRow[] = [];
  if (row.dimensions.length > 1) {
    for (const dim of row.dimensions) {
      const key = cohortKey(row.cohort, [dim as Dimension]);
      const parent = byKey.get(`${row.metric}|${key}|1`);
      if (parent?.detectable) candidates.push(parent);
    }
  }
  if (candidates.length > 0) {
    const best = candidates.reduce((a, b) => (b.expected_n_candidate < a.expected_n_candidate ? b : a));
    return cohortKey(best.cohort, best.dimensions);
  }
  const everyone = byKey.get(`${row.metric}||0`);
  return row.dimensions.length > 0 && everyone?.detectable ? '' : undefined;
}
