// The training loop: labeled examples in, a trained classifier with its metrics and history out.
// Plain data and callbacks only, so the worker, the CLI and the tests drive it the same way.
import type { BaselineSummary } from '../baseline';
import { BaselineRun } from '../baseline/thread';
import type { SplitScores } from '../baseline/verdict';
import { combinedParams, fitCombination, fitMultiLabelCombination, EVEN, type Combination } from './combine';
import { evaluate } from '../evaluation/evaluate';
import { computeMetrics } from '../evaluation/metrics';
import { MultiLabelTargets } from './multiLabelTraining';
import { Adam, cloneParams, GradientPool, initParams, type NetworkParams, type NetworkShape } from '../model';
import { NgramVocabulary } from '../text/ngrams';
import { type Classifier, type SequencePredictor } from '../predict';
import { DEFAULT_OPTIONS, type TrainOptions } from '../options';
import { alignedVectors, usePretrainedVectors, withoutRows } from '../data/pretrainedVectors';
import { createRng } from '../random';
import { argmaxRow, bucketBatches, countCorrect, exampleWeights } from './trainingBatches';
import { stratifiedSplit, type Split } from '../data/split';
import { longestLength, padLeft, Tokenizer, type EncodedLine } from '../text/tokenizer';
import { CancelledError, isMultiLabel, type Example, type Metrics } from '../types';

/**
 * Loss and accuracy: cross-entropy and share of right top classes; multi-label, binary cross-entropy summed over the
 * classes and subset accuracy (training rows at thresholds 0.5, validation rows at the thresholds tuned on it).
 */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
  etaSeconds: number;
  validationLoss?: number;
  validationAccuracy?: number;
  /** True on the one report sent after each epoch's validation. */
  epochDone?: boolean;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
  validationMacroF1?: number;
  seconds: number;
}

export interface TrainInput {
  train: readonly Example[];
  /** Evaluated after training with the restored best weights. */
  test?: readonly Example[];
  options: TrainOptions;
  onProgress?: (progress: TrainProgress) => void;
  /** Called once the vocabulary is built, before the first batch. */
  onTokenizer?: (tokenizer: Tokenizer) => void;
  /** Checked between batches; training throws TrainingCancelled within one batch of it turning true. */
  signal?: { readonly aborted: boolean };
  /** The gradient helper thread's script, for options.threads > 1; without it every chunk runs on this thread. */
  helperScript?: string;
  /** Continue from an earlier model's weights instead of fresh ones (warmStart.ts makes this). */
  warmStart?: WarmStartHook;
}

/** What a warm start replaces of a fresh training: the split, the word vocabulary and the starting weights. */
export interface WarmStartHook {
  /** The split of `targets` (class indices of every training example). */
  split(targets: readonly number[]): Split;
  /** The word vocabulary, given the texts of the split's training rows. */
  words(trainTexts: readonly string[]): Tokenizer;
  /** The starting weights, given a fresh model's (`fresh`, theirs to change) and the baseline's bias in `labels` order. */
  params(fresh: NetworkParams, shape: NetworkShape, labels: readonly string[], baselineBias: Float32Array): NetworkParams;
  /** The starting weights as the parent reads text (its new words as unknown): what every epoch must beat. */
  parentParams(start: NetworkParams, shape: NetworkShape): NetworkParams;
}

export interface TrainResult extends Classifier {
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  validation?: Metrics;
  /** Validation examples in split order, so a UI can list those of one confusion cell. */
  validationExamples: Example[];
  /** Predicted class index of each validation example (multi-label: the most probable class). */
  validationPredictions: number[];
  /** Multi-label: the classes each validation example was given at the thresholds, most probable first. */
  validationLabelSets?: number[][];
  /** What a user should know about the trained model (a multi-label class no validation row is given). */
  warnings?: string[];
  test?: Metrics;
  /** The linear baseline trained beside the model on the same split (baseline/). */
  baseline: BaselineSummary;
  /** With a wide path: the weights of the LSTM's and the n-gram table's logits in the model (combine.ts). */
  combination?: Combination;
  /** With a wide path: the LSTM alone's scores (the model with weights 1 and 0), to show what it adds. */
  lstm?: SplitScores;
  /** Pretrained vectors used, and how many vocabulary words they covered. */
  pretrained?: { file: string; dimension: number; words: number; vocabulary: number; frozen: boolean };
  trainSeconds: number;
  samplesPerSecond: number;
}

