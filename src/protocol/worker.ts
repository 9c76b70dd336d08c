// Messages between the extension host (src/worker/client.ts) and the worker thread (src/worker/worker.ts).
// Each direction is one discriminated union on `type`; both sides switch on it exhaustively. Types only.
import type {
  AutotuneRecord,
  AutotuneTrial,
  CheckedDataset,
  DatasetInfo,
  DatasetSpec,
  Explanation,
  LabelIssueRow,
  LearningCurve,
  Metrics,
  ModelSummary,
  OnnxExport,
  Prediction,
  TrainOptions,
  TrainProgress,
} from './types';

/** Which file to read and how (format and columns are guessed when absent). */
export type DatasetRequest = DatasetSpec;

/** Host → worker. Every request carries an id that its replies repeat. */
export type WorkerRequest =
  | {
      type: 'train';
      id: number;
      dataset: DatasetRequest;
      test?: DatasetRequest;
      options: Partial<TrainOptions>;
      modelDir: string;
      /** Stop after reading, answering 'columnsUnsure', when the column guess is unsure and none were named. */
      askColumnsIfUnsure: boolean;
      /**
       * Continue from the model in modelDir (a fine-tune: WARM_START_DEFAULTS' epochs and patience over `options`);
       * when there is none or `options` change the network, train from scratch and say why in 'trained'.
       */
      warmStart?: boolean;
    }
  /** Stops the request with this id: a training between two batches, any other before its work starts. */
  | { type: 'cancel'; id: number }
  /** `recover: false` (an untrusted workspace): the model is read without recovering a killed save's leftovers. */
  | { type: 'predict'; id: number; modelDir: string; lines: string[]; recover: boolean }
  /** Occlusion explanations ("why this label"), one per line; all variants in one batch. */
  | { type: 'explain'; id: number; modelDir: string; lines: string[]; recover: boolean }
  | { type: 'evaluate'; id: number; modelDir: string; dataset: DatasetRequest; recover: boolean }
  /** The model as `out` (an .onnx file) and the tokenizer beside it (core/export/exportModel.ts). */
  | { type: 'export'; id: number; modelDir: string; out: string }
  /** Likely label errors of a dataset (core/analysis/labelErrors.ts): k models trained in memory, nothing written. */
  | { type: 'checkLabels'; id: number; dataset: DatasetRequest; options: Partial<TrainOptions>; folds: number }
  /** Would more labels help? Models trained in memory on growing shares of the rows (core/analysis/learningCurve.ts). */
  | { type: 'learningCurve'; id: number; dataset: DatasetRequest; options: Partial<TrainOptions>; shares?: number[] }
  /**
   * Train with Autotune (core/autotune/autotuneJob.ts): options searched for `budgetSeconds`, the best model saved to
   * modelDir; `fixed` names the options the user set, which the search leaves as they are.
   */
  | {
      type: 'autotune';
      id: number;
      dataset: DatasetRequest;
      options: Partial<TrainOptions>;
      fixed: string[];
      budgetSeconds: number;
      modelDir: string;
    };

/** How an autotune search is going, as the worker tells it (each as `{ type: 'autotuneEvent', id, event }`). */
export type AutotuneEvent =
  /** The dataset is read: its rows, and how many folds score each trial (1: the validation split). */
  | { kind: 'started'; rows: number; classes: number; folds: number; start: Partial<TrainOptions> }
  | { kind: 'trialStarted'; index: number; changes: Partial<TrainOptions> }
  /** A trial (1-based `trial`; 0 is the final training on every row) is training `fold`: a thinned progress report. */
  | { kind: 'progress'; trial: number; fold: number; progress: TrainProgress }
  /** `best`: the index of the best trial so far. */
  | { kind: 'trialEnded'; trial: AutotuneTrial; best: number }
  /** No more trials start: why, and the configuration the budget left no time for (when that was why). */
  | { kind: 'stopped'; why: string; skipped?: Partial<TrainOptions> }
  | { kind: 'finalStep'; step: 'retrain' | 'baseline' };

/** Worker → host. */
export type WorkerReply =
  | { type: 'datasetLoaded'; id: number; dataset: DatasetInfo }
  | { type: 'progress'; id: number; progress: TrainProgress }
  /** `fullRetrainReason`: a warm start was asked for and could not be done (the manifest has no parentRunId). */
  | { type: 'trained'; id: number; manifest: ModelSummary; fullRetrainReason?: string }
  /** The answer to a train request with askColumnsIfUnsure whose guess was unsure: nothing was trained. */
  | { type: 'columnsUnsure'; id: number; dataset: DatasetInfo }
  | { type: 'predictions'; id: number; labels: string[]; predictions: Prediction[] }
  | { type: 'explanations'; id: number; explanations: Explanation[] }
  | { type: 'evaluated'; id: number; metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }
  | { type: 'exported'; id: number; result: OnnxExport }
  /** A label check starts training fold `fold` of `folds`. */
  | { type: 'labelCheckFold'; id: number; fold: number; folds: number }
  | { type: 'labelIssues'; id: number; dataset: CheckedDataset; issues: LabelIssueRow[] }
  /** A learning curve starts training point `index` (from 0) of `count`, on `share` of the rows. */
  | { type: 'learningCurvePoint'; id: number; index: number; count: number; share: number }
  | { type: 'learningCurve'; id: number; curve: LearningCurve & { rows: number } }
  | { type: 'autotuneEvent'; id: number; event: AutotuneEvent }
  /** The search is done and the chosen model saved: its manifest (with `autotune`, the record) and the record. */
  | { type: 'autotuned'; id: number; manifest: ModelSummary; record: AutotuneRecord }
  | { type: 'cancelled'; id: number }
  /** `userError`: a problem with the user's data or model, phrased for them; `file` and `line` say where, when known. */
  | { type: 'error'; id: number; message: string; userError: boolean; file?: string; line?: number };

/** The manifest reader's one answer (src/worker/manifestReader.ts → src/worker/manifestClient.ts). */
export type ManifestReply =
  | { type: 'summary'; summary: ModelSummary }
  /** The folder has no textcat.json (yet): no model, nothing wrong. */
  | { type: 'none' }
  | { type: 'error'; message: string; userError: boolean; file?: string; line?: number };
