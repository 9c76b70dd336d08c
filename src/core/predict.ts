// The prediction API: a trained classifier and the ways to get class probabilities from it (on this thread, or
// any SequencePredictor such as a thread pool's). Training (train.ts) produces a Classifier; the store, jobs,
// explain and export read one.
import { predictSequences, predictTextLines, type NetworkParams, type NetworkShape } from './model';
import type { TrainOptions } from './options';
import type { EncodedLine, Tokenizer } from './text/tokenizer';

/** Everything a saved model holds besides where its data came from. */
export interface Classifier {
  labels: string[];
  tokenizer: Tokenizer;
  shape: NetworkShape;
  params: NetworkParams;
  options: TrainOptions;
  /**
   * Multi-label models (shape.multiLabel): each class's probability threshold, in `labels` order, tuned on the
   * validation split; a line gets every class at or over its threshold.
   */
  thresholds?: number[];
  /**
   * Multi-label models: every training row had a label, so a line none of whose classes reaches its threshold is
   * given its most probable class (multiLabel.ts, LabelRule); absent: such a line gets no label.
   */
  atLeastOneLabel?: boolean;
}

/**
 * Probabilities [n, K] for encoded lines with a classifier's weights: predictSequences on this thread,
 * or shared out over threads (ModelCache.predictor, GradientPool.predict).
 */
export type SequencePredictor = (lines: readonly EncodedLine[], maxLength: number) => Float32Array | Promise<Float32Array>;

/**
 * Probabilities [n, K] for raw texts, tokenized as in training by whichever thread predicts them: on this thread
 * (localTextPredictor), or by a thread pool's threads, each its own share (ModelCache.textPredictor,
 * GradientPool.predictTexts). The same probabilities either way.
 */
export type TextPredictor = (texts: readonly string[]) => Float32Array | Promise<Float32Array>;

/** Predicts on this thread. */
export function localPredictor(model: Classifier): SequencePredictor {
  return (sequences, maxLength) => predictSequences(model.params, model.shape, sequences, maxLength);
}

/** Tokenizes and predicts on this thread. */
export function localTextPredictor(model: Classifier): TextPredictor {
  return (texts) => predictTexts(model, texts);
}

/** Probabilities [n, K] for raw texts, tokenized exactly as in training. */
export function predictTexts(model: Classifier, texts: readonly string[]): Float32Array {
  return predictTextLines(model.params, model.shape, model.tokenizer, texts);
}
