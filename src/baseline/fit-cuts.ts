import { fitSeries, rawProfile, stageOne, type CohortSeries, type SeriesFit, type StageOne } from './fit-series.js';
import { prefix } from './cohort-series.js';
import { HOURS_PER_WEEK, smoothShape } from './shapes.js';

/**
 * One cut of a cohort: its windows before the cut (a prefix of the series), where its shapes come from, and
 * whether it is worth an IRLS fit.
 */
export interface CutJob {
  k: number;
  /** Windows before the cut. */
  length: number;
  /**
   * The cohort is big before the cut and estimates its own shapes from these windows; otherwise `initial` and
   * `refined` are the ones it borrows.
   */
  own: boolean;
  initial?: Float64Array;
  refined?: Float64Array;
  /** Fit it (`fitSeries`); when false only the shape mean is computed (a small cohort's level is shrunk instead). */
  fit: boolean;
}

/** A cut's fit, the n-weighted mean of the cohort's refined shape offsets over its windows, and an own cohort's shapes. */
export interface CutResult {
  k: number;
  fit?: SeriesFit;
  shapeMean: number;
  /** Own shapes only: the first (all windows) and, when stage 1 flagged incidents, the one without them (else the first is the refined one). */
  first?: Float64Array;
  refined?: Float64Array;
}

/** A flat shape: everyone's when everyone is not big, and what a cohort borrows when no shape is there. */
export const FLAT = new Float64Array(HOURS_PER_WEEK);

/**
 * Every cut of one cohort (pure; the same on a worker thread as inline). An own cohort's first shape is the smoothed
 * raw hour-of-week profile of its windows before the cut; stage 1 with it flags incidents, and the shape is
 * estimated again without them (statistics.md 1.1). Then `fitSeries` with the first shape for stage 1 (an own
 * cohort's is the one just run) and the refined one for stage 2.
 */
export function fitCuts(series: CohortSeries, jobs: readonly CutJob[]): CutResult[] {
  return jobs.map(({ k, length, own, fit, ...borrowed }) => {
    const before = prefix(series, length);
    let initial = borrowed.initial ?? FLAT;
    let refined = borrowed.refined ?? FLAT;
    let shapes: Pick<CutResult, 'first' | 'refined'> = {};
    let one: StageOne | undefined;
    if (own) {
      initial = smoothShape(rawProfile(before, new Uint8Array(before.length)));
      refined = initial;
      one = stageOne(before, initial);
      if (one.flags.includes(1)) {
        const profile = rawProfile(before, one.flags);
        if (profile.some(Number.isFinite)) refined = smoothShape(profile);
      }
      shapes = refined === initial ? { first: initial } : { first: initial, refined };
    }
    const result: CutResult = { k, shapeMean: meanOffset(before, refined), ...shapes };
    // An own cohort's stage 1 is the one that found its incidents: the fit goes on from it.
    if (fit) result.fit = one ? fitSeries(before, initial, refined, one) : fitSeries(before, initial, refined);
    return result;
  });
}

/** Σ n·s(h) / Σ n over the windows: the n-weighted mean of the cohort's shape offsets (`shapeMeanBaseline`). */
export function meanOffset(series: CohortSeries, shape: ArrayLike<number>): number {
  let sn = 0;
  let so = 0;
  for (let i = 0; i < series.length; i++) {
    sn += series.n[i]!;
    so += series.n[i]! * (shape[series.how[i]!] ?? 0);
  }
  return sn > 0 ? so / sn : 0;
}
