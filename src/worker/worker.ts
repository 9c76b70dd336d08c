// worker_threads entry: training and inference run here, never on the extension host thread.
// tfjs (wasm) is loaded only in this thread.
import { parentPort } from 'node:worker_threads';
import { explainLines } from '../core/explain';
import { evaluateJob, ModelCache, predictLines, trainJob } from '../core/jobs';
import { TrainingCancelled } from '../core/train';
import { TextcatError } from '../core/types';
import type { WorkerReply, WorkerRequest } from '../protocol/worker';

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');

const running = new Map<number, AbortController>();
const models = new ModelCache();
const send = (reply: WorkerReply) => port.postMessage(reply);

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'train': {
      const abort = new AbortController();
      running.set(request.id, abort);
      try {
        const manifest = await trainJob({
          dataset: request.dataset,
          test: request.test,
          options: request.options,
          modelDir: request.modelDir,
          signal: abort.signal,
          onDatasetLoaded: (dataset) => send({ type: 'datasetLoaded', id: request.id, dataset }),
          onProgress: (progress) => send({ type: 'progress', id: request.id, progress }),
        });
        send({ type: 'trained', id: request.id, manifest });
      } finally {
        running.delete(request.id);
      }
      return;
    }
    case 'cancel':
      running.get(request.id)?.abort();
      return;
    case 'predict': {
      const model = await models.get(request.modelDir);
      send({
        type: 'predictions',
        id: request.id,
        labels: model.labels,
        predictions: await predictLines(model, request.lines, models.predictor(model)),
      });
      return;
    }
    case 'explain': {
      const model = await models.get(request.modelDir);
      send({ type: 'explanations', id: request.id, explanations: await explainLines(model, request.lines, models.predictor(model)) });
      return;
    }
    case 'evaluate': {
      const model = await models.get(request.modelDir);
      send({ type: 'evaluated', id: request.id, ...(await evaluateJob(model, request.dataset, models.predictor(model))) });
      return;
    }
    default: {
      const unexpected: never = request;
      throw new Error(`unknown request: ${JSON.stringify(unexpected)}`);
    }
  }
}

port.on('message', (request: WorkerRequest) => {
  handle(request).catch((error: unknown) => {
    if (error instanceof TrainingCancelled) return send({ type: 'cancelled', id: request.id });
    const userError = error instanceof TextcatError;
    const message = userError
      ? error.message
      : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    send({ type: 'error', id: request.id, message, userError });
  });
});
