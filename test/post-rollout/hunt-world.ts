import { cohortKey, parseCohortKey } from '../../src/baseline/cohort-key.js';
import { groupingMask } from '../../src/baseline/cohort-sets.js';
import { DIMENSIONS } from '../../src/plan/plan-schema.js';
import type { BaselineCountRow, ErrorCodeTotalRow, PostLookRow } from '../../src/post-rollout/hunt-sql.js';
import { BLOCK_DAYS, parentSets } from '../../src/post-rollout/hunt-sql.js';
import type { SeededRandom } from '../../src/stats/random.js';
import type { Cohort, Dimension } from '../../src/types.js';

/**
 * A synthetic login world at the finest grain (tenant × idp × app × region), simulated day by
 * day with `seededRandom`, and rolled up in JavaScript the way hunt-sql.ts rolls up in SQL. It
 * is the calibration harness of the hunt: failure rates vary by cell and wander from day to day
 * (a shared logit shock per IdP and day, and one per cell and day), so the null is realistic.
 */
export interface WorldOptions {
  tenants: number;
  idps: number;
  apps: number;
  regions: number;
  baselineDays: number;
  postDays: number;
  /** Mean attempts per day over all cells. */
  attemptsPerDay: number;
  /** Error codes and their share of failures. */
  codes: readonly { code: string; share: number }[];
  /** Logit sd of the day shocks: per IdP and day, and per cell and day. */
  idpDaySd: number;
  cellDaySd: number;
  /** Logit sd of each tenant's drift per week (a slow trend the baseline cannot know). */
  tenantDriftSd: number;
  /** A post-period regression: the cells matching `cohort` get `+delta` on the failure rate, all in `code`. */
  injection?: { cohort: Cohort; delta: number; code: string };
}

interface Cell {
  values: Record<Dimension, string>;
  weight: number;
  logit: number;
  /** Logit change per week. */
  drift: number;
}

/** Per day, per cell: attempts, failures, and failures per code. */
export interface CellDay {
  n: number;
  x: number;
  codes: number[];
}

/** The simulated world: cells and their daily counts, baseline days first. */
export interface World {
  options: WorldOptions;
  cells: Cell[];
  days: CellDay[][];
}

const expit = (v: number) => 1 / (1 + Math.exp(-v));

/** Simulates a world. */
export function simulateWorld(options: WorldOptions, random: SeededRandom): World {
  const cells: Cell[] = [];
  const names = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
  const idpLevel = names('idp', options.idps).map(() => -4.2 + 0.3 * random.normal());
  const sizes = names('t', options.tenants).map(() => Math.exp(random.normal()));
  const drifts = names('t', options.tenants).map(() => options.tenantDriftSd * random.normal());
  names('t', options.tenants).forEach((tenant, ti) => {
    // Each tenant uses two IdPs.
    const idps = [ti % options.idps, (ti + 1) % options.idps];
    for (const ii of idps) {
      for (const app of names('app', options.apps)) {
        for (const region of names('r', options.regions)) {
          cells.push({
            values: { tenant, idp: `idp${ii + 1}`, app, region },
            weight: (sizes[ti] ?? 1) * Math.exp(0.5 * random.normal()),
            logit: (idpLevel[ii] ?? -4) + 0.25 * random.normal(),
            drift: drifts[ti] ?? 0,
          });
        }
      }
    }
  });
  const totalWeight = cells.reduce((s, c) => s + c.weight, 0);
  const days: CellDay[][] = [];
  const totalDays = options.baselineDays + options.postDays;
  for (let d = 0; d < totalDays; d++) {
    const idpShock = names('idp', options.idps).map(() => options.idpDaySd * random.normal());
    days.push(
      cells.map((cell) => {
        const n = random.poisson((options.attemptsPerDay * cell.weight) / totalWeight);
        const ii = Number(cell.values.idp.slice(3)) - 1;
        let p = expit(cell.logit + (cell.drift * d) / 7 + (idpShock[ii] ?? 0) + options.cellDaySd * random.normal());
        const injected = options.injection && d >= options.baselineDays && matches(cell.values, options.injection.cohort);
        const extra = injected && options.injection ? random.binomial(n, options.injection.delta) : 0;
        p = Math.min(p, 1);
        const x = Math.min(n, random.binomial(n, p) + extra);
        let left = x - extra;
        let shareLeft = 1;
        const codes = options.codes.map(({ share }, k) => {
          const drawn = k === options.codes.length - 1 ? left : random.binomial(left, Math.min(1, share / shareLeft));
          left -= drawn;
          shareLeft -= share;
          return drawn;
        });
        if (injected && options.injection) {
          const at = options.codes.findIndex((c) => c.code === options.injection?.code);
          codes[at] = (codes[at] ?? 0) + extra;
        }
        return { n, x, codes };
      }),
    );
  }
  return { options, cells, days };
}

function matches(values: Record<Dimension, string>, cohort: Cohort): boolean {
  return Object.entries(cohort).every(([dim, value]) => values[dim as Dimension] === value);
}