/** What a cancelled training throws: the one class for every cancelled job (core/types.ts), by its training name. */
export { CancelledError as TrainingCancelled };

/** Class names in a fixed order (code-point sort), so the same data always gives the same class indices. */
export function labelSet(examples: readonly Example[]): string[] {
  return [...new Set(examples.map((e) => e.label))].sort();
}

export async function train(input: TrainInput): Promise<TrainResult> {
  const { options } = input;
  const started = performance.now();
  const multi = isMultiLabel(input.train) ? new MultiLabelTargets(input.train) : undefined;
  const labels = multi ? multi.labels : labelSet(input.train);
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const targets = multi ? multi.targets : input.train.map((e) => classOf.get(e.label)!);
  // A warm start (single-label only: warmStart.ts refuses multi-label) keeps its parent's rows on their side.
  const split =
    (!multi && input.warmStart?.split(targets)) ||
    stratifiedSplit(multi ? multi.splitKeys() : targets, options.validationSplit, options.seed);
  const { words, tokens, ngrams, ngramLines } = vocabularies(input.train, split, options, input.warmStart);
  const wide = options.wideNgrams > 0;
  const tokenizer = wide ? words.withNgrams(ngrams) : words;
  // The test set's tokens, read once for the baseline and both evaluations of the model.
  const testTokens = input.test?.map((e) => words.modelTokens(e.text));
  input.onTokenizer?.(tokenizer);
  // Read first: a bad vectors file is reported before any training.
  const vectors = options.pretrainedVectors ? await alignedVectors(tokenizer, options) : undefined;
  // In a thread of its own beside the LSTM where threads are wanted (baseline/thread.ts); a warm start needs it first.
  const baseline = await BaselineRun.prepare(!input.warmStart && options.threads > 1 ? input.helperScript : undefined, {
    lines: ngramLines,
    targets,
    ...(multi ? { multiLabel: true } : {}),
    split,
    labels,
    rows: ngrams.rows,
    seed: options.seed,
    beforeEpoch: () => checkCancelled(input.signal),
    test: input.test && (multi ? multi.baselineTest(input.test, words, ngrams) : baselineTest(input.test, labels, testTokens!, ngrams)),
  });
  // Its input is ready here, and on 2 cores the baseline outlasts the LSTM: started before the LSTM's own setup
  // (its ids, its weights, the start of the pool's helper thread), it ends that much sooner. start() copies its input.
  baseline.start(); // a failure in its thread stops the LSTM at its next batch (watch), rejecting with its error
  try {
    const sequences: EncodedLine[] = tokens.map((t, i) => ({ tokens: words.encodeTokens(t).tokens, ngrams: wide ? ngramLines[i] : [] }));
    const shape: NetworkShape = {
      vocabSize: tokenizer.vocabSize,
      embeddingDim: options.embeddingDim,
      hiddenUnits: options.hiddenUnits,
      numClasses: labels.length,
      bidirectional: options.bidirectional,
      ...(wide ? { ngramRows: ngrams.rows } : {}),
      ...(multi ? { multiLabel: true } : {}),
    };
    const rng = createRng(options.seed);
    const fresh = initParams(shape, rng);
    const params = input.warmStart ? input.warmStart.params(fresh, shape, labels, baseline.trainedHere.bias) : fresh;
    const pretrained = vectors && usePretrainedVectors(params, vectors, tokenizer, options);
    const pool = await GradientPool.create(params, shape, options.threads, input.helperScript);
    try {
      return await trainWithPool({ ...input, signal: baseline.watch(input.signal) }, pool, {
        labels,
        targets,
        multi,
        split,
        tokenizer,
        sequences,
        shape,
        rng,
        started,
        baseline,
        pretrained: pretrained?.summary,
        frozenRows: pretrained?.frozenRows,
        testLines: testTokens?.map((t) => tokenizer.encodeTokens(t)),
      });
    } finally {
      await pool.dispose();
    }
  } catch (error) {
    throw baseline.failure ?? error;
  } finally {
    await baseline.dispose();
  }
}

/**
 * The word vocabulary and the n-gram vocabulary, both from the training part of the split, and every example's
 * tokens (the first maxLength) and n-gram ids. Each text is tokenized once: the vocabulary, the LSTM's ids, the
 * n-grams and the baseline all read the same token lists. One n-gram vocabulary serves the baseline and the wide path.
 */
