// The yardstick beside every run: a linear classifier on the same split — softmax regression on the mean of each
// line's n-gram rows (word 1–2-grams, subwords, character 1–3-grams in scripts without spaces; ngrams.ts), which
// is the LSTM model's wide path trained alone. It runs in a few seconds, and a model that does not beat it says so.
// It trains with the network's own arithmetic (the wide path's forward and backward and Adam, in the wasm kernel)
// through WideTrainer, which keeps the table in kernel memory for the whole run. For a multi-label dataset it is one logistic regression per class (one-vs-rest) on the same
// features, its thresholds tuned on the validation split as the model's are.
import { computeMetrics, computeMultiLabelMetrics } from '../evaluation/metrics';
import { binaryCrossEntropy, DEFAULT_THRESHOLD, rowsOf, tuneThresholds } from '../multiLabel';
import { WideTrainer } from '../model';
import { createRng, shuffleInPlace } from '../random';
import type { Metrics } from '../types';

/** A baseline's scores, as the model folder keeps them. */
export interface BaselineScores {
  accuracy: number;
  macroF1: number;
}

export interface BaselineSummary {
  /** What it is, for a reader of textcat.json. */
  model: string;
  /** N-grams it reads (the vocabulary's size). */
  ngrams: number;
  validation?: BaselineScores;
  test?: BaselineScores;
  bestEpoch: number;
  trainSeconds: number;
}

export interface BaselineInput {
  /** Each example's n-gram ids (NgramVocabulary.encode), in the order of `targets`; typed views in its thread. */
  lines: readonly ArrayLike<number>[];
  /** A class per example, or with `multiLabel` multi-hot rows ([examples, labels.length]). */
  targets: readonly number[];
  multiLabel?: boolean;
  split: { train: readonly number[]; validation: readonly number[] };
  labels: readonly string[];
  /** Rows of the n-gram table, padding included. */
  rows: number;
  seed: number;
  /** Awaited before each epoch: where a caller yields to its event loop, and throws to cancel. */
  beforeEpoch?: () => Promise<void>;
  /** `truth` as `targets` (multi-hot over `labels`, the training labels then the test's unknown ones). */
  test?: { lines: readonly ArrayLike<number>[]; truth: readonly number[]; labels: readonly string[] };
}

export interface Baseline {
  summary: BaselineSummary;
  /** [rows, K] n-gram table and [K] bias of the best epoch: the model's wide path before weighting. */
  table: Float32Array;
  bias: Float32Array;
  /** Its probabilities [validation rows, K] on the validation split, in split order. */
  validationProbabilities?: Float32Array;
  /** Multi-label: its per-class thresholds, tuned on the validation split (0.5 without one). */
  thresholds?: number[];
}

// Measured on the shared datasets (baseline alone, mean of seeds 1-3): a rate this high suits a linear model on
// averaged sparse features (at the LSTM's 0.001 it barely moves in 30 epochs). Batches of 32 at 0.3 scored as
// batches of 16 at 0.2 (sms .964 against .960, zh_sib .765 against .756, the rest within ±.005) in half the time.
const BASELINE = { learningRate: 0.3, batchSize: 32, maxEpochs: 30, patience: 3 };
// One-vs-rest is slower: each of its sigmoids sees its few positives every epoch, and at 0.3 the rare labels' rows
// were learned by heart in one epoch (GoEmotions, seed 1: best epoch 1, validation binary cross-entropy 3.33,
// macro-F1 .355 at tuned thresholds). At 0.05 it was best at epoch 4 with 3.04 and .386, and the model it is
// combined into gained two points of micro- and one of macro-F1.
const MULTI_LABEL_LEARNING_RATE = 0.05;

