import { quickselect } from 'simple-statistics';

/**
 * One cohort × metric's baseline fit over its hourly windows, in JavaScript (statistics.md 1.1–1.3).
 * The model is the one the module doc of fit.ts states:
 *
 *   rates    logit(μ_w) = a + b (t_w − t̄) + s(h_w), binomial IRLS with the shape as offset;
 *   latency  ȳ_w (window mean of log ms) = a + b (t_w − t̄) + s(h_w), weighted least squares.
 *
 * Stage 1 fits with sampling weights only (W = nμ(1 − μ), latency 1/s²_w) to a loose tolerance;
 * standardised residuals r_w = (x − nμ)/√W (latency (ȳ − η)√W) beyond 4·max(1, 1.4826·MAD) of their
 * median, where W ≥ 1 (latency: always), flag incident windows. The shape is then re-estimated without
 * them (by the caller, across cohorts) and the fit starts again from the pooled level where it ran off;
 * DerSimonian–Laird on the unflagged windows (residuals winsorised at the same cut) gives
 *     τ² = max(0, (X² − (k − 2)) / (ΣW − ΣW²/ΣW)),   φ = X²/(k − 2),
 * and stage 2 refits with weights 1/(1/W + τ²) to convergence. Var(a, b) is the inverse weighted
 * information, widened where the day-clustered sandwich is larger (Liang & Zeger 1986; Cameron &
 * Miller 2015): c = max(1, S_jj / C_jj) per parameter, S = I⁻¹ M I⁻¹ · G/(G − 1), M = Σ_day g gᵀ,
 * g = Σ_{w∈day} w·e·(1, t_w − t̄), e the working residual.
 *
 * Reference: McCullagh & Nelder (1989) *Generalized Linear Models* §4.4 (IRLS); DerSimonian & Laird
 * (1986) *Control Clin Trials* 7; Hampel (1974) *JASA* 69 (MAD rule).
 *
 * Sums run in time order, so the same windows give the same bits. Each cohort's iterations stop at
 * its own tolerance (the SQL fit this replaces stepped every cohort until the slowest converged).
 */

/** IRLS stops when |Δa| + |Δb| falls below this. */
export const CONVERGED = 1e-10;
/** Stage 1 stops at this change: its fit only serves to flag incidents. */
export const ROUGH = 1e-4;
/** A fit beyond these bounds (|level| on the model scale, |drift| per day) is separated data: the cohort is fixed at its pooled level. */
export const DIVERGED_LEVEL = 25;
export const DIVERGED_TREND = 2;
/** A cohort needs windows on at least this many days for its day-clustered (level, trend) covariance. */
export const MIN_CLUSTER_DAYS = 5;
const MAX_IRLS_STEPS = 30;

/** One cohort × metric's windows in time order (views; only `length` entries are read). */
export interface CohortSeries {
  family: 'rate' | 'latency';
  length: number;
  /** Window start, days since the epoch. */
  t: Float64Array;
  /** Hour of week, 0–167. */
  how: Int32Array;
  /** Attempts (rates) or latency observations. */
  n: Float64Array;
  /** Events (rates) or the window mean of log latency. */
  x: Float64Array;
  /** Latency: variance of the window mean (unused for rates). */
  s2: Float64Array;
}

/** The fit of one cohort × metric, on the model scale (before shrinkage). */
export interface SeriesFit {
  windows: number;
  n: number;
  /** Events (rates) or Σ n·ȳ (latency). */
  x: number;
  /** n-weighted mean time of all windows, days since the epoch. */
  tBar: number;
  level: number;
  trend: number;
  tau2: number;
  phi: number;
  fixed: boolean;
  flagged: number;
  varLevel: number;
  varTrend: number;
  covLevelTrend: number;
  /** The trend variance of the hourly-independent model, before the day clustering. */
  varTrendModel: number;
}

