// A FitPool worker (fit-pool.ts): fits every cut of each cohort it is sent, in the order sent.
import { parentPort } from 'node:worker_threads';
import { fitCuts } from './fit-cuts.js';
import { requestSeries, transferList, type FitRequest, type FitResponse } from './fit-pool.js';

if (!parentPort) throw new Error('fit-worker runs on a worker thread');
const port = parentPort;
port.on('message', (request: FitRequest) => {
  const response: FitResponse = { id: request.id, results: fitCuts(requestSeries(request), request.jobs), buffers: request.buffers };
  port.postMessage(response, transferList(request.buffers));
});
