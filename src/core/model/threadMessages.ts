// Messages between the training thread (parallel.ts) and its gradient helper threads (src/worker/gradientWorker.ts).
// They are core/model's own business: nothing outside core/model and its helper bundle uses them.
import type { NgramBatch, TrainStepResult } from './network';
import type { NetworkShape } from './params';
import type { TokenizerJSON } from '../text/tokenizer';

export interface GradientChunk {
  id: number;
  ids: Int32Array;
  batchSize: number;
  steps: number;
  /** The rows' n-gram ids (models with a wide path). */
  ngrams?: NgramBatch;
  /** A class per row, or multi-hot rows of numClasses (multi-label shape), as trainStep reads them. */
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

/** Raw texts to classify: the helper tokenizes and encodes them itself, so this thread never waits on that. */
export interface TextChunk {
  id: number;
  texts: string[];
  /** Counts the pool's weight loads: a helper keeps its projection tables (TableStore) while this stays the same. */
  weightsVersion: number;
}

export type GradientRequest =
  /** `tokenizer`: the model's, for pools that classify raw texts (textChunk requests). */
  | { type: 'init'; id: number; buffer: SharedArrayBuffer; lengths: number[]; shape: NetworkShape; tokenizer?: TokenizerJSON }
  | ({ type: 'chunk' } & GradientChunk)
  | ({ type: 'predict' } & PredictionChunk)
  | ({ type: 'predictTexts' } & TextChunk);

export type GradientReply =
  | { type: 'ready'; id: number }
  | { type: 'gradients'; id: number; result: TrainStepResult }
  | { type: 'probabilities'; id: number; probabilities: Float32Array }
  | { type: 'failed'; id: number; message: string };