interface State {
  a: number;
  b: number;
  tau2: number;
  phi: number;
  fixed: boolean;
  change: number;
  s0: number;
  s1: number;
  s2: number;
}

/** The inverse logit, its argument clamped to ±30. */
export const expit = (eta: number): number => 1 / (1 + Math.exp(-Math.min(Math.max(eta, -30), 30)));

/**
 * The working weight W and working residual e of every unflagged window at (level a, trend b), into per-thread
 * scratch arrays (entries of flagged windows are left as they were): at η = a + b(t − t̄) + offset, rates
 * W = nμ(1 − μ) (at least 10⁻³⁰⁰), e = (x − nμ)/W; latency W = 1/s², e = ȳ − η. The IRLS response is
 * η − offset + e, the standardised residual e·√W. One pass per IRLS step, read by the step's sums.
 */
function working(s: CohortSeries, off: Float64Array, flags: Uint8Array | undefined, tBar: number, a: number, b: number): { w: Float64Array; e: Float64Array } {
  const { w, e } = scratchFor(s.length);
  const { t, n, x, s2: v } = s;
  const rate = s.family === 'rate';
  for (let i = 0; i < s.length; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    const eta = a + b * (t[i]! - tBar) + off[i]!;
    if (rate) {
      const ni = n[i]!;
      const mu = expit(eta);
      const wb = Math.max(ni * mu * (1 - mu), 1e-300);
      w[i] = wb;
      e[i] = (x[i]! - ni * mu) / wb;
    } else {
      w[i] = 1 / v[i]!;
      e[i] = x[i]! - eta;
    }
  }
  return { w, e };
}

/** Per-window shape offsets of `series` from a 168-value shape. */
export function windowOffsets(series: CohortSeries, shape: ArrayLike<number>): Float64Array {
  const off = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) off[i] = shape[series.how[i]!] ?? 0;
  return off;
}

/** Pooled level on the model scale of the windows not in `flags`: logit((Σx + ½)/(Σ(n − x) + ½)) or Σnȳ/Σn, less Σn·off/Σn. */
function pooled(s: CohortSeries, off: Float64Array, flags: Uint8Array | undefined) {
  let rows = 0, sn = 0, sx = 0, snx = 0, snt = 0, snoff = 0;
  for (let i = 0; i < s.length; i++) {
    if (flags?.[i]) continue;
    const n = s.n[i]!;
    rows++;
    sn += n;
    sx += s.x[i]!;
    snx += n * s.x[i]!;
    snt += n * s.t[i]!;
    snoff += n * off[i]!;
  }
  const rate = s.family === 'rate';
  const level = (rate ? Math.log((sx + 0.5) / (sn - sx + 0.5)) : snx / sn) - snoff / sn;
  const degenerate = (rate && (sx === 0 || sx === sn)) || rows < 2;
  return { rows, n: sn, x: rate ? sx : snx, tBar: snt / sn, level, degenerate };
}

/**
 * One IRLS (Fisher scoring) step on the unflagged windows; false when there is none.
 */
function irlsStep(s: CohortSeries, off: Float64Array, flags: Uint8Array | undefined, tBar: number, st: State): boolean {
  const { t } = s;
  const { a: a0, b: b0Trend, tau2 } = st;
  const { w: wbs, e: es } = working(s, off, flags, tBar, a0, b0Trend);
  let rows = 0, s0 = 0, s1 = 0, s2 = 0, b0 = 0, b1 = 0;
  for (let i = 0; i < s.length; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    rows++;
    const d = t[i]! - tBar;
    const o = off[i]!;
    const eta = a0 + b0Trend * d + o;
    const z = eta - o + es[i]!;
    const w = 1 / (1 / wbs[i]! + tau2);
    s0 += w;
    s1 += w * d;
    s2 += w * d * d;
    b0 += w * z;
    b1 += w * d * z;
  }
  if (rows === 0) return false;
  const det = s0 * s2 - s1 * s1;
  const solvable = det > 1e-9 * s0 * s2;
  const a = solvable ? (s2 * b0 - s1 * b1) / det : b0 / s0;
  const b = solvable ? (s0 * b1 - s1 * b0) / det : 0;
  // A fit running off stops here; `reset` fixes it at its pooled level.
  st.change = Math.abs(a) > DIVERGED_LEVEL || Math.abs(b) > DIVERGED_TREND ? 0 : Math.abs(a - st.a) + Math.abs(b - st.b);
  st.a = a;
  st.b = b;
  st.s0 = s0;
  st.s1 = s1;
  st.s2 = s2;
  return true;
}