export async function trainBaseline(input: BaselineInput): Promise<Baseline> {
  const started = performance.now();
  const K = input.labels.length;
  const multiLabel = input.multiLabel === true;
  const learningRate = multiLabel ? MULTI_LABEL_LEARNING_RATE : BASELINE.learningRate;
  const trainer = new WideTrainer(input.rows, K, { learningRate, multiLabel });
  const rng = createRng(input.seed);
  const validate = input.split.validation.length > 0;
  const targetsOf = (rows: readonly number[]) => (multiLabel ? rowsOf(input.targets, rows, K) : rows.map((r) => input.targets[r]));
  const linesOf = (rows: readonly number[]) => rows.map((r) => input.lines[r]);
  let best = { loss: Infinity, epoch: 0 };
  trainer.keepBest();
  for (let epoch = 1; epoch <= BASELINE.maxEpochs; epoch++) {
    await input.beforeEpoch?.();
    const order = shuffleInPlace([...input.split.train], rng);
    for (let start = 0; start < order.length; start += BASELINE.batchSize) {
      const rows = order.slice(start, start + BASELINE.batchSize);
      trainer.train(linesOf(rows), targetsOf(rows));
    }
    if (!validate) continue;
    const validationProbabilities = trainer.predict(linesOf(input.split.validation));
    const loss = multiLabel
      ? binaryCrossEntropy(validationProbabilities, targetsOf(input.split.validation), K)
      : logLoss(
          validationProbabilities,
          input.split.validation.map((i) => input.targets[i]),
          K,
        );
    if (loss < best.loss) {
      best = { loss, epoch };
      trainer.keepBest();
    } else if (epoch - best.epoch >= BASELINE.patience) break;
  }
  if (validate) trainer.restoreBest();
  const validationProbabilities = validate ? trainer.predict(linesOf(input.split.validation)) : undefined;
  const thresholds = multiLabel
    ? validationProbabilities
      ? tuneThresholds(validationProbabilities, targetsOf(input.split.validation), K).thresholds
      : input.labels.map(() => DEFAULT_THRESHOLD)
    : undefined;
  const validationMetrics =
    validationProbabilities &&
    (thresholds
      ? computeMultiLabelMetrics(input.labels, targetsOf(input.split.validation), validationProbabilities, thresholds)
      : computeMetrics(
          input.labels,
          input.split.validation.map((i) => input.targets[i]),
          validationProbabilities,
        ));
  const test = input.test && testMetrics(trainer, input.test, thresholds);
  const { table, bias } = trainer.weights();
  return {
    summary: {
      model: `${multiLabel ? 'one-vs-rest logistic regression' : 'softmax regression'} on the mean of n-gram rows: word 1-2-grams, subwords of 3-5 characters, character 1-3-grams in scripts without spaces`,
      ngrams: input.rows - 1,
      validation: validationMetrics && scores(validationMetrics),
      test: test && scores(test),
      bestEpoch: validate ? best.epoch : BASELINE.maxEpochs,
      trainSeconds: (performance.now() - started) / 1000,
    },
    table,
    bias,
    validationProbabilities,
    ...(thresholds ? { thresholds } : {}),
  };
}

/**
 * Test metrics; labels the baseline never saw count as wrong, as they do for the LSTM (multi-label: they are
 * never given, so each is missed wherever it occurs).
 */
function testMetrics(trainer: WideTrainer, test: NonNullable<BaselineInput['test']>, thresholds?: number[]): Metrics {
  const K = trainer.K;
  const known = trainer.predict(test.lines);
  const L = test.labels.length;
  const probabilities = new Float32Array(test.lines.length * L);
  for (let i = 0; i < test.lines.length; i++) probabilities.set(known.subarray(i * K, (i + 1) * K), i * L);
  if (thresholds) {
    const all = [...thresholds, ...test.labels.slice(K).map(() => DEFAULT_THRESHOLD)];
    return computeMultiLabelMetrics(test.labels, test.truth, probabilities, all);
  }
  return computeMetrics(test.labels, test.truth, probabilities);
}

function logLoss(probabilities: Float32Array, truth: readonly number[], K: number): number {
  let loss = 0;
  truth.forEach((t, i) => (loss -= Math.log(Math.max(probabilities[i * K + t], 1e-7))));
  return loss / Math.max(1, truth.length);
}

function scores(m: Metrics): BaselineScores {
  return { accuracy: m.accuracy, macroF1: m.macroF1 };
}
