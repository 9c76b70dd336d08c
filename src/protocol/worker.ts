// Messages between the extension host (src/worker/client.ts) and the worker thread (src/worker/worker.ts).
// Each direction is one discriminated union on `type`; both sides switch on it exhaustively. Types only.
import type { DatasetInfo, DatasetSpec, Explanation, Metrics, ModelManifest, Prediction, TrainOptions, TrainProgress } from './types';

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