function vocabularies(examples: readonly Example[], split: { train: number[] }, options: TrainOptions, warmStart?: WarmStartHook) {
  const config = {
    mode: options.tokenMode,
    keepPunctuation: options.keepPunctuation,
    maxVocab: options.vocabSize,
    minCount: options.minCount,
    maxLength: options.maxLength,
  };
  // A warm start keeps its parent's tokenizer (its config and segmentation version), so it reads the texts itself.
  const parent = warmStart?.words(split.train.map((i) => examples[i].text));
  const reader = parent ?? Tokenizer.unfitted(config);
  const tokens = examples.map((e) => reader.modelTokens(e.text));
  const words =
    parent ??
    Tokenizer.fitTokens(
      split.train.map((i) => tokens[i]),
      config,
    );
  const ngrams = NgramVocabulary.fit(
    split.train.map((i) => tokens[i]),
    options.wideNgrams || DEFAULT_OPTIONS.wideNgrams,
  );
  return { words, tokens, ngrams, ngramLines: tokens.map((t) => ngrams.encodeIds(t)) };
}

/** The test examples as the baseline reads them; labels it never saw are classes of their own (as in evaluate). */
function baselineTest(test: readonly Example[], labels: string[], tokens: readonly string[][], ngrams: NgramVocabulary) {
  const unknown = [...new Set(test.map((e) => e.label).filter((l) => !labels.includes(l)))].sort();
  const all = [...labels, ...unknown];
  const classOf = new Map(all.map((l, i) => [l, i]));
  return {
    lines: tokens.map((t) => ngrams.encodeIds(t)),
    truth: test.map((e) => classOf.get(e.label)!),
    labels: all,
  };
}

interface Prepared {
  labels: string[];
  targets: number[];
  /** A multi-label run's targets (then `targets` are its multi-hot rows). */
  multi?: MultiLabelTargets;
  split: { train: number[]; validation: number[] };
  tokenizer: Tokenizer;
  sequences: EncodedLine[];
  shape: NetworkShape;
  rng: () => number;
  started: number;
  baseline: BaselineRun;
  pretrained?: TrainResult['pretrained'];
  /** Embedding rows that keep their pretrained vectors. */
  frozenRows?: ReadonlySet<number>;
  /** The test examples encoded by `tokenizer` (single-label runs with a test set). */
  testLines?: EncodedLine[];
}

/** The LSTM's own weights: the wide path stays out of its training (combine.ts says why). */
function lstmOnly(params: NetworkParams): NetworkParams {
  return { ...params, wide: undefined };
}