/** Rolls the world up once per set; the returned function gives the hunt's SQL results as of the end of post day `lastDay` (0-based). */
export function worldCounts(world: World, sets: readonly (readonly Dimension[])[]) {
  const codes = world.options.codes.map((c) => c.code);
  const b = world.options.baselineDays;
  const rolled = new Map<number, Map<string, CellDay[]>>();
  for (const dims of uniqueSets([...sets, ...sets.flatMap((s) => parentSets([...s]))])) {
    const groups = new Map<string, CellDay[]>();
    for (const [key, indexes] of groupCells(world, dims)) groups.set(key, world.days.map((day) => sumCells(day, indexes, codes.length)));
    rolled.set(groupingMask(dims), groups);
  }
  const metricX = (d: CellDay, metric: number) => (metric < 0 ? d.x : (d.codes[metric] ?? 0));
  const pairs = () =>
    sets.flatMap((dims) =>
      [...(rolled.get(groupingMask(dims)) ?? [])].flatMap(([key, series]) =>
        parentSets([...dims]).map((pdims) => {
          const cohort = parseCohortKey(key).cohort;
          const parentKey = cohortKey(cohort, pdims);
          return { g: groupingMask(dims), key, parentKey, series, parent: rolled.get(groupingMask(pdims))?.get(parentKey) ?? [] };
        }),
      ),
    );
  const baseline: BaselineCountRow[] = [];
  for (const { g, key, parentKey, series, parent } of pairs()) {
    const weeks = Math.ceil(b / BLOCK_DAYS);
    const block = (s: readonly CellDay[], w: number) => sumDays(s.slice(w * BLOCK_DAYS, Math.min(b, (w + 1) * BLOCK_DAYS)), codes.length);
    const cw = Array.from({ length: weeks }, (_, w) => block(series, w));
    const pw = Array.from({ length: weeks }, (_, w) => block(parent, w));
    [-1, ...codes.map((_, k) => k)].forEach((metric) => {
      const rows = cw.flatMap((c, w) => {
        const pc = pw[w] as CellDay;
        const px = metricX(pc, metric);
        return c.n > 0 && (metric < 0 ? pc.n > 0 : px > 0) ? [{ n: c.n, x: metricX(c, metric), pn: pc.n, px }] : [];
      });
      if (rows.length === 0) return;
      const [n, x, pn, px] = [sum(rows.map((r) => r.n)), sum(rows.map((r) => r.x)), sum(rows.map((r) => r.pn)), sum(rows.map((r) => r.px))];
      const [rate, restRate] = [x / n, pn > n ? (px - x) / (pn - n) : NaN];
      let x2 = 0;
      for (const r of rows) {
        const theta = (r.n * rate) / (r.n * rate + (r.pn - r.n) * restRate);
        if (r.px > 0 && theta > 0 && theta < 1) x2 += (r.x - r.px * theta) ** 2 / (r.px * theta * (1 - theta));
      }
      baseline.push({
        g, cohort_key: key, parent_key: parentKey, metric: metric < 0 ? '' : (codes[metric] ?? ''), weeks: rows.filter((r) => r.px > 0).length,
        n, x, parent_n: pn, parent_x: px, x2, sum_parent_x2: sum(rows.map((r) => r.px * r.px)),
      });
    });
  }
  return (lastDay: number) => {
    const looks: PostLookRow[] = [];
    for (const { g, key, parentKey, series, parent } of pairs()) {
      [-1, ...codes.map((_, k) => k)].forEach((metric) => {
        let [n, x, pn, px, all] = [0, 0, 0, 0, 0];
        for (let day = 0; day <= lastDay; day++) {
          const [c, pc] = [series[b + day] as CellDay, parent[b + day] as CellDay];
          if (!(c.n > 0) || !(metric < 0 ? pc.n > 0 : metricX(pc, metric) > 0)) continue;
          [n, x, pn, px, all] = [n + c.n, x + metricX(c, metric), pn + pc.n, px + metricX(pc, metric), all + c.x];
          // Every attempt is its own user here (no retry bursts): the per-user sums give a design effect of 1.
          looks.push({
            g, cohort_key: key, parent_key: parentKey, metric: metric < 0 ? '' : (codes[metric] ?? ''), day, n, x, parent_n: pn, parent_x: px,
            users: n, user_sxx: all, user_snn: n, user_sxn: all,
          });
        }
      });
    }
    const codeTotals: ErrorCodeTotalRow[] = codes.map((code, k) => ({
      metric: code,
      baseline_x: sum(world.days.slice(0, b).flatMap((day) => day.map((c) => c.codes[k] ?? 0))),
      post_x: sum(world.days.slice(b, b + lastDay + 1).flatMap((day) => day.map((c) => c.codes[k] ?? 0))),
    }));
    return { baseline, looks, codes: codeTotals };
  };
}

function sumDays(days: readonly CellDay[], codes: number): CellDay {
  const total: CellDay = { n: 0, x: 0, codes: new Array<number>(codes).fill(0) };
  for (const d of days) {
    total.n += d.n;
    total.x += d.x;
    d.codes.forEach((v, k) => (total.codes[k] = (total.codes[k] ?? 0) + v));
  }
  return total;
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

function uniqueSets(sets: readonly (readonly Dimension[])[]): Dimension[][] {
  const seen = new Map<number, Dimension[]>();
  for (const s of sets) if (!seen.has(groupingMask(s))) seen.set(groupingMask(s), [...s]);
  return [...seen.values()];
}

function groupCells(world: World, dims: readonly Dimension[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const ordered = DIMENSIONS.filter((d) => dims.includes(d));
  world.cells.forEach((cell, i) => {
    const key = cohortKey(cell.values, ordered);
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  return groups;
}

function sumCells(day: readonly CellDay[], indexes: readonly number[], codes: number): CellDay {
  const total: CellDay = { n: 0, x: 0, codes: new Array<number>(codes).fill(0) };
  for (const i of indexes) {
    const c = day[i];
    if (!c) continue;
    total.n += c.n;
    total.x += c.x;
    c.codes.forEach((v, k) => (total.codes[k] = (total.codes[k] ?? 0) + v));
  }
  return total;
}
