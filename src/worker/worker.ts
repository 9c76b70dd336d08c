// worker_threads entry: training and inference run here, never on the extension host thread.
// tfjs (wasm) is loaded only in this thread.
import { parentPort } from 'node:worker_threads';
import { explainLines } from '../core/analysis/explain';
import { exportOnnx } from '../core/export/exportModel';
import { evaluateJob, ModelCache, predictLines, trainJob } from '../core/jobs';
import { checkLabelsJob } from '../core/analysis/labelErrors';
import { learningCurveJob } from '../core/analysis/learningCurve';
import { errorDetail } from '../core/format/errorText';
import { WARM_START_DEFAULTS } from '../core/training/warmStart';
import { CancelledError, TextcatError, type ColumnChoice } from '../core/types';
import type { DatasetInfo } from '../protocol/types';
import type { WorkerReply, WorkerRequest } from '../protocol/worker';
import { runAutotune } from './autotuneRequest';
import { HELPER_SCRIPT } from './helperScript';

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');

type Job = Exclude<WorkerRequest, { type: 'cancel' }>;

/** Every request in progress, so a cancel can reach it. */
const running = new Map<number, AbortController>();
const models = new ModelCache(HELPER_SCRIPT);
const send = (reply: WorkerReply) => port.postMessage(reply);

/** An unsure guess worth asking about: there is another column to choose. */
function worthAsking(columns: ColumnChoice): boolean {
  return !columns.confident && columns.available.length >= 2;
}

async function train(request: Extract<Job, { type: 'train' }>, job: AbortController): Promise<WorkerReply> {
  let unsure: DatasetInfo | undefined;
  let fullRetrainReason: string | undefined;
  try {
    const manifest = await trainJob({
      dataset: request.dataset,
      test: request.test,
      options: request.options,
      modelDir: request.modelDir,
      signal: job.signal,
      helperScript: HELPER_SCRIPT,
      warmStart: request.warmStart
        ? { mode: 'prefer', options: WARM_START_DEFAULTS, onFullRetrain: (reason) => (fullRetrainReason = reason) }
        : undefined,
      onDatasetLoaded: (dataset) => {
        if (request.askColumnsIfUnsure && worthAsking(dataset.columns)) {
          unsure = dataset;
          job.abort(); // the job's own stop: nothing is trained or written
          return;
        }
        send({ type: 'datasetLoaded', id: request.id, dataset });
      },
      onProgress: (progress) => send({ type: 'progress', id: request.id, progress }),
    });
    // The host reads the saved folder through its checked reader; the reply needs no tokenizer (most of the file).
    // The split record is for the next warm start, in this thread; it is as large as the dataset has rows.
    const { tokenizer: _tokenizer, split: _split, ...summary } = manifest;
    return { type: 'trained', id: request.id, manifest: summary, ...(fullRetrainReason ? { fullRetrainReason } : {}) };
  } catch (error) {
    if (unsure) return { type: 'columnsUnsure', id: request.id, dataset: unsure };
    throw error;
  }
}

/** Loads the request's model; a request cancelled while it waited stops here, before the work. */
async function model(request: Extract<Job, { recover: boolean }>, job: AbortController) {
  const loaded = await models.get(request.modelDir, request.recover);
  if (job.signal.aborted) throw new CancelledError();
  return loaded;
}

async function answer(request: Job, job: AbortController): Promise<WorkerReply> {
  switch (request.type) {
    case 'train':
      return train(request, job);
    case 'predict': {
      const loaded = await model(request, job);
      const predictions = await predictLines(loaded, request.lines, models.textPredictor(loaded));
      return { type: 'predictions', id: request.id, labels: loaded.labels, predictions };
    }
    case 'explain': {
      const loaded = await model(request, job);
      return { type: 'explanations', id: request.id, explanations: await explainLines(loaded, request.lines, models.predictor(loaded)) };
    }
    case 'evaluate': {
      const loaded = await model(request, job);
      return { type: 'evaluated', id: request.id, ...(await evaluateJob(loaded, request.dataset, models.textPredictor(loaded))) };
    }
    case 'export':
      return { type: 'exported', id: request.id, result: await exportOnnx(request.modelDir, request.out) };
    case 'checkLabels': {
      const { dataset, issues } = await checkLabelsJob({
        dataset: request.dataset,
        options: request.options,
        folds: request.folds,
        signal: job.signal,
        helperScript: HELPER_SCRIPT,
        onFold: (fold, folds) => send({ type: 'labelCheckFold', id: request.id, fold, folds }),
      });
      return { type: 'labelIssues', id: request.id, dataset, issues };
    }
    case 'learningCurve': {
      const curve = await learningCurveJob({
        dataset: request.dataset,
        options: request.options,
        shares: request.shares,
        signal: job.signal,
        helperScript: HELPER_SCRIPT,
        onPoint: (index, count, share) => send({ type: 'learningCurvePoint', id: request.id, index, count, share }),
      });
      return { type: 'learningCurve', id: request.id, curve };
    }
    case 'autotune':
      return runAutotune(request, job.signal, send);
    default: {
      const unexpected: never = request;
      throw new Error(`unknown request: ${JSON.stringify(unexpected)}`);
    }
  }
}

function failure(id: number, error: unknown): WorkerReply {
  if (error instanceof CancelledError) return { type: 'cancelled', id };
  if (error instanceof TextcatError)
    return { type: 'error', id, message: error.message, userError: true, file: error.file, line: error.line };
  return { type: 'error', id, message: `internal error: ${errorDetail(error)}`, userError: false };
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'cancel') return running.get(request.id)?.abort();
  const job = new AbortController();
  running.set(request.id, job);
  answer(request, job)
    .then(send, (error: unknown) => send(failure(request.id, error)))
    .finally(() => running.delete(request.id));
});