async function trainWithPool(input: TrainInput, pool: GradientPool, prepared: Prepared): Promise<TrainResult> {
  const { options } = input;
  const { labels, targets, multi, split, tokenizer, sequences, shape, rng, started, frozenRows } = prepared;
  let params = pool.params;
  // The wide table stays zero while the LSTM trains (its batches carry no n-grams), so every validation below
  // until the combination measures the LSTM alone.
  const adam = new Adam(lstmOnly(params), { learningRate: options.learningRate, clipNorm: options.clipNorm || Infinity });
  const weights = multi ? multi.weights() : exampleWeights(targets, labels.length, options.classWeights);
  const validate = split.validation.length > 0;

  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: 0, params: cloneParams(params) };
  // A fine-tune that no epoch of beats its parent on validation keeps the parent (bestEpoch 0).
  if (validate && input.warmStart && !multi) best = await parentToBeat(pool, input.warmStart, prepared, options.maxLength);
  let stoppedEarly = false;
  let seen = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const epochStart = performance.now();
    const batches = bucketBatches(split.train, sequences, options.batchSize, rng);
    let lossSum = 0;
    let correct = 0;
    let count = 0;
    for (let b = 0; b < batches.length; b++) {
      await checkCancelled(input.signal);
      const rows = batches[b];
      // As long as the batch's longest line (bucketBatches keeps lengths close), so no line loses its end.
      const steps = longestLength(
        rows.map((r) => sequences[r].tokens),
        options.maxLength,
      );
      const batch = {
        ids: padLeft(
          rows.map((r) => sequences[r].tokens),
          steps,
        ),
        batchSize: rows.length,
        steps,
      };
      const rowTargets = multi ? multi.rows(rows) : rows.map((r) => targets[r]);
      // Each batch's dropout is seeded from the run's rng, so chunking across threads stays repeatable.
      const step = await pool.step(
        batch,
        rowTargets,
        rows.map((r) => weights[r]),
        options.dropout,
        Math.floor(rng() * 2 ** 31),
      );
      adam.apply(lstmOnly(params), frozenRows ? withoutRows(step.gradients, frozenRows) : step.gradients);
      lossSum += step.loss * rows.length;
      correct += multi ? multi.correctAtHalf(step.probabilities, rowTargets) : countCorrect(step.probabilities, rowTargets, labels.length);
      count += rows.length;
      seen += rows.length;
      const elapsed = (performance.now() - started) / 1000;
      const rate = seen / Math.max(elapsed, 1e-9);
      const remaining = (options.epochs - epoch) * split.train.length + (split.train.length - count);
      input.onProgress?.({
        epoch,
        epochs: options.epochs,
        batch: b + 1,
        batches: batches.length,
        loss: lossSum / count,
        accuracy: correct / count,
        samplesPerSecond: rate,
        etaSeconds: remaining / rate,
      });
    }
    const record: EpochRecord = {
      epoch,
      loss: lossSum / count,
      accuracy: correct / count,
      seconds: (performance.now() - epochStart) / 1000,
    };
    if (validate) {
      const lines = split.validation.map((i) => sequences[i]);
      const v = multi
        ? multi.evaluate(await pool.predict(lines, options.maxLength), split.validation)
        : await evaluateSequences(
            pool,
            lines,
            split.validation.map((i) => targets[i]),
            labels,
            options.maxLength,
          );
      Object.assign(record, { validationLoss: v.loss, validationAccuracy: v.metrics.accuracy, validationMacroF1: v.metrics.macroF1 });
      if (v.loss < best.loss) best = { loss: v.loss, epoch, params: cloneParams(params) };
    }
    history.push(record);
    const last = history.at(-1)!;
    input.onProgress?.({
      epoch,
      epochs: options.epochs,
      batch: batches.length,
      batches: batches.length,
      loss: last.loss,
      accuracy: last.accuracy,
      samplesPerSecond: seen / ((performance.now() - started) / 1000),
      etaSeconds: 0,
      validationLoss: last.validationLoss,
      validationAccuracy: last.validationAccuracy,
      epochDone: true,
    });
    if (validate && options.patience > 0 && epoch - best.epoch >= options.patience && epoch < options.epochs) {
      stoppedEarly = true;
      break;
    }
  }
  // Early stopping restores the best weights (tfjs-layers' restoreBestWeights is not implemented); they go
  // into the pool's shared weights too, so the final evaluations below run on every thread.
  if (validate) {
    params = best.params;
    pool.load(params);
  }
  const validationLines = split.validation.map((i) => sequences[i]);
  const validationTruth = split.validation.map((i) => targets[i]);
  let combination: Combination | undefined;
  let lstm: SplitScores | undefined;
  if (shape.ngramRows) {
    const alone = await lstmAlone(
      input,
      pool,
      { labels, tokenizer, shape, params, options },
      validationLines,
      validationTruth,
      multi && { targets: multi, validation: split.validation },
      prepared.testLines,
    );
    const lstmValidation = alone.validationProbabilities;
    const baseline = await prepared.baseline.result(input.signal);
    combination = !lstmValidation
      ? EVEN
      : multi
        ? fitMultiLabelCombination(
            multi.logits(lstmValidation),
            multi.logits(baseline.validationProbabilities!),
            multi.rows(split.validation),
          )
        : fitCombination(logOf(lstmValidation), logOf(baseline.validationProbabilities!), validationTruth, labels.length);
    lstm = alone.scores;
    params = combinedParams(params, baseline, combination);
    pool.load(params);
  }
  // Multi-label: the final model's thresholds, tuned on the validation split (0.5 each without one).
  const finalValidation = multi && validate ? await pool.predict(validationLines, options.maxLength) : undefined;
  const tuned = multi && (finalValidation ? multi.tune(finalValidation, split.validation) : multi.untuned());
  const classifier: Classifier = {
    labels,
    tokenizer,
    shape,
    params,
    options,
    ...(tuned ? { thresholds: tuned.thresholds, ...multi.rule() } : {}),
  };
  // The last evaluations read only the model's weights: without a wide path they run while the baseline's thread
  // may still train (it outlasts the LSTM on 2 cores), and the baseline is awaited after them.
  const v = validate && !multi ? await evaluateSequences(pool, validationLines, validationTruth, labels, options.maxLength) : undefined;
  const predict: SequencePredictor = (lines, maxLength) => pool.predict(lines, maxLength);
  const test = input.test?.length ? (await evaluate(classifier, input.test, predict, prepared.testLines)).metrics : undefined;
  const baseline = await prepared.baseline.result(input.signal);
  const trainSeconds = (performance.now() - started) / 1000;
  const result: TrainResult = {
    ...classifier,
    history,
    bestEpoch: validate ? best.epoch : history.length,
    stoppedEarly,
    validationExamples: split.validation.map((i) => input.train[i]),
    validationPredictions: [],
    baseline: baseline.summary,
    ...(combination ? { combination } : {}),
    ...(lstm ? { lstm } : {}),
    ...(prepared.pretrained ? { pretrained: prepared.pretrained } : {}),
    trainSeconds,
    samplesPerSecond: seen / trainSeconds,
  };
  if (multi) Object.assign(result, multi.warnings(tuned!, options));
  if (multi && finalValidation) {
    Object.assign(result, multi.validationResult(finalValidation, split.validation, tuned!));
  } else if (v) {
    result.validation = v.metrics;
    result.validationPredictions = v.predicted;
  }
  if (test) result.test = test;
  return result;
}

