// Messages between the extension host (src/worker/client.ts) and the worker thread (src/worker/worker.ts).
// Each direction is one discriminated union on `type`; both sides switch on it exhaustively. Types only.
import type {
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
  /** Likely label errors of a dataset (core/labelErrors.ts): k models trained in memory, nothing written. */
  | { type: 'checkLabels'; id: number; dataset: DatasetRequest; options: Partial<TrainOptions>; folds: number }
  /** Would more labels help? Models trained in memory on growing shares of the rows (core/learningCurve.ts). */
  | { type: 'learningCurve'; id: number; dataset: DatasetRequest; options: Partial<TrainOptions>; shares?: number[] };

/** Worker → host. */
export type WorkerReply =
  | { type: 'datasetLoaded'; id: number; dataset: DatasetInfo }
  | { type: 'progress'; id: number; progress: TrainProgress }
  | { type: 'trained'; id: number; manifest: ModelSummary }
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
  | { type: 'cancelled'; id: number }
  /** `userError`: a problem with the user's data or model, phrased for them; `file` and `line` say where, when known. */
  | { type: 'error'; id: number; message: string; userError: boolean; file?: string; line?: number };

/** The manifest reader's one answer (src/worker/manifestReader.ts → src/worker/manifestClient.ts). */
export type ManifestReply =
  | { type: 'summary'; summary: ModelSummary }
  /** The folder has no textcat.json (yet): no model, nothing wrong. */
  | { type: 'none' }
  | { type: 'error'; message: string; userError: boolean; file?: string; line?: number };
