// Messages between the extension host (src/extension/metrics) and the Metrics webview (src/webview), and the
// state the page draws. Each direction is one discriminated union on `type`; both sides switch on it. Types only.
import type {
  AutotuneRecord,
  AutotuneTrial,
  DatasetInfo,
  LearningCurve,
  Metrics,
  ModelSummary,
  TrainOptions,
  TrainProgress,
} from './types';

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
export type MetricsViewModel = Omit<ModelSummary, 'validationExamples' | 'tokenizer'>;

/**
 * A Train with Autotune run of this window, as the sidebar's Autotune section draws it: the trials so far and the
 * one running, updated as each ends. Once the run's model is saved the section can draw the same from the model's
 * own record (ModelSummary.autotune), which is what a reloaded window has.
 */
export interface AutotuneView {
  /** Workspace-relative path (or file name) of the dataset. */
  dataset: string;
  budgetSeconds: number;
  phase: 'running' | 'done' | 'cancelled' | 'failed';
  /** Known once the dataset is read. */
  rows?: number;
  /** 1: each trial scored on the validation split; k ≥ 2: k-fold cross-validation. */
  folds?: number;
  /** The options the user set (they apply to every trial; the search leaves them as they are). */
  start: Partial<TrainOptions>;
  trials: AutotuneTrial[];
  /** The index of the best trial so far (the chosen one once done). */
  best?: number;
  /** The trial training now (and which of its folds), or the final step after the search. */
  running?: { index: number; changes: Partial<TrainOptions>; fold?: number };
  finalStep?: 'retrain' | 'baseline';
  /** Seconds of the budget left at the last report. */
  secondsLeft?: number;
  /** Why no more trials started, and the configuration the budget left no time for. */
  stopped?: { why: string; skipped?: Partial<TrainOptions> };
  /** Once done: the record saved with the model, and the model's run id. */
  record?: AutotuneRecord;
  runId?: string;
}

/** Everything the sidebar shows; the host sends it whole on every change (it is small). */
export interface MetricsViewState {
  model?: MetricsViewModel;
  training?: LiveTraining;
  /** Metrics of the last "Evaluate Model on Dataset…" run. */
  evaluation?: { dataset: string; metrics: Metrics; unknownLabels: string[] };
  /** The last "Would More Labels Help?" run (models trained in memory; no model is needed for it). */
  learningCurve?: { dataset: string; curve: LearningCurve };
  /** The last Train with Autotune run of this window (live while it runs); absent after a reload (the model's record shows). */
  autotune?: AutotuneView;
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