/** The parent as epoch 0 of a warm start: its weights and its validation loss. The pool keeps the starting weights. */
async function parentToBeat(pool: GradientPool, warmStart: WarmStartHook, p: Prepared, maxLength: number) {
  const start = cloneParams(pool.params);
  const parent = warmStart.parentParams(cloneParams(start), p.shape);
  pool.load(parent);
  const validation = p.split.validation;
  const lines = validation.map((i) => p.sequences[i]);
  const truth = validation.map((i) => p.targets[i]);
  const { loss } = await evaluateSequences(pool, lines, truth, p.labels, maxLength);
  pool.load(start);
  return { loss, epoch: 0, params: parent };
}

/**
 * The LSTM alone (the pool's weights, wide table still zero): its validation probabilities, which the combination
 * is fitted on, and its scores there and on the test set, so a run can say what the LSTM adds to the n-grams.
 */
async function lstmAlone(
  input: TrainInput,
  pool: GradientPool,
  model: Classifier,
  validationLines: EncodedLine[],
  validationTruth: number[],
  multi?: { targets: MultiLabelTargets; validation: readonly number[] },
  testLines?: EncodedLine[],
): Promise<{ validationProbabilities?: Float32Array; scores: SplitScores }> {
  const validationProbabilities = validationLines.length ? await pool.predict(validationLines, model.options.maxLength) : undefined;
  if (multi) {
    const validation = { probabilities: validationProbabilities, indices: multi.validation };
    const predict: SequencePredictor = (lines, maxLength) => pool.predict(lines, maxLength);
    return { validationProbabilities, scores: await multi.targets.lstmAloneScores(model, validation, input.test, predict) };
  }
  const test = input.test?.length
    ? (await evaluate(model, input.test, (lines, maxLength) => pool.predict(lines, maxLength), testLines)).metrics
    : undefined;
  const validation = validationProbabilities && computeMetrics(model.labels, validationTruth, validationProbabilities);
  return {
    validationProbabilities,
    scores: { ...(validation ? { validation: scorePair(validation) } : {}), ...(test ? { test: scorePair(test) } : {}) },
  };
}

const logOf = (probabilities: Float32Array) => probabilities.map((p) => Math.log(Math.max(p, 1e-30)));
const scorePair = (m: Metrics) => ({ accuracy: m.accuracy, macroF1: m.macroF1 });

export { evaluate };

async function evaluateSequences(pool: GradientPool, sequences: EncodedLine[], truth: number[], labels: string[], maxLength: number) {
  const probabilities = await pool.predict(sequences, maxLength);
  const K = labels.length;
  let loss = 0;
  for (let i = 0; i < truth.length; i++) loss -= Math.log(Math.max(probabilities[i * K + truth[i]], 1e-7));
  const metrics = computeMetrics(labels, truth, probabilities);
  const predicted = truth.map((_, i) => argmaxRow(probabilities, i, K));
  return { loss: loss / Math.max(1, truth.length), metrics, predicted };
}

/** Lets the event loop deliver a cancel request, then throws TrainingCancelled if it came. */
async function checkCancelled(signal: TrainInput['signal']): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new CancelledError('training cancelled');
}
