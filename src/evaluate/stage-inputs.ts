import { cohortKey, parseCohortKey } from '../baseline/cohort-key.js';
import { cohortSets, type CohortSet } from '../baseline/cohort-sets.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import type { Plan, PlanMetric, PlanStage } from '../plan/plan.js';
import { histogramQuantile } from '../stats/histogram-quantile.js';
import { LATENCY_BIN_COUNT } from '../stats/latency-histogram.js';
import { mixtureTau2 } from '../stats/mixture-tau2.js';
import { woodruffInterval } from '../stats/woodruff-interval.js';
import type { RatioSums } from '../stats/ratio-variance.js';
import type { CohortBaseline, CohortResult, Design, Dimension, Period } from '../types.js';
import type { CandidateCell } from './cell-overlap.js';
import { addArm, addCellSeries, addErrorSeries, anyPositive, armBytes, byFirstHour, CELL_SERIES_FIELDS, cohortOf, emptyArm, latencyArm, rateArm, sumOf, type CellRow, type CohortSums, type ErrorRow, type LatencyRow } from './cohort-rollup.js';
import { acrossHoursScale } from './across-hours-scale.js';
import { carriedDrift, type CarriedDrift, type PreStageTraffic } from './carried-drift.js';
import { ExpectedMix } from './expected-mix.js';
import type { CohortMetricInput, LatencyArm, LatencyExpectation, RateArm, RateExpectation } from './hourly-stats.js';
import { plannedVariance } from './planned-variance.js';
import { projectionVariance, projectWindow } from './projection.js';
import { SeriesArena } from './series-arena.js';
import { BURN_IN_EVENTS } from './stream.js';
import type { UnitCounts } from './srm.js';
import { groupBy } from '../group-by.js';

const HOUR_MS = 3_600_000;

/** What the store returned for a stage window, and the baseline it is judged against. */
export interface StageData {
  plan: Plan;
  stage: PlanStage;
  window: Period;
  baseline: { cohorts: readonly CohortBaseline[]; shapes: ReadonlyMap<string, Float64Array> };
  cells: readonly CellRow[];
  errors: readonly ErrorRow[];
  latency: readonly LatencyRow[];
  baselineHistograms: readonly { dimensions: string; cohort_key: string; bin: number; count: number }[];
  units: readonly { set_id: number; cohort_key: string; provider: string; units: number }[];
  /**
   * The legacy latency histogram of each cell (union of the plan's dimensions) over the baseline
   * period, incident hours left out (`baselineCellLatency`); absent: latency DiD falls back to the
   * cohort histograms of the snapshot.
   */
  baselineCells?: readonly BaselineCellRow[];
  /** Per-user sums over the whole window (`windowUserSums`), for users who come back across hours; absent: no correction. */
  userSums?: readonly UserSumRow[];
  /** Legacy traffic of the hours before the stage, to carry the drift into a stage without legacy traffic. */
  preStage?: PreStageTraffic;
}

/** One row of `baselineCellLatency`. */
export type BaselineCellRow = Pick<CellRow, Dimension> & { bin: number; count: number };

/** One row of `windowUserSums`. */
export interface UserSumRow {
  set_id: number;
  cohort_key: string;
  provider: string;
  users: number;
  n: number;
  f: number;
  ff: number;
  nn: number;
  fn: number;
  k: number;
  c: number;
  cc: number;
  kk: number;
  ck: number;
}

/** The window's per-user sums for one rate metric (success and error rates share the failures' clustering). */
function windowSums(row: UserSumRow | undefined, metric: PlanMetric): RatioSums | undefined {
  if (!row) return undefined;
  if (metric.name === 'mfa_rate') return { K: row.users, Sx: row.c, Sn: row.k, Sxx: row.cc, Snn: row.kk, Sxn: row.ck };
  return { K: row.users, Sx: row.f, Sn: row.n, Sxx: row.ff, Snn: row.nn, Sxn: row.fn };
}

/** The stage reduced to per cohort × metric inputs, results that cannot be judged at all, and SRM counts. */
export interface StageInputs {
  inputs: CohortMetricInput[];
  unjudged: CohortResult[];
  units: UnitCounts[];
  /** Cohorts of the plan's sets with traffic in the window but none on the candidate (nothing to judge). */
  withoutCandidate: number;
  /** The window's cells (union of the plan's dimensions) with their candidate attempts. */
  cells: CandidateCell[];
}

interface Group {
  set: CohortSet;
  key: string;
  sums: CohortSums;
  /** Keys of the union cells the cohort covers, each once (a cell is added to its cohorts when first seen). */
  cells: string[];
}

/** The union of the plan's dimensions, in canonical order: the grain of the cell rows. */
export const unionDimensions = (plan: Pick<Plan, 'dimensions'>): Dimension[] =>
  DIMENSIONS.filter((d) => plan.dimensions.some((set) => set.includes(d)));

