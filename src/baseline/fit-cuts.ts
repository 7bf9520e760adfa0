import { fitSeries, type CohortSeries, type SeriesFit } from './fit-series.js';
import { prefix } from './cohort-series.js';

/** One cut of a cohort's fit: its windows before the cut (a prefix of the series) and the two shapes `fitSeries` takes. */
export interface CutJob {
  k: number;
  /** Windows before the cut. */
  length: number;
  initial: Float64Array;
  refined: Float64Array;
}

/** A cut's fit and the n-weighted mean of the cohort's refined shape offsets over its windows (`shapeMeanBaseline`). */
export interface CutResult {
  k: number;
  fit: SeriesFit;
  shapeMean: number;
}

/** Every cut of one cohort: `fitSeries` on each prefix. Pure; the same on a worker thread as inline. */
export function fitCuts(series: CohortSeries, jobs: readonly CutJob[]): CutResult[] {
  return jobs.map(({ k, length, initial, refined }) => {
    const before = prefix(series, length);
    return { k, fit: fitSeries(before, initial, refined), shapeMean: meanOffset(before, refined) };
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
