// Host side of the worker: starts it, numbers requests and routes replies back. Imports no tfjs.
import { Worker } from 'node:worker_threads';
import type {
  DatasetRequest,
  Explanation,
  ModelManifest,
  Prediction,
  TrainOptions,
  TrainProgress,
  WorkerReply,
  WorkerRequest,
  DatasetInfo,
  Metrics,
  OnnxExport,
} from '../protocol';

type Listener = (reply: WorkerReply) => void;

/** A request the worker refused or failed; `userError` marks a problem with the user's data or model. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly userError: boolean,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('training cancelled');
    this.name = 'TrainingCancelledError';
  }
}

export interface TrainHandle {
  id: number;
  done: Promise<ModelManifest>;
  cancel(): void;
}

export class WorkerClient {
  private worker?: Worker;
  private nextId = 1;
  private readonly listeners = new Map<number, Listener>();

  constructor(
    private readonly script: string,
    private readonly workerOptions: { execArgv?: string[] } = {},
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, this.workerOptions);
    worker.on('message', (reply: WorkerReply) => this.listeners.get(reply.id)?.(reply));
    const fail = (message: string) => {
      this.worker = undefined;
      for (const [id, listener] of this.listeners) listener({ type: 'error', id, message, userError: false });
    };
    worker.on('error', (error) => fail(`worker crashed: ${error.message}`));
    worker.on('exit', (code) => fail(`worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private request<T>(
    build: (id: number) => WorkerRequest,
    onReply: (reply: WorkerReply, settle: (value: T) => void) => void,
  ): { id: number; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      this.listeners.set(id, (reply) => {
        const finish = (action: () => void) => {
          this.listeners.delete(id);
          action();
        };
        if (reply.type === 'error') return finish(() => reject(new WorkerError(reply.message, reply.userError)));
        if (reply.type === 'cancelled') return finish(() => reject(new TrainingCancelledError()));
        onReply(reply, (value) => finish(() => resolve(value)));
      });
    });
    this.ensureWorker().postMessage(build(id));
    return { id, result };
  }

  train(
    dataset: DatasetRequest,
    modelDir: string,
    options: Partial<TrainOptions>,
    events: { onProgress?: (p: TrainProgress) => void; onDataset?: (d: DatasetInfo) => void; test?: DatasetRequest } = {},
  ): TrainHandle {
    const { id, result } = this.request<ModelManifest>(
      (id) => ({ type: 'train', id, dataset, test: events.test, options, modelDir }),
      (reply, settle) => {
        if (reply.type === 'progress') events.onProgress?.(reply.progress);
        else if (reply.type === 'datasetLoaded') events.onDataset?.(reply.dataset);
        else if (reply.type === 'trained') settle(reply.manifest);
      },
    );
    return { id, done: result, cancel: () => this.worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest) };
  }

  predict(modelDir: string, lines: string[]): Promise<{ labels: string[]; predictions: Prediction[] }> {
    return this.request<{ labels: string[]; predictions: Prediction[] }>(
      (id) => ({ type: 'predict', id, modelDir, lines }),
      (reply, settle) => {
        if (reply.type === 'predictions') settle({ labels: reply.labels, predictions: reply.predictions });
      },
    ).result;
  }

  /** Occlusion weights of each line's tokens for its predicted class (see core/explain.ts). */
  explain(modelDir: string, lines: string[]): Promise<Explanation[]> {
    return this.request<Explanation[]>(
      (id) => ({ type: 'explain', id, modelDir, lines }),
      (reply, settle) => {
        if (reply.type === 'explanations') settle(reply.explanations);
      },
    ).result;
  }

  evaluate(modelDir: string, dataset: DatasetRequest): Promise<{ metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }> {
    return this.request<{ metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }>(
      (id) => ({ type: 'evaluate', id, modelDir, dataset }),
      (reply, settle) => {
        if (reply.type === 'evaluated') settle({ metrics: reply.metrics, unknownLabels: reply.unknownLabels, dataset: reply.dataset });
      },
    ).result;
  }

  /** Writes the model as `out` (.onnx) and its tokenizer beside it; rejects with a WorkerError (userError) when refused. */
  exportOnnx(modelDir: string, out: string): Promise<OnnxExport> {
    return this.request<OnnxExport>(
      (id) => ({ type: 'export', id, modelDir, out }),
      (reply, settle) => {
        if (reply.type === 'exported') settle(reply.result);
      },
    ).result;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.listeners.clear();
    await worker?.terminate();
  }
}
