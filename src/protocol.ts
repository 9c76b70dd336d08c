// Typed messages between the extension host, the worker and the webview. Each direction is one
// discriminated union on `type`; both sides switch on it exhaustively. Types only: no runtime imports,
// so the extension can use it without pulling in tfjs.
import type { TrainOptions } from './core/options';
import type { TrainProgress } from './core/train';
import type { ColumnChoice, Metrics } from './core/types';
import type { DatasetSpec, Prediction } from './core/jobs';
import type { DatasetInfo, ModelManifest } from './core/modelStore';
import type { Explanation, TokenWeight } from './core/explain';

export type { TrainOptions, TrainProgress, ColumnChoice, Metrics, DatasetInfo, ModelManifest, Prediction, Explanation, TokenWeight };

/** Which file to read and how (format and columns are guessed when absent). */
export type DatasetRequest = DatasetSpec;

/** Host → worker. Every request carries an id that its replies repeat. */
export type WorkerRequest =
  | { type: 'train'; id: number; dataset: DatasetRequest; test?: DatasetRequest; options: Partial<TrainOptions>; modelDir: string }
  | { type: 'cancel'; id: number }
  | { type: 'predict'; id: number; modelDir: string; lines: string[] }
  /** Occlusion explanations ("why this label"), one per line; all variants in one batch. */
  | { type: 'explain'; id: number; modelDir: string; lines: string[] }
  | { type: 'evaluate'; id: number; modelDir: string; dataset: DatasetRequest };

/** Worker → host. */
export type WorkerReply =
  | { type: 'datasetLoaded'; id: number; dataset: DatasetInfo }
  | { type: 'progress'; id: number; progress: TrainProgress }
  | { type: 'trained'; id: number; manifest: ModelManifest }
  | { type: 'predictions'; id: number; labels: string[]; predictions: Prediction[] }
  | { type: 'explanations'; id: number; explanations: Explanation[] }
  | { type: 'evaluated'; id: number; metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string; userError: boolean };

export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}

// ---- Host ↔ Metrics webview ------------------------------------------------------------------------

/** One batch-level point of a live training curve; `x` is in epochs (2.5 = half-way through epoch 3). */
export interface CurvePoint {
  x: number;
  /** Running mean over the epoch so far, as TrainProgress reports it. */
  loss: number;
  accuracy: number;
}

/** A training run in progress, as the sidebar draws it. */
export interface LiveTraining {
  /** Workspace-relative path (or file name) of the dataset. */
  dataset: string;
  datasetInfo?: DatasetInfo;
  /** Latest report (batch granularity). */
  progress?: TrainProgress;
  /** One report per finished epoch, with validation figures: the curves. */
  epochs: TrainProgress[];
  /** Batch-level training figures, thinned by the host to a few hundred points. */
  batches: CurvePoint[];
}

/** The saved model's manifest without what the page never shows and can be large (examples, vocabulary). */
export type MetricsViewModel = Omit<ModelManifest, 'validationExamples' | 'tokenizer'>;

/** Everything the sidebar shows; the host sends it whole on every change (it is small). */
export interface MetricsViewState {
  model?: MetricsViewModel;
  training?: LiveTraining;
  /** Metrics of the last "Evaluate Model on Dataset…" run. */
  evaluation?: { dataset: string; metrics: Metrics; unknownLabels: string[] };
  /** False when no folder is open (nowhere to put a model): the page says so instead of offering to train. */
  hasWorkspace: boolean;
}

/** A validation example as the confusion-matrix drill-down lists it (text, where it is, both labels). */
export interface ConfusionExample {
  text: string;
  label: string;
  predicted: string;
  /** 1-based line where the record starts in the dataset file (1 for a folder dataset's file). */
  line: number;
  /** The example's own file, for folder datasets only. */
  file?: string;
}

/** The validation examples of one confusion-matrix cell; `truth` and `predicted` index the validation metrics' labels. */
export interface ConfusionCellExamples {
  /** The model they belong to: the page drops an answer about a model it no longer shows. */
  runId: string;
  truth: number;
  predicted: number;
  /** The first `shown` of them, in dataset order. */
  examples: ConfusionExample[];
  /** How many stored validation examples have this (true, predicted) pair (the model keeps the first 5000). */
  total: number;
  shown: number;
}

export type HostToWebview =
  | { type: 'state'; state: MetricsViewState }
  /** The answer to showConfusionCell. */
  | ({ type: 'confusionExamples' } & ConfusionCellExamples);

/** The commands the page may ask for; the host checks every request against this list. */
export type MetricsViewCommand = 'textcat.train' | 'textcat.evaluate' | 'textcat.cancelTraining';

export type WebviewToHost =
  /** The page has loaded (first load, or again after being hidden): the host answers with the state. */
  | { type: 'ready' }
  /** Runs one of the extension's commands (e.g. from a "Train…" button). */
  | { type: 'runCommand'; command: MetricsViewCommand }
  /** Asks for the validation examples of a confusion-matrix cell (indices into the validation metrics' labels). */
  | { type: 'showConfusionCell'; truth: number; predicted: number }
  /** Opens the dataset at a validation example's record; the host only opens the current model's dataset files. */
  | { type: 'openExample'; line: number; file?: string };

// ---- Training thread ↔ gradient helper threads (src/core/model/parallel.ts, src/worker/gradientWorker.ts) ----

export interface GradientChunk {
  id: number;
  ids: Int32Array;
  batchSize: number;
  steps: number;
  /** The rows' n-gram ids (models with a wide path). */
  ngrams?: import('./core/model/network').NgramBatch;
  targets: number[];
  weights: number[];
  dropout: number;
  /** Seeds this chunk's dropout, so results do not depend on which thread ran it. */
  seed: number;
  normalizer: number;
}

/** Lines to classify against the shared weights: token ids back to back, `lengths` saying where each ends. */
export interface PredictionChunk {
  id: number;
  ids: Int32Array;
  lengths: Int32Array;
  /** Each line's n-gram ids, the same way (empty lists without a wide path). */
  ngramIds: Int32Array;
  ngramLengths: Int32Array;
  maxLength: number;
}

export type GradientRequest =
  | { type: 'init'; buffer: SharedArrayBuffer; lengths: number[]; shape: import('./core/model/params').NetworkShape }
  | ({ type: 'chunk' } & GradientChunk)
  | ({ type: 'predict' } & PredictionChunk);

export type GradientReply =
  | { type: 'ready' }
  | { type: 'gradients'; id: number; result: import('./core/model/network').TrainStepResult }
  | { type: 'probabilities'; id: number; probabilities: Float32Array }
  | { type: 'failed'; id: number; message: string };
