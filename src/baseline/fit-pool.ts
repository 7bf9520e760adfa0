import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CohortSeries } from './fit-series.js';
import { fitCuts, type CutJob, type CutResult } from './fit-cuts.js';

/** The five columns of a cohort's series, with room for `capacity` windows; they travel to a worker and back. */
export interface SeriesBuffers {
  t: Float64Array<ArrayBuffer>;
  how: Int32Array<ArrayBuffer>;
  n: Float64Array<ArrayBuffer>;
  x: Float64Array<ArrayBuffer>;
  s2: Float64Array<ArrayBuffer>;
}

/** A cohort's series (its first `length` windows in `buffers`) and cuts, sent to a worker, which owns the buffers until it answers. */
export interface FitRequest {
  id: number;
  family: CohortSeries['family'];
  length: number;
  buffers: SeriesBuffers;
  jobs: CutJob[];
}

/** A worker's answer to the request with the same id, with the request's buffers back. */
export interface FitResponse {
  id: number;
  results: CutResult[];
  buffers: SeriesBuffers;
}

/** The series a request describes (views of its buffers). */
export function requestSeries({ family, length, buffers }: Pick<FitRequest, 'family' | 'length' | 'buffers'>): CohortSeries {
  return { family, length, ...buffers };
}

/** The buffers' transfer list. */
export const transferList = (b: SeriesBuffers): ArrayBuffer[] => [b.t.buffer, b.how.buffer, b.n.buffer, b.x.buffer, b.s2.buffer];

/** Cohorts sent to a worker and not yet answered, per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 16;

/**
 * Fits cohorts (`fitCuts`) on worker threads, or inline with no workers. Every cohort's fit is a pure function of
 * its series and shapes, so the results are the same bits whichever thread computes them and in whatever order
 * they come back; `fit` hands each cohort's results to its callback.
 *
 * `fit` resolves once the cohort is queued (it waits while every worker has `IN_FLIGHT_PER_WORKER` cohorts in
 * hand); `drain` once every result has been handed over. `close` ends the workers.
 */
export class FitPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { worker: number; done: (results: CutResult[]) => void }>();
  private readonly load: number[] = [];
  private readonly spare: SeriesBuffers[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(size: number) {
    for (let w = 0; w < size; w++) {
      const worker = new Worker(new URL('./fit-worker.mjs', import.meta.url));
      worker.on('message', (response: FitResponse) => this.answer(response));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`fit worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  /** Fits `jobs` of `series` (copied when sent to a worker: the caller may reuse its arrays) and calls `done` with the results. */
  async fit(series: CohortSeries, jobs: CutJob[], done: (results: CutResult[]) => void): Promise<void> {
    this.check();
    if (this.workers.length === 0) {
      done(fitCuts(series, jobs));
      return;
    }
    while (Math.min(...this.load) >= IN_FLIGHT_PER_WORKER) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.check();
    }
    const worker = this.load.indexOf(Math.min(...this.load));
    const id = this.nextId++;
    const length = series.length;
    const buffers = this.buffersFor(length);
    buffers.t.set(series.t.subarray(0, length));
    buffers.how.set(series.how.subarray(0, length));
    buffers.n.set(series.n.subarray(0, length));
    buffers.x.set(series.x.subarray(0, length));
    buffers.s2.set(series.s2.subarray(0, length));
    this.pending.set(id, { worker, done });
    this.load[worker]!++;
    const request: FitRequest = { id, family: series.family, length, buffers, jobs };
    this.workers[worker]!.postMessage(request, transferList(buffers));
  }

  /**
   * Buffers for a series of `length` windows: ones a worker has sent back when they are big enough (a build copies
   * tens of millions of windows to its workers; fresh buffers for each cohort cost more in garbage collection than
   * the fits save).
   */
  private buffersFor(length: number): SeriesBuffers {
    for (;;) {
      const spare = this.spare.pop();
      if (!spare) break;
      if (spare.t.length >= length) return spare;
    }
    const capacity = Math.max(4096, 2 ** Math.ceil(Math.log2(length)));
    return {
      t: new Float64Array(capacity), how: new Int32Array(capacity), n: new Float64Array(capacity),
      x: new Float64Array(capacity), s2: new Float64Array(capacity),
    };
  }

  /** Waits for every cohort sent so far. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.check();
    }
    this.check();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private answer({ id, results, buffers }: FitResponse): void {
    this.spare.push(buffers);
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.load[entry.worker]!--;
    try {
      entry.done(results);
    } catch (error) {
      this.fail(error as Error);
    }
    this.signal();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

/**
 * Worker threads for a fit over `windows` cohort-windows (summed over cuts): none below `INLINE_WINDOWS`, where
 * starting them costs more than they save, else one per core up to `MAX_WORKERS`; `STAGEWISE_FIT_WORKERS` overrides.
 */
export function fitWorkers(windows: number): number {
  const forced = process.env['STAGEWISE_FIT_WORKERS'];
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`STAGEWISE_FIT_WORKERS must be a whole number ≥ 0, got '${forced}'`);
    return n;
  }
  return windows < INLINE_WINDOWS ? 0 : Math.min(availableParallelism(), MAX_WORKERS);
}

/** Below this many cohort-windows the fit runs inline (about a second of fitting). */
export const INLINE_WINDOWS = 2_000_000;
/** Worker threads at most. */
export const MAX_WORKERS = 4;