function iterate(s: CohortSeries, off: Float64Array, flags: Uint8Array | undefined, tBar: number, st: State, tolerance: number): void {
  for (let step = 0; step < MAX_IRLS_STEPS; step++) {
    if (!(st.change > CONVERGED) || !irlsStep(s, off, flags, tBar, st) || !(st.change > tolerance)) return;
  }
}

/**
 * The median of `values` (reordered in place), interpolating between the middle two as DuckDB's `median`
 * (quantile_cont 0.5) does; by selection (simple-statistics' Floyd–Rivest `quickselect`), not a sort.
 */
function median(values: Float64Array): number {
  const position = (values.length - 1) / 2;
  const lo = Math.floor(position);
  quickselect(values as unknown as number[], lo);
  const low = values[lo]!;
  if (lo === position) return low;
  let high = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < values.length; i++) if (values[i]! < high) high = values[i]!;
  return low + (high - low) * (position - lo);
}

/** Per-thread scratch of `working` and `dispersion`, grown to the longest series seen: a build uses it in every IRLS step. */
let scratchSize = 0;
let scratchArrays = { index: new Int32Array(0), r: new Float64Array(0), wbs: new Float64Array(0), scratch: new Float64Array(0), w: new Float64Array(0), e: new Float64Array(0) };
function scratchFor(length: number) {
  if (length > scratchSize) {
    scratchSize = Math.max(length, 2 * scratchSize);
    const f = () => new Float64Array(scratchSize);
    scratchArrays = { index: new Int32Array(scratchSize), r: f(), wbs: f(), scratch: f(), w: f(), e: f() };
  }
  return scratchArrays;
}

/**
 * Standardised residuals of the unflagged windows and their robust cut: median, cut = 4·max(1, 1.4826·MAD),
 * the winsorised X², k, ΣW, ΣW², and which windows lie beyond the cut where the residual can tell (W ≥ 1).
 */
function dispersion(s: CohortSeries, off: Float64Array, flags: Uint8Array | undefined, tBar: number, st: State) {
  const { w: ws, e: es } = working(s, off, flags, tBar, st.a, st.b);
  const { index, r, wbs, scratch: work } = scratchFor(s.length);
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (flags !== undefined && flags[i] !== 0) continue;
    r[k] = es[i]! * Math.sqrt(ws[i]!);
    wbs[k] = ws[i]!;
    index[k++] = i;
  }
  if (k === 0) return undefined;
  const scratch = work.subarray(0, k);
  scratch.set(r.subarray(0, k));
  const med = median(scratch);
  for (let j = 0; j < k; j++) scratch[j] = Math.abs(r[j]! - med);
  const cut = 4 * Math.max(1, 1.4826 * median(scratch));
  let x2 = 0, sw = 0, sww = 0;
  const beyond: number[] = [];
  for (let j = 0; j < k; j++) {
    const rw = Math.max(Math.min(r[j]!, med + cut), med - cut);
    x2 += rw * rw;
    sw += wbs[j]!;
    sww += wbs[j]! * wbs[j]!;
    if (Math.abs(r[j]! - med) > cut && (s.family !== 'rate' || wbs[j]! >= 1)) beyond.push(index[j]!);
  }
  return { k, x2, sw, sww, beyond };
}