/** Sets evaluated: everyone and the plan's dimension sets. */
export const evaluatedSets = (plan: Pick<Plan, 'dimensions'>): CohortSet[] => cohortSets(plan).filter((s) => s.stored);

/**
 * Rolls the window's cell rows up to every cohort of the plan, picks each cohort's design, and
 * builds its expectation (statistics.md 2.1–2.3):
 *
 * - user routing, both providers in the cohort → within_cohort_split;
 * - otherwise, legacy traffic anywhere → difference_in_differences; none → baseline_projection.
 *   The expectation is the cohort's own projection when it moved whole and has a baseline;
 *   for a cohort mixing moved and unmoved tenants it is built from the finest baseline cohorts
 *   covering its candidate traffic, cell by cell (ExpectedMix). The drift is measured on all
 *   concurrent legacy traffic against the same finest-cell expectation, so a change in which
 *   tenants are left on legacy does not show up as drift.
 */
export function stageInputs(data: StageData): StageInputs {
  const { plan, window } = data;
  const hours = Math.round((window.to.getTime() - window.from.getTime()) / HOUR_MS);
  const sets = evaluatedSets(plan);
  const union = unionDimensions(plan);
  const { cells, groups, arena } = rollUp(data, sets, union, hours);
  const context = new Context(data, sets, union, hours, cells, groups, arena);
  const candidateCells = [...cells.values()].map(({ cohort, sums }) => ({ cohort, attempts: sumOf(sums.arms[0].attempts) }));
  const out: StageInputs = { inputs: [], unjudged: [], units: unitCounts(data, sets), withoutCandidate: 0, cells: candidateCells.filter((c) => c.attempts > 0) };
  const ordered = [...groups.values()].sort((x, y) => x.set.id - y.set.id || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  for (const group of ordered) {
    if (!anyPositive(group.sums.arms[0].attempts)) {
      out.withoutCandidate++;
      continue;
    }
    for (const metric of plan.metrics) {
      if (metric.family === 'rate') out.inputs.push(context.rateInput(group, metric));
      else if (metric.family === 'latency_quantile') {
        const input = context.latencyInput(group, metric);
        if ('verdict' in input) out.unjudged.push(input);
        else out.inputs.push(input);
      }
      // shadow_mismatch_rate: judged by the shadow analysis, joined through StageInput.shadowResults.
    }
  }
  return out;
}

type Cell = { cohort: CohortSums['cohort']; sums: CohortSums };

/**
 * The window's union cells and the plan's cohorts, each with its two arms' hourly sums: every cell
 * row's series into its cell, then each cell into the cohorts of every set that cover it (a few
 * vector adds per cell and set, not per row). Cells are kept in the order of their first hour with
 * traffic, ties in the rows' order, so sums over cells add up in a fixed order. The cells and cohorts
 * are found first, so that all their arms, and the cohorts' latency histograms, fit one buffer
 * (`arena`): V8 collects the whole heap for each ~64 MB that memory outside it grows by, and one
 * allocation grows it once.
 */
function rollUp(data: StageData, sets: readonly CohortSet[], union: readonly Dimension[], hours: number): { cells: Map<string, Cell>; groups: Map<string, Group>; arena: SeriesArena } {
  const { plan, window } = data;
  const startSec = window.from.getTime() / 1000;
  const armOf = (provider: string) => (provider === plan.providers.candidate ? 0 : provider === plan.providers.legacy ? 1 : undefined);
  const cells = new Map<string, Cell>();
  const groups = new Map<string, Group>();
  // Until every cell and cohort is known and the arena sized, their arms are this empty one.
  const unassigned = emptyArm(0);
  // A set of all the union's dimensions has one cell per cohort: its cohorts share their cell's arms.
  const isCellSet = (set: CohortSet) => set.dimensions.length === union.length;
  const groupOf = (set: CohortSet, row: Pick<CellRow, Dimension>, cell: Cell): Group => {
    const cohort = cohortOf(row, set.dimensions);
    const key = cohortKey(cohort, set.dimensions);
    const id = `${set.id}#${key}`;
    let group = groups.get(id);
    if (!group) {
      group = { set, key, sums: { cohort, arms: isCellSet(set) ? cell.sums.arms : [unassigned, unassigned] }, cells: [] };
      groups.set(id, group);
    }
    return group;
  };
  const cellOf = (row: Pick<CellRow, Dimension>): Cell => {
    const cohort = cohortOf(row, union);
    const key = cohortKey(cohort, union);
    let cell = cells.get(key);
    if (!cell) {
      cell = { cohort, sums: { cohort, arms: [unassigned, unassigned] } };
      cells.set(key, cell);
      for (const set of sets) groupOf(set, row, cell).cells.push(key);
    }
    return cell;
  };
  const cellRows = byFirstHour(data.cells, CELL_SERIES_FIELDS.length, startSec, hours).filter((row) => armOf(row.provider) !== undefined);
  const errorRows = byFirstHour(data.errors, 2, startSec, hours).filter((row) => armOf(row.provider) !== undefined);
  const cellOfRow = [...cellRows, ...errorRows].map(cellOf);
  const ownArms = [...groups.values()].filter((g) => !isCellSet(g.set));
  // Error series: at most one per error row in the cells, and one per code in the other cohorts' arms.
  const codes = new Set(errorRows.map((row) => row.error_code)).size;
  const errorBytes = (errorRows.length + 2 * ownArms.length * codes) * hours * Float64Array.BYTES_PER_ELEMENT;
  const arena = new SeriesArena(2 * (cells.size + ownArms.length) * armBytes(hours) + errorBytes + latencyBytes(data, groups.size, hours));
  // Cell-set cohorts hold their cell's pair of arms: that pair is filled in place.
  for (const { sums } of cells.values()) {
    sums.arms[0] = emptyArm(hours, arena);
    sums.arms[1] = emptyArm(hours, arena);
  }
  for (const group of ownArms) group.sums.arms = [emptyArm(hours, arena), emptyArm(hours, arena)];
  cellRows.forEach((row, i) => addCellSeries(cellOfRow[i]!.sums.arms[armOf(row.provider)!], row, startSec, hours));
  errorRows.forEach((row, i) => addErrorSeries(cellOfRow[cellRows.length + i]!.sums.arms[armOf(row.provider)!], row, startSec, hours));
  for (const group of ownArms) {
    for (const key of group.cells) {
      const cell = cells.get(key);
      if (!cell) continue;
      addArm(group.sums.arms[0], cell.sums.arms[0]);
      addArm(group.sums.arms[1], cell.sums.arms[1]);
    }
  }
  return { cells, groups, arena };
}

/** An upper bound on the bytes of the cohorts' latency histograms (`latencyArm`, two per cohort): the window's entries and the hour offsets. */
function latencyBytes(data: StageData, cohorts: number, hours: number): number {
  if (!data.plan.metrics.some((m) => m.family === 'latency_quantile')) return 0;
  let entries = 0;
  for (const row of data.latency) entries += Math.ceil(row.series.length / 3);
  return entries * (Int16Array.BYTES_PER_ELEMENT + Float64Array.BYTES_PER_ELEMENT) + 2 * cohorts * (4 * (hours + 1) + 3 * 8);
}

class Context {
  private readonly baselines = new Map<string, CohortBaseline>();
  private readonly projections = new Map<CohortBaseline, { eta: Float64Array; sd: Float64Array }>();
  private readonly drifts = new Map<string, RateExpectation['drift'] | undefined>();
  private readonly finestFirst: CohortSet[];
  private readonly legacyAnywhere: boolean;

  constructor(
    private readonly data: StageData,
    private readonly sets: readonly CohortSet[],
    private readonly union: readonly Dimension[],
    private readonly hours: number,
    private readonly cells: ReadonlyMap<string, { cohort: CohortSums['cohort']; sums: CohortSums }>,
    private readonly groups: ReadonlyMap<string, Group>,
    private readonly arena: SeriesArena,
  ) {
    for (const b of data.baseline.cohorts) this.baselines.set(`${b.dimensions.join(',')}|${b.cohortKey}|${b.metric}`, b);
    this.finestFirst = [...sets].sort((a, b) => b.dimensions.length - a.dimensions.length || a.id - b.id);
    this.legacyAnywhere = [...cells.values()].some((c) => anyPositive(c.sums.arms[1].attempts));
  }

  private baselineOf(dims: readonly Dimension[], key: string, metric: string): CohortBaseline | undefined {
    if (this.baselines.size === 0) return undefined;
    return this.baselines.get(`${dims.join(',')}|${key}|${metric}`);
  }

  /** The finest baseline cohort covering a cell (everyone's as the last resort). */
  private cellBaseline(cohort: CohortSums['cohort'], metric: string): CohortBaseline | undefined {
    for (const set of this.finestFirst) {
      const b = this.baselineOf(set.dimensions, cohortKey(cohort, set.dimensions), metric);
      if (b) return b;
    }
    return undefined;
  }

  private project(b: CohortBaseline, metric: string): { eta: Float64Array; sd: Float64Array } {
    let p = this.projections.get(b);
    if (!p) {
      p = projectWindow(b, this.data.baseline.shapes.get(`${b.shapeKey}|${metric}`), this.data.window.from.getTime(), this.hours);
      this.projections.set(b, p);
    }
    return p;
  }

  private plannedLooks(): number {
    return Math.round((this.data.stage.end.getTime() - this.data.stage.start.getTime()) / HOUR_MS);
  }

  private design(hasLegacy: boolean): Design {
    if (this.data.stage.unit === 'user' && hasLegacy) return 'within_cohort_split';
    return this.legacyAnywhere ? 'difference_in_differences' : 'baseline_projection';
  }

  /** The finest-cell expectation of the given cells' traffic on one arm (or both). */
  private mix(cellKeys: Iterable<string>, arm: 0 | 1 | 'both', metric: PlanMetric, drifted = false): ExpectedMix {
    const mix = new ExpectedMix(this.hours);
    for (const key of cellKeys) {
      const cell = this.cells.get(key);
      const b = cell && this.cellBaseline(cell.cohort, metric.name);
      if (!cell || !b) continue;
      const { eta, sd } = this.project(b, metric.name);
      const drift = drifted ? this.driftFor(cell.cohort, metric) : undefined;
      for (const a of arm === 'both' ? ([0, 1] as const) : [arm]) {
        const n = rateArm(cell.sums.arms[a], metric).n;
        for (let h = 0; h < this.hours; h++) {
          const d = drift?.d[h] ?? 0;
          const v = drift?.variance[h] ?? 0;
          mix.add(h, n[h] ?? 0, (eta[h] ?? Number.NaN) + d, sd[h] ?? 0, b.tau2 + v);
        }
      }
    }
    return mix;
  }

  private readonly idpDrifts = new Map<string, Map<string, NonNullable<RateExpectation['drift']>>>();
  /**
   * The drift a cell's traffic is corrected by, per hour: the drift of the legacy traffic on the
   * cell's IdP (statistics.md 2.2: "the control part of the same parent group"; an IdP incident hits
   * that IdP's moved and unmoved tenants alike), or of all legacy traffic in hours when its IdP has
   * none, or when the plan has no IdP dimension.
   */
  private driftFor(cohort: CohortSums['cohort'], metric: PlanMetric): NonNullable<RateExpectation['drift']> | undefined {
    const global = this.drift(metric);
    const idp = cohort.idp;
    if (idp === undefined || !global) return global;
    let byIdp = this.idpDrifts.get(metric.name);
    if (!byIdp) {
      byIdp = new Map();
      const keysByIdp = groupBy(this.cells, ([, cell]) => cell.cohort.idp ?? '', ([key]) => key);
      for (const [value, keys] of keysByIdp) {
        const observed = emptyArm(this.hours);
        for (const key of keys) {
          const arm = this.cells.get(key)?.sums.arms[1];
          if (arm) addArm(observed, arm);
        }
        const own = this.mix(keys, 1, metric).drift(rateArm(observed, metric));
        const n = rateArm(observed, metric).n;
        const d = own.d.map((v, h) => ((n[h] ?? 0) > 0 && (own.variance[h] ?? 0) > 0 ? v : (global.d[h] ?? 0)));
        const variance = own.variance.map((v, h) => ((n[h] ?? 0) > 0 && v > 0 ? v : (global.variance[h] ?? 0)));
        byIdp.set(value, { d, variance });
      }
      this.idpDrifts.set(metric.name, byIdp);
    }
    return byIdp.get(idp) ?? global;
  }

  /**
   * The expectation of a cohort that mixes moved and unmoved tenants: the finest cells under its
   * candidate traffic, shifted by what the cohort's own baseline knows and the finest cells do not
   * (an app or region whose rate differs from its tenants' average): per hour
   * `η_own − logit(finest-cell mix of all the cohort's traffic in the window)`.
   */
  private mixedExpectation(group: Group, metric: PlanMetric, own: CohortBaseline | undefined, drifted = false): RateExpectation {
    const candidate = this.mix(group.cells, 0, metric, drifted).expectation();
    if (!own) return candidate;
    const whole = this.mix(group.cells, 'both', metric).expectation();
    const { eta, sd } = this.project(own, metric.name);
    const logit = candidate.logit.map((value, h) => {
      const shift = (eta[h] ?? Number.NaN) - (whole.logit[h] ?? Number.NaN);
      return Number.isFinite(shift) ? value + shift : value;
    });
    const sdLogit = candidate.sdLogit.map((value, h) => value + (sd[h] ?? 0));
    return { ...candidate, logit, sdLogit };
  }

  private drift(metric: PlanMetric): RateExpectation['drift'] | undefined {
    if (!this.drifts.has(metric.name)) {
      const everyone = [...this.groups.values()].find((g) => g.set.dimensions.length === 0);
      const mix = this.mix(this.cells.keys(), 1, metric);
      this.drifts.set(metric.name, everyone ? mix.drift(rateArm(everyone.sums.arms[1], metric)) : undefined);
    }
    return this.drifts.get(metric.name);
  }

  private tau2(group: Group, metric: PlanMetric, design: Design): number {
    const own = this.baselineOf(group.set.dimensions, group.key, metric.name) ?? this.baselineOf([], '', metric.name);
    const stageHours = (this.data.stage.end.getTime() - this.data.stage.start.getTime()) / HOUR_MS;
    const arms = group.sums.arms;
    const seen = sumOf(arms[0].attempts) + sumOf(arms[1].attempts);
    const ownN = own && group.set.dimensions.length > 0 ? (own.n / Math.max(own.windows, 1)) * stageHours : 0;
    const expectedN = ownN > 0 ? ownN : (seen / Math.max(this.hours, 1)) * stageHours;
    const vStar = plannedVariance({
      design,
      family: metric.family === 'latency_quantile' ? 'latency_quantile' : 'rate',
      rate: metric.family === 'latency_quantile' ? (metric.quantile ?? 0.5) : (own?.mean ?? 0.5),
      expectedN: Math.max(expectedN, 1),
      share: design === 'within_cohort_split' ? this.data.stage.share : 1 - 1e-9,
      hours: stageHours,
      tau2: own?.tau2 ?? 0,
      varLevel: own?.varLevel ?? 0,
    });
    return mixtureTau2(vStar, this.data.plan.alpha);
  }

  /** One arm's rate series with its across-hours variance scale (set on the fresh object `rateArm` returns, not on a spread copy). */
  private scaledArm(group: Group, a: 0 | 1, provider: string, metric: PlanMetric): RateArm {
    const arm = rateArm(group.sums.arms[a], metric);
    arm.varianceScale = acrossHoursScale(arm, this.windowUserSums(group, provider, metric), this.hours);
    return arm;
  }

  rateInput(group: Group, metric: PlanMetric): CohortMetricInput {
    // No closures here or in other per-cohort code: under tsx (esbuild's keepNames) each one
    // created costs a defineProperty of its name.
    const hasLegacy = anyPositive(group.sums.arms[1].attempts);
    const design = this.design(hasLegacy);
    const candidate = this.scaledArm(group, 0, this.data.plan.providers.candidate, metric);
    const legacy = this.scaledArm(group, 1, this.data.plan.providers.legacy, metric);
    const base = { cohort: group.sums.cohort, metric, design, hours: this.hours, plannedLooks: this.plannedLooks(), alpha: this.data.plan.alpha, tau2: this.tau2(group, metric, design) };
    if (design === 'within_cohort_split') return { cohort: base.cohort, metric, design, hours: base.hours, plannedLooks: base.plannedLooks, alpha: base.alpha, tau2: base.tau2, rate: { candidate, legacy } };
    const own = this.baselineOf(group.set.dimensions, group.key, metric.name);
    if (design === 'difference_in_differences' && this.drift(metric)) {
      // Drift folded into each cell's expectation (its IdP's legacy traffic); the zero drift series only names the design.
      const expectation = this.mixedExpectation(group, metric, own, true);
      const zero = { d: new Float64Array(this.hours), variance: new Float64Array(this.hours) };
      return { ...base, rate: { candidate, legacy, expectation: { ...expectation, drift: zero } } };
    }
    let expectation: RateExpectation;
    if (own && !hasLegacy) {
      const { eta, sd } = this.project(own, metric.name);
      expectation = { logit: eta, sdLogit: sd, tau2Logit: new Float64Array(this.hours).fill(own.tau2) };
    } else {
      expectation = this.mixedExpectation(group, metric, own);
    }
    if (design === 'baseline_projection') {
      const carried = this.carried(metric);
      if (!carried) return { ...base, rate: { candidate, legacy, expectation } };
      const sdLogit = expectation.sdLogit.map((sd) => Math.sqrt(sd * sd + carried.varianceOfMean));
      return { ...base, rate: { candidate, legacy, expectation: { ...expectation, sdLogit, drift: carried.drift } } };
    }
    const drift = this.drift(metric);
    return { ...base, rate: { candidate, legacy, expectation: drift ? { ...expectation, drift } : expectation } };
  }

  latencyInput(group: Group, metric: PlanMetric): CohortMetricInput | CohortResult {
    const { candidate, legacy } = this.latencyArms(group);
    const hasLegacy = legacy.counts.length > 0;
    const design = this.data.stage.unit === 'user' && hasLegacy ? 'within_cohort_split' : this.design(false);
    const base = { cohort: group.sums.cohort, metric, design, hours: this.hours, plannedLooks: this.plannedLooks(), alpha: this.data.plan.alpha, tau2: this.tau2(group, metric, design) };
    if (design === 'within_cohort_split') return { cohort: base.cohort, metric, design, hours: base.hours, plannedLooks: base.plannedLooks, alpha: base.alpha, tau2: base.tau2, latency: { candidate, legacy } };
    const own = this.baselineOf(group.set.dimensions, group.key, metric.name);
    const everyone = this.baselineOf([], '', metric.name);
    const unjudged = (note: string): CohortResult => ({
      cohort: group.sums.cohort, metric: metric.name, design, verdict: 'insufficient_data', observed: null, expected: null, effect: null,
      ci: null, p_value: null, p_adjusted: null, n: sumOf(candidate.counts), n_control: 0, tolerance: metric.tolerance,
      method: 'none', note,
    });
    if (!own || !everyone) return unjudged(`no ${metric.name} baseline for this cohort: judge it through its parent cohort`);
    const p = this.project(own, metric.name);
    const days = (b: CohortBaseline) => this.meanDays(candidate, b);
    if (design === 'difference_in_differences') {
      const idp = this.idpReference(group, metric);
      const reference = idp?.arm ?? this.everyoneLegacy();
      const ratio = this.armBaselineRatio(group, metric, own.tau2, idp?.cells);
      const expectation: LatencyExpectation = ratio ?? {
        logOffset: this.latencyOffset(group, metric, p.eta.map((v, h) => v - (this.project(everyone, metric.name).eta[h] ?? 0))),
        varOffset: projectionVariance(own, days(own)) + projectionVariance(everyone, days(everyone)),
        tau2: own.tau2,
      };
      return { ...base, latency: { candidate, legacy: ratio ? reference : this.everyoneLegacy(), expectation } };
    }
    const histogram = this.baselineHistogram(group.set.dimensions, group.key);
    if (!histogram) return unjudged(`no baseline latency histogram for this cohort: judge it through its parent cohort`);
    // The pooled baseline quantile already holds the baseline's hour-of-week mix: each hour adds its
    // shape less the shape's volume-weighted baseline mean s̄ (else the load effect counts twice).
    const logQ = Math.log(histogramQuantile(histogram, metric.quantile ?? 0.5));
    const projected = p.eta.map((v) => logQ + v - own.level - (own.shapeMeanBaseline ?? 0));
    const varOffset = projectionVariance(own, days(own));
    return { ...base, latency: { candidate, expectation: { logOffset: projected, projectedLogQuantile: projected, varOffset, tau2: own.tau2 } } };
  }

  private readonly latencyArmsByGroup = new Map<Group, { candidate: LatencyArm; legacy: LatencyArm }>();
  /** The cohort's latency histograms on both providers, built once for all its latency metrics. */
  private latencyArms(group: Group): { candidate: LatencyArm; legacy: LatencyArm } {
    let arms = this.latencyArmsByGroup.get(group);
    if (!arms) {
      const rows = this.latencyRows(group.set.id, group.key);
      const startSec = this.data.window.from.getTime() / 1000;
      const { candidate, legacy } = this.data.plan.providers;
      arms = { candidate: latencyArm(rows, candidate, startSec, this.hours, this.arena), legacy: latencyArm(rows, legacy, startSec, this.hours, this.arena) };
      this.latencyArmsByGroup.set(group, arms);
    }
    return arms;
  }

  private everyoneLegacyArm: LatencyArm | undefined;
  /** All legacy latency traffic (the everyone cohort's legacy histograms), built once. */
  private everyoneLegacy(): LatencyArm {
    this.everyoneLegacyArm ??= latencyArm(this.latencyRows(this.sets[0]?.id ?? 0, ''), this.data.plan.providers.legacy, this.data.window.from.getTime() / 1000, this.hours, this.arena);
    return this.everyoneLegacyArm;
  }

  /** Days from a baseline's tBar to the candidate's observations, averaged with the candidate's hourly counts as weights. */
  private meanDays(candidate: LatencyArm, b: CohortBaseline): number {
    let weighted = 0, total = 0;
    for (let h = 0; h < this.hours; h++) {
      let n = 0;
      for (let i = candidate.offsets[h] ?? 0; i < (candidate.offsets[h + 1] ?? 0); i++) n += candidate.counts[i] ?? 0;
      weighted += n * h;
      total += n;
    }
    const hourMs = this.data.window.from.getTime() + (total > 0 ? weighted / total : 0) * HOUR_MS;
    return (hourMs - b.tBar.getTime()) / 86_400_000;
  }

  /**
   * Latency DiD on the quantile scale, each arm against its own baseline over the same cells:
   *
   *     θ = log(Q_T,stage / Q_T,base) − log(Q_L,stage / Q_L,base)
   *
   * so the expected log ratio is `log Q_T,base − log Q_L,base`, with Q_T,base the baseline-period
   * quantile of the cells carrying the cohort's candidate traffic in the window and Q_L,base that of
   * the cells carrying legacy traffic (which tenants moved, and how their quantile relates to their
   * geometric mean, do not read as an effect). Its variance is the two baseline Woodruff SEs,
   * `(SE_T,base/Q_T,base)² + (SE_L,base/Q_L,base)²`. Undefined without baseline cell histograms.
   */
  private armBaselineRatio(group: Group, metric: PlanMetric, tau2: number, legacyCells?: readonly string[]): LatencyExpectation | undefined {
    const candidate = this.cellHistogram(this.withTraffic(group.cells, 0));
    const legacy = this.cellHistogram(legacyCells ?? this.withTraffic(this.cells.keys(), 1));
    if (!candidate || !legacy) return undefined;
    const q = metric.quantile ?? 0.5;
    const [t, l] = [woodruffInterval(candidate, q, 0.95), woodruffInterval(legacy, q, 0.95)];
    if (!(t.estimate > 0 && l.estimate > 0)) return undefined;
    return {
      logOffset: new Float64Array(this.hours).fill(Math.log(t.estimate) - Math.log(l.estimate)),
      varOffset: (t.se / t.estimate) ** 2 + (l.se / l.estimate) ** 2,
      tau2,
    };
  }

  /** The cells among `keys` with traffic on one arm in the window. */
  private withTraffic(keys: Iterable<string>, arm: 0 | 1): string[] {
    return [...keys].filter((k) => anyPositive(this.cells.get(k)?.sums.arms[arm].attempts ?? []));
  }

  /**
   * The legacy reference of a latency DiD whose candidate traffic is all on one IdP: that IdP's
   * legacy traffic in the window and its cells (an IdP incident hits its moved and unmoved tenants
   * alike, and no other IdP's), when the plan has an `idp` set and that traffic has ≥ 10
   * observations beyond the quantile. Undefined otherwise: the reference is all legacy traffic.
   */
  private idpReference(group: Group, metric: PlanMetric): { arm: LatencyArm; cells: string[] } | undefined {
    const idps = new Set(this.withTraffic(group.cells, 0).map((k) => this.cells.get(k)?.cohort.idp));
    const [idp] = [...idps];
    const set = this.sets.find((s) => s.dimensions.length === 1 && s.dimensions[0] === 'idp');
    if (idps.size !== 1 || idp === undefined || !set) return undefined;
    const rows = this.latencyRows(set.id, cohortKey({ idp }, ['idp']));
    const arm = latencyArm(rows, this.data.plan.providers.legacy, this.data.window.from.getTime() / 1000, this.hours, this.arena);
    const observations = sumOf(arm.counts);
    if (observations * (1 - (metric.quantile ?? 0.5)) < BURN_IN_EVENTS) return undefined;
    return { arm, cells: this.withTraffic([...this.cells.keys()].filter((k) => this.cells.get(k)?.cohort.idp === idp), 1) };
  }

  private cellHistogramIndex: Map<string, number[]> | undefined;
  /** The baseline latency histogram of some cells together; undefined when they have none. */
  private cellHistogram(keys: readonly string[]): number[] | undefined {
    if (!this.cellHistogramIndex) {
      this.cellHistogramIndex = new Map();
      for (const r of this.data.baselineCells ?? []) {
        const key = cohortKey(cohortOf(r, this.union), this.union);
        let counts = this.cellHistogramIndex.get(key);
        if (!counts) this.cellHistogramIndex.set(key, (counts = new Array<number>(LATENCY_BIN_COUNT).fill(0)));
        const bin = Math.min(Math.max(r.bin, 0), LATENCY_BIN_COUNT - 1);
        counts[bin] = (counts[bin] ?? 0) + r.count;
      }
    }
    const total = new Array<number>(LATENCY_BIN_COUNT).fill(0);
    for (const key of keys) this.cellHistogramIndex.get(key)?.forEach((c, bin) => (total[bin] = (total[bin] ?? 0) + c));
    return total.some((c) => c > 0) ? total : undefined;
  }

  /**
   * The expected log ratio of the cohort's candidate quantile to the quantile of all legacy traffic,
   * from the baseline latency histograms of the finest cohorts under each: the histograms mixed with
   * the window's attempts of each cell as weights, `log Q(mix_T) − log Q(mix_L)`, so which tenants
   * moved does not read as an effect. Falls back to the projected log-mean difference when the
   * snapshot has no histograms for those cells.
   */
  private latencyOffset(group: Group, metric: PlanMetric, fallback: Float64Array): Float64Array {
    const mixes = [0, 1, 2].map(() => new Array<number>(LATENCY_BIN_COUNT).fill(0));
    const add = (key: string, arms: readonly (0 | 1)[], into: number) => {
      const cell = this.cells.get(key);
      const b = cell && this.cellBaseline(cell.cohort, metric.name);
      const histogram = b && this.baselineHistogram(b.dimensions, b.cohortKey);
      if (!cell || !histogram) return;
      let weight = 0;
      for (const a of arms) for (const n of cell.sums.arms[a].attempts) weight += n;
      const total = histogram.reduce((a, c) => a + c, 0);
      const mix = mixes[into]!;
      if (weight > 0 && total > 0) histogram.forEach((c, bin) => (mix[bin] = (mix[bin] ?? 0) + (weight * c) / total));
    };
    for (const key of group.cells) add(key, [0], 0);
    for (const key of this.cells.keys()) add(key, [1], 1);
    for (const key of group.cells) add(key, [0, 1], 2);
    const [t, l, whole] = [mixes[0]!, mixes[1]!, mixes[2]!];
    if (!t.some((c) => c > 0) || !l.some((c) => c > 0)) return fallback;
    const q = metric.quantile ?? 0.5;
    // What the cohort's own histogram knows and its cells do not (an app or region slower than its tenants' average).
    const own = group.set.dimensions.length > 0 ? this.baselineHistogram(group.set.dimensions, group.key) : undefined;
    const shift = own && whole.some((c) => c > 0) ? Math.log(histogramQuantile(own, q)) - Math.log(histogramQuantile(whole, q)) : 0;
    return new Float64Array(this.hours).fill(Math.log(histogramQuantile(t, q)) - Math.log(histogramQuantile(l, q)) + shift);
  }

  private readonly carriedDrifts = new Map<string, CarriedDrift | undefined>();
  /** The drift carried from the legacy traffic before the stage, when there is any. */
  private carried(metric: PlanMetric): CarriedDrift | undefined {
    const pre = this.data.preStage;
    if (!pre) return undefined;
    if (!this.carriedDrifts.has(metric.name)) {
      const baselineOf = (row: Pick<CellRow, Dimension>) => this.cellBaseline(cohortOf(row, this.union), metric.name);
      this.carriedDrifts.set(metric.name, carriedDrift(pre, this.union, metric, this.data.plan.providers.legacy, baselineOf, this.data.baseline.shapes, this.hours));
    }
    return this.carriedDrifts.get(metric.name);
  }

  /** The cohort's per-user window sums on one provider for a rate metric; undefined without them. */
  private windowUserSums(group: Group, provider: string, metric: PlanMetric): RatioSums | undefined {
    const index = this.userSums();
    return index.size > 0 ? windowSums(index.get(`${group.set.id}#${group.key}#${provider}`), metric) : undefined;
  }

  private userSumIndex: Map<string, UserSumRow> | undefined;
  private userSums(): Map<string, UserSumRow> {
    this.userSumIndex ??= new Map((this.data.userSums ?? []).map((r) => [`${r.set_id}#${r.cohort_key}#${r.provider}`, r]));
    return this.userSumIndex;
  }

  private latencyIndex: Map<string, LatencyRow[]> | undefined;
  /** The latency rows of one cohort, one per provider. */
  private latencyRows(setId: number, key: string): LatencyRow[] {
    this.latencyIndex ??= groupBy(this.data.latency, (row) => `${row.set_id}#${row.cohort_key}`);
    return this.latencyIndex.get(`${setId}#${key}`) ?? [];
  }

  private histogramIndex: Map<string, { bin: number; count: number }[]> | undefined;
  private baselineHistogram(dims: readonly Dimension[], key: string): number[] | undefined {
    this.histogramIndex ??= groupBy(this.data.baselineHistograms, (r) => `${r.dimensions}#${r.cohort_key}`);
    const rows = this.histogramIndex.get(`${dims.join(',')}#${key}`) ?? [];
    if (rows.length === 0) return undefined;
    const counts = new Array<number>(LATENCY_BIN_COUNT).fill(0);
    for (const r of rows) {
      const bin = Math.min(Math.max(r.bin, 0), LATENCY_BIN_COUNT - 1);
      counts[bin] = (counts[bin] ?? 0) + r.count;
    }
    return counts.some((c) => c > 0) ? counts : undefined;
  }
}

function unitCounts(data: StageData, sets: readonly CohortSet[]): UnitCounts[] {
  const byCohort = new Map<string, UnitCounts>();
  const known = new Set(sets.map((s) => s.id));
  for (const r of data.units) {
    if (!known.has(r.set_id)) continue;
    const id = `${r.set_id}#${r.cohort_key}`;
    const entry = byCohort.get(id) ?? { cohort: parseCohortKey(r.cohort_key).cohort, candidate: 0, legacy: 0 };
    if (r.provider === data.plan.providers.candidate) entry.candidate += r.units;
    else if (r.provider === data.plan.providers.legacy) entry.legacy += r.units;
    byCohort.set(id, entry);
  }
  return [...byCohort.values()];
}
