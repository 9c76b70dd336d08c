// Host side of the worker: starts it on the first request, numbers requests and routes replies back (over the
// same ThreadChannel as core's gradient helpers). Imports no tfjs.
import { Worker } from 'node:worker_threads';
import { ThreadChannel } from '../core/threadChannel';
import { CancelledError } from '../core/types';
import type {
  AutotuneRecord,
  CheckedDataset,
  DatasetInfo,
  Explanation,
  LabelIssueRow,
  LearningCurve,
  Metrics,
  ModelSummary,
  OnnxExport,
  Prediction,
  TrainOptions,
  TrainProgress,
} from '../protocol/types';
import type { AutotuneEvent, DatasetRequest, WorkerReply, WorkerRequest } from '../protocol/worker';

/**
 * A request the worker refused or failed. `userError` marks a problem with the user's data or model, phrased
 * for them; `file` and `line` (when known) say where it is.
 */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly userError: boolean,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** What can cancel a request: a vscode.CancellationToken fits as it is. */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface TrainHandle<T = ModelSummary> {
  id: number;
  /** Settles once the worker is done: with the result, or a CancelledError after cancel(), or a WorkerError. */
  done: Promise<T>;
  /** Asks the worker to stop; `done` rejects with a CancelledError once it has (the model folder untouched). */
  cancel(): void;
}

export interface TrainEvents {
  onProgress?: (p: TrainProgress) => void;
  onDataset?: (d: DatasetInfo) => void;
  test?: DatasetRequest;
  /** Continue from the model in the folder (a fine-tune); the worker trains from scratch when it cannot, and says why. */
  warmStart?: boolean;
}

/** How a training that may ask for columns ended: a model, or the dataset read with a column guess to confirm. */
export type TrainResult =
  /** `fullRetrainReason`: a warm start was asked for and the worker trained from scratch instead. */
  { kind: 'trained'; manifest: ModelSummary; fullRetrainReason?: string } | { kind: 'columnsUnsure'; dataset: DatasetInfo };

type Channel = ThreadChannel<WorkerRequest, WorkerReply>;

export class WorkerClient {
  private channel?: Channel;
  private nextId = 1;
  /**
   * True in an untrusted workspace: reads (predict, explain, evaluate) leave the model folder as it is, without
   * recovering a killed save's leftovers (which renames and deletes folders).
   */
  readOnly = false;
  private disposed = false;

  constructor(
    private readonly script: string,
    private readonly workerOptions: { execArgv?: string[] } = {},
  ) {}

  train(dataset: DatasetRequest, modelDir: string, options: Partial<TrainOptions>, events: TrainEvents = {}): TrainHandle {
    return this.startTraining({ dataset, modelDir, options, askColumnsIfUnsure: false }, events, (reply) =>
      reply.type === 'trained' ? reply.manifest : undefined,
    );
  }

  /**
   * As train, but when the worker's column guess is unsure (and the request names no columns) it stops after
   * reading and answers with what it read, so the caller can ask the user; then it trains again with the answer.
   */
  trainOrAskColumns(
    dataset: DatasetRequest,
    modelDir: string,
    options: Partial<TrainOptions>,
    events: TrainEvents = {},
  ): TrainHandle<TrainResult> {
    return this.startTraining<TrainResult>({ dataset, modelDir, options, askColumnsIfUnsure: true }, events, (reply) => {
      if (reply.type === 'trained') {
        const reason = reply.fullRetrainReason;
        return { kind: 'trained', manifest: reply.manifest, ...(reason === undefined ? {} : { fullRetrainReason: reason }) };
      }
      if (reply.type === 'columnsUnsure') return { kind: 'columnsUnsure', dataset: reply.dataset };
      return undefined;
    });
  }

  predict(modelDir: string, lines: string[], token?: CancellationSignal): Promise<{ labels: string[]; predictions: Prediction[] }> {
    return this.request({ type: 'predict', id: this.nextId++, modelDir, lines, recover: !this.readOnly }, token, (reply) =>
      reply.type === 'predictions' ? { labels: reply.labels, predictions: reply.predictions } : undefined,
    );
  }

  /** Occlusion weights of each line's tokens for its predicted class (see core/analysis/explain.ts). */
  explain(modelDir: string, lines: string[], token?: CancellationSignal): Promise<Explanation[]> {
    return this.request({ type: 'explain', id: this.nextId++, modelDir, lines, recover: !this.readOnly }, token, (reply) =>
      reply.type === 'explanations' ? reply.explanations : undefined,
    );
  }

  evaluate(
    modelDir: string,
    dataset: DatasetRequest,
    token?: CancellationSignal,
  ): Promise<{ metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }> {
    return this.request({ type: 'evaluate', id: this.nextId++, modelDir, dataset, recover: !this.readOnly }, token, (reply) =>
      reply.type === 'evaluated' ? { metrics: reply.metrics, unknownLabels: reply.unknownLabels, dataset: reply.dataset } : undefined,
    );
  }

  /** Writes the model as `out` (.onnx) and its tokenizer beside it; rejects with a WorkerError (userError) when refused. */
  exportOnnx(modelDir: string, out: string, token?: CancellationSignal): Promise<OnnxExport> {
    return this.request({ type: 'export', id: this.nextId++, modelDir, out }, token, (reply) =>
      reply.type === 'exported' ? reply.result : undefined,
    );
  }