/** Fixes a fit that ran off (or degenerate data) at the pooled level of its unflagged windows, no drift; marks it for another round. */
function reset(s: CohortSeries, off: Float64Array, flags: Uint8Array, st: State): void {
  const p = pooled(s, off, flags);
  if (p.rows === 0) return;
  if (st.fixed || p.degenerate || Math.abs(st.a) > DIVERGED_LEVEL || Math.abs(st.b) > DIVERGED_TREND) {
    st.fixed = true;
    st.a = p.level;
    st.b = 0;
  }
  st.change = 1;
}

/** Stage 1 of a cohort's fit: the pooled start, the rough IRLS state, and the windows it flags as incidents. */
export interface StageOne {
  start: ReturnType<typeof pooled>;
  state: State;
  flags: Uint8Array;
  /** Its dispersion (the robust cut's sums) at the final state; undefined for a cohort too degenerate to fit. */
  spread: ReturnType<typeof dispersion>;
  /** The shape it ran with. */
  shape: ArrayLike<number>;
}

/**
 * Stage 1 with `shape` as the offsets: from the pooled level, IRLS to `ROUGH`, then the windows beyond the robust
 * cut are flagged (none for a cohort too degenerate to fit).
 */
export function stageOne(s: CohortSeries, shape: ArrayLike<number>): StageOne {
  const off = windowOffsets(s, shape);
  const start = pooled(s, off, undefined);
  const state: State = { a: start.level, b: 0, tau2: 0, phi: 1, fixed: start.degenerate, change: 1, s0: 0, s1: 0, s2: 0 };
  const flags = new Uint8Array(s.length);
  let spread: ReturnType<typeof dispersion>;
  if (!state.fixed) {
    iterate(s, off, undefined, start.tBar, state, ROUGH);
    spread = dispersion(s, off, undefined, start.tBar, state);
    for (const i of spread?.beyond ?? []) flags[i] = 1;
  }
  return { start, state, flags, spread, shape };
}

/** Which windows stage 1 flags as incidents (none for a cohort too degenerate to fit), with `shape` as the offsets. */
export function incidentWindows(s: CohortSeries, shape: ArrayLike<number>): Uint8Array {
  return stageOne(s, shape).flags;
}

/**
 * Raw hour-of-week profile of the windows not in `flags`: rates logit((Σx + ½)/(Σ(n − x) + ½)), latency Σnȳ/Σn;
 * NaN for an hour without windows.
 */
export function rawProfile(s: CohortSeries, flags: Uint8Array): Float64Array {
  const sn = new Float64Array(168);
  const sx = new Float64Array(168);
  for (let i = 0; i < s.length; i++) {
    if (flags[i]) continue;
    const h = s.how[i]!;
    sn[h]! += s.n[i]!;
    sx[h]! += s.family === 'rate' ? s.x[i]! : s.n[i]! * s.x[i]!;
  }
  const seen = new Uint8Array(168);
  for (let i = 0; i < s.length; i++) if (!flags[i]) seen[s.how[i]!] = 1;
  return Float64Array.from(sn, (n, h) =>
    !seen[h] ? Number.NaN : s.family === 'rate' ? Math.log((sx[h]! + 0.5) / (n - sx[h]! + 0.5)) : sx[h]! / n);
}

/**
 * The whole fit of one cohort × metric: stage 1 with `initial` shape offsets (flags incidents; `one` when the
 * caller has run it already), stage 2 with `refined` (the shapes re-estimated without every cohort's incidents),
 * then the covariance.
 */
