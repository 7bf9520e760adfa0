import { cohortKey } from '../baseline/cohort-key.js';
import type { PlanMetric } from '../plan/plan.js';
import type { CohortBaseline, Dimension, Period } from '../types.js';
import { addArm, addCellSeries, addErrorSeries, byFirstHour, CELL_SERIES_FIELDS, cohortOf, emptyArm, rateArm, type ArmSums, type CellRow, type ErrorRow } from './cohort-rollup.js';
import { ExpectedMix } from './expected-mix.js';
import type { RateExpectation } from './hourly-stats.js';
import { projectWindow } from './projection.js';

const HOUR_MS = 3_600_000;

/** Legacy traffic just before a stage, for carrying the population drift into a stage without any. */
export interface PreStageTraffic {
  period: Period;
  cells: readonly CellRow[];
  errors: readonly ErrorRow[];
}

/** The drift carried into the stage: a constant shift with its per-hour spread, and the shift's own uncertainty. */
export interface CarriedDrift {
  drift: NonNullable<RateExpectation['drift']>;
  /** Variance of the mean shift (correlated across the stage's hours). */
  varianceOfMean: number;
  /** Hours of legacy traffic it was measured on. */
  hours: number;
}

/**
 * The population drift measured on the last legacy traffic before a stage that has none (a 100%
 * stage), carried forward as a control series (statistics.md 9.4): per hour of the pre-stage
 * period `D_w = logit(p_L,w) − logit(m_w)` against the finest baseline cells (as for
 * difference_in_differences), then
 *
 *     D̄ = Σ D_w / Var_w / Σ 1/Var_w,   Var(D̄) = 1 / Σ 1/Var_w,
 *     s² = max(0, Σ (D_w − D̄)²/Var_w / Σ 1/Var_w − mean Var_w)    hour-to-hour spread beyond sampling
 *
 * and every stage hour gets the shift D̄ with independent variance s² + mean Var_w. Assumes the drift
 * stays where it was; an incident that starts during the stage is not removed.
 */
export function carriedDrift(
  pre: PreStageTraffic,
  union: readonly Dimension[],
  metric: PlanMetric,
  legacy: string,
  baselineOf: (cell: Pick<CellRow, Dimension>) => CohortBaseline | undefined,
  shapes: ReadonlyMap<string, Float64Array>,
  stageHours: number,
): CarriedDrift | undefined {
  const hours = Math.round((pre.period.to.getTime() - pre.period.from.getTime()) / HOUR_MS);
  const startSec = pre.period.from.getTime() / 1000;
  const cells = new Map<string, { row: Pick<CellRow, Dimension>; arm: ArmSums }>();
  const cellOf = (row: Pick<CellRow, Dimension>) => {
    const key = cohortKey(cohortOf(row, union), union);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { row, arm: emptyArm(hours) }));
    return cell;
  };
  const legacyRows = <Row extends { provider: string }>(rows: readonly Row[]) => rows.filter((r) => r.provider === legacy);
  for (const row of byFirstHour(legacyRows(pre.cells), CELL_SERIES_FIELDS.length, startSec, hours)) addCellSeries(cellOf(row).arm, row, startSec, hours);
  for (const row of byFirstHour(legacyRows(pre.errors), 2, startSec, hours)) addErrorSeries(cellOf(row).arm, row, startSec, hours);
  const mix = new ExpectedMix(hours);
  const total = emptyArm(hours);
  for (const { row, arm } of cells.values()) {
    const b = baselineOf(row);
    if (!b) continue;
    const { eta, sd } = projectWindow(b, shapes.get(`${b.shapeKey}|${metric.name}`), pre.period.from.getTime(), hours);
    const n = rateArm(arm, metric).n;
    for (let h = 0; h < hours; h++) mix.add(h, n[h] ?? 0, eta[h] ?? Number.NaN, sd[h] ?? 0, b.tau2);
    addArm(total, arm);
  }
  const { d, variance } = mix.drift(rateArm(total, metric));
  let [weights, weighted, used, meanVariance] = [0, 0, 0, 0];
  for (let h = 0; h < hours; h++) {
    const v = variance[h] ?? 0;
    if (!(v > 0) || !Number.isFinite(d[h] ?? Number.NaN)) continue;
    [weights, weighted, used, meanVariance] = [weights + 1 / v, weighted + (d[h] ?? 0) / v, used + 1, meanVariance + v];
  }
  if (used < 2) return undefined;
  const mean = weighted / weights;
  meanVariance /= used;
  let spread = 0;
  for (let h = 0; h < hours; h++) {
    const v = variance[h] ?? 0;
    if (v > 0 && Number.isFinite(d[h] ?? Number.NaN)) spread += ((d[h] ?? 0) - mean) ** 2 / v;
  }
  const between = Math.max(0, spread / weights - meanVariance);
  return {
    drift: { d: new Float64Array(stageHours).fill(mean), variance: new Float64Array(stageHours).fill(between + meanVariance) },
    varianceOfMean: 1 / weights + between / used,
    hours: used,
  };
}
