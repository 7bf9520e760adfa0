// A FitPool worker (fit-pool.ts): fits every cut of each cohort it is sent, in the order sent.
import { parentPort } from 'node:worker_threads';
import { fitCuts } from './fit-cuts.js';
import type { FitRequest, FitResponse } from './fit-pool.js';

if (!parentPort) throw new Error('fit-worker runs on a worker thread');
const port = parentPort;
port.on('message', ({ id, series, jobs }: FitRequest) => {
  const response: FitResponse = { id, results: fitCuts(series, jobs) };
  port.postMessage(response);
});