  /** Likely label errors of a dataset: `folds` models trained in the worker, nothing written. */
  checkLabels(
    dataset: DatasetRequest,
    options: Partial<TrainOptions>,
    folds: number,
    events: { onFold?: (fold: number, folds: number) => void; token?: CancellationSignal } = {},
  ): Promise<{ dataset: CheckedDataset; issues: LabelIssueRow[] }> {
    return this.request({ type: 'checkLabels', id: this.nextId++, dataset, options, folds }, events.token, (reply) => {
      if (reply.type === 'labelCheckFold') events.onFold?.(reply.fold, reply.folds);
      return reply.type === 'labelIssues' ? { dataset: reply.dataset, issues: reply.issues } : undefined;
    });
  }

  /** Would more labels help? Models trained in the worker on growing shares of the rows, nothing written. */
  learningCurve(
    dataset: DatasetRequest,
    options: Partial<TrainOptions>,
    events: { shares?: number[]; onPoint?: (index: number, count: number, share: number) => void; token?: CancellationSignal } = {},
  ): Promise<LearningCurve & { rows: number }> {
    const request: WorkerRequest = {
      type: 'learningCurve',
      id: this.nextId++,
      dataset,
      options,
      ...(events.shares ? { shares: events.shares } : {}),
    };
    return this.request(request, events.token, (reply) => {
      if (reply.type === 'learningCurvePoint') events.onPoint?.(reply.index, reply.count, reply.share);
      return reply.type === 'learningCurve' ? reply.curve : undefined;
    });
  }

  /**
   * Train with Autotune: options searched in the worker for `budgetSeconds`, the best model saved to `modelDir`.
   * Nothing is written before the search ends, and as with train() a cancel waits for the worker's answer: `done`
   * rejects with a CancelledError once it has stopped, or resolves when the model was saved before the cancel came.
   */
  autotune(
    request: { dataset: DatasetRequest; modelDir: string; options: Partial<TrainOptions>; fixed: string[]; budgetSeconds: number },
    onEvent?: (event: AutotuneEvent) => void,
  ): TrainHandle<{ manifest: ModelSummary; record: AutotuneRecord }> {
    const id = this.nextId++;
    const done = this.request({ type: 'autotune', id, ...request }, undefined, (reply) => {
      if (reply.type === 'autotuneEvent') onEvent?.(reply.event);
      return reply.type === 'autotuned' ? { manifest: reply.manifest, record: reply.record } : undefined;
    });
    return { id, done, cancel: () => this.channel?.post({ type: 'cancel', id }) };
  }

  /** Stops the worker; whatever was pending rejects with a CancelledError, and so does any later request. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.channel?.close(new CancelledError('the Textcat worker was stopped'));
  }

  private startTraining<T>(
    request: { dataset: DatasetRequest; modelDir: string; options: Partial<TrainOptions>; askColumnsIfUnsure: boolean },
    events: TrainEvents,
    result: (reply: WorkerReply) => T | undefined,
  ): TrainHandle<T> {
    const id = this.nextId++;
    const warmStart = events.warmStart ? { warmStart: true } : {};
    const done = this.request({ type: 'train', id, test: events.test, ...warmStart, ...request }, undefined, (reply) => {
      if (reply.type === 'progress') events.onProgress?.(reply.progress);
      else if (reply.type === 'datasetLoaded') events.onDataset?.(reply.dataset);
      return result(reply);
    });
    // The worker answers a cancel with 'cancelled' once it has stopped, which rejects `done`.
    return { id, done, cancel: () => this.channel?.post({ type: 'cancel', id }) };
  }

  /**
   * Sends a request and resolves with the first reply `answer` turns into a value. A cancelled `token` rejects
   * at once with a CancelledError and tells the worker to drop the request if it has not started it yet.
   */
  private request<T>(
    request: WorkerRequest,
    token: CancellationSignal | undefined,
    answer: (reply: WorkerReply) => T | undefined,
  ): Promise<T> {
    if (this.disposed) return Promise.reject(new CancelledError('the Textcat worker was stopped'));
    const channel = this.ensureChannel();
    const result = channel.request<T>(request, (reply, settle) => {
      if (reply.type === 'error') return settle.reject(new WorkerError(reply.message, reply.userError, reply.file, reply.line));
      if (reply.type === 'cancelled') return settle.reject(new CancelledError());
      const value = answer(reply);
      if (value !== undefined) settle.resolve(value);
    });
    if (token) {
      const cancel = () => {
        channel.post({ type: 'cancel', id: request.id });
        channel.abandon(request.id, new CancelledError());
      };
      if (token.isCancellationRequested) cancel();
      const listener = token.onCancellationRequested(cancel);
      const stopListening = () => void listener.dispose();
      result.then(stopListening, stopListening);
    }
    return result;
  }

  /** The worker starts on the first request, and again after a crash (the crash failed what was pending). */
  private ensureChannel(): Channel {
    this.channel ??= new ThreadChannel(new Worker(this.script, this.workerOptions), 'the Textcat worker', () => {
      this.channel = undefined;
    });
    return this.channel;
  }
}
