// The prediction API: a trained classifier and the ways to get class probabilities from it (on this thread, or
// any SequencePredictor such as a thread pool's). Training (train.ts) produces a Classifier; the store, jobs,
// explain and export read one.
import { predictSequences, predictTextLines, type NetworkParams, type NetworkShape } from './model';
import { DEFAULT_THRESHOLD, givenClasses } from './multiLabel';
import type { TrainOptions } from './options';
import type { EncodedLine, Tokenizer } from './text/tokenizer';
import { TextcatError } from './types';

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

export interface Prediction {
  /** The most probable class (multi-label: even when under its threshold). */
  label: string;
  confidence: number;
  /** Per class in the model's label order: softmax (single-label) or independent sigmoids (multi-label). */
  probabilities: number[];
  /**
   * Multi-label models only: every class at or over its threshold, most probable first; empty when none is, unless
   * the model learned that every row has a label (Classifier.atLeastOneLabel): then its most probable class.
   */
  labels?: string[];
}

/**
 * The predictions of many lines as rows of one array of probabilities: what a Prediction says of each line,
 * without an object and an array per line (`textcat predict` writes its output straight from these rows; a
 * million lines of objects were most of its main thread's garbage).
 */
export class PredictionRows {
  readonly classes: number;
  private readonly thresholds?: number[];

  constructor(
    readonly model: Classifier,
    /** [lines, classes] */
    readonly probabilities: Float32Array,
  ) {
    this.classes = model.labels.length;
    // A multi-label model also gives every class at or over its threshold, or its top class (atLeastOneLabel).
    if (model.shape.multiLabel) this.thresholds = model.thresholds ?? model.labels.map(() => DEFAULT_THRESHOLD);
  }

  get length(): number {
    return this.probabilities.length / this.classes;
  }

  /** Line i's most probable class (the first of equals). */
  best(i: number): number {
    const p = this.probabilities;
    const start = i * this.classes;
    let best = 0;
    for (let j = 0; j < this.classes; j++) {
      // Finite weights can still overflow (a hand-edited model): never hand out NaN as a confidence.
      if (Number.isNaN(p[start + j]))
        throw new TextcatError('gave no valid probabilities (NaN) for a line; the model is damaged, train it again');
      if (p[start + j] > p[start + best]) best = j;
    }
    return best;
  }

  /** Line i's probability of class j. */
  probability(i: number, j: number): number {
    return this.probabilities[i * this.classes + j];
  }

  /** A multi-label model's classes for line i (Prediction.labels, as class indices); undefined for a single-label one. */
  given(i: number): number[] | undefined {
    return (
      this.thresholds && givenClasses(this.probabilities, i, { thresholds: this.thresholds, atLeastOneLabel: this.model.atLeastOneLabel })
    );
  }

  prediction(i: number): Prediction {
    const best = this.best(i);
    const probabilities = Array.from(this.probabilities.subarray(i * this.classes, (i + 1) * this.classes));
    const prediction: Prediction = { label: this.model.labels[best], confidence: probabilities[best], probabilities };
    const given = this.given(i);
    if (given) prediction.labels = given.map((c) => this.model.labels[c]);
    return prediction;
  }
}

/** Each line's label and probabilities; `predict` tokenizes too (a pool's text predictor does it in its threads). */
export async function predictionRows(
  model: Classifier,
  lines: readonly string[],
  predict: TextPredictor = localTextPredictor(model),
): Promise<PredictionRows> {
  return new PredictionRows(model, await predict(lines));
}