export function fitSeries(s: CohortSeries, initial: ArrayLike<number>, refined: ArrayLike<number>, one: StageOne = stageOne(s, initial)): SeriesFit {
  const rate = s.family === 'rate';
  const { start, flags } = one;
  const tBar = start.tBar;
  const st: State = { ...one.state };
  const off = windowOffsets(s, refined);
  reset(s, off, flags, st);
  if (!st.fixed) {
    // Nothing flagged and the same shape: stage 2 starts where stage 1 ended, on the same windows and offsets,
    // so its dispersion is stage 1's (the same sums in the same order).
    const same = !flags.includes(1) && sameShape(one.shape, refined) && st.a === one.state.a && st.b === one.state.b;
    const d = same ? one.spread : dispersion(s, off, flags, tBar, st);
    if (d) {
      st.tau2 = d.k > 2 && d.sw * d.sw > d.sww ? Math.max(0, (d.x2 - (d.k - 2)) / (d.sw - d.sww / d.sw)) : 0;
      st.phi = d.k > 2 ? d.x2 / (d.k - 2) : 1;
    }
    iterate(s, off, flags, tBar, st, CONVERGED);
  }
  reset(s, off, flags, st);
  const flagged = flags.reduce((c, f) => c + f, 0);
  const common = { windows: s.length, n: start.n, x: start.x, tBar, level: st.a, trend: st.b, tau2: st.tau2, phi: st.phi, fixed: st.fixed, flagged };
  if (st.fixed) {
    const varLevel = rate ? (start.n + 1) ** 2 / ((start.x + 0.5) * (start.n - start.x + 0.5) * start.n) : 1 / start.n;
    return { ...common, varLevel, varTrend: 0, covLevelTrend: 0, varTrendModel: 0 };
  }
  const { s0, s1, s2 } = st;
  const det = s0 * s2 - s1 * s1;
  if (!(det > 1e-9 * s0 * s2)) return { ...common, varLevel: 1 / s0, varTrend: 0, covLevelTrend: 0, varTrendModel: 0 };
  const varLevel = s2 / det;
  const varTrend = s0 / det;
  const cov = -s1 / det;
  const m = clusterScores(s, off, flags, tBar, st);
  let ca = 1, cb = 1;
  if (m.days >= MIN_CLUSTER_DAYS) {
    const g = m.days / (m.days - 1);
    ca = Math.max(1, ((s2 * s2 * m.m00 - 2 * s1 * s2 * m.m01 + s1 * s1 * m.m11) * g) / (s2 * det));
    cb = Math.max(1, ((s1 * s1 * m.m00 - 2 * s0 * s1 * m.m01 + s0 * s0 * m.m11) * g) / (s0 * det));
  }
  return { ...common, varLevel: varLevel * ca, varTrend: varTrend * cb, covLevelTrend: cov * Math.sqrt(ca * cb), varTrendModel: varTrend };
}

/** Whether two 168-value shapes give every window the same offset. */
function sameShape(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let h = 0; h < a.length; h++) if (!Object.is(a[h], b[h])) return false;
  return true;
}

/** The day blocks of the stage-2 score: M = Σ_day g gᵀ (m00, m01, m11) and the number of days. */
function clusterScores(s: CohortSeries, off: Float64Array, flags: Uint8Array, tBar: number, st: State) {
  const { w: ws, e: es } = working(s, off, flags, tBar, st.a, st.b);
  let m00 = 0, m01 = 0, m11 = 0, days = 0;
  let day = Number.NaN, g0 = 0, g1 = 0;
  const close = () => {
    if (Number.isNaN(day)) return;
    m00 += g0 * g0;
    m01 += g0 * g1;
    m11 += g1 * g1;
    days++;
  };
  for (let i = 0; i < s.length; i++) {
    if (flags[i]) continue;
    const d = s.t[i]! - tBar;
    const score = (1 / (1 / ws[i]! + st.tau2)) * es[i]!;
    const today = Math.floor(s.t[i]!);
    if (today !== day) {
      close();
      day = today;
      g0 = 0;
      g1 = 0;
    }
    g0 += score;
    g1 += score * d;
  }
  close();
  return { m00, m01, m11, days };
}
