// Warm-start retraining: after a few corrections, training continues from the model already in the folder instead
// of starting afresh, for a few epochs with early stopping.
//
// - New words grow the vocabulary: the parent's words keep their ids (and their learned rows), the new words of the
//   training rows are appended, most frequent first, up to vocabSize, each with an embedding row initialised as a
//   fresh model's. Mapping them to OOV instead would throw away exactly what the user just taught (a new product
//   name in five corrected lines). Once the vocabulary is full, further new words are OOV, and a warning says so.
// - A class the parent lacks gets an output unit of its own, initialised as new; one the data no longer has loses
//   its unit. Output units are matched by label, not by index.
// - The n-gram path is not carried over: it is the linear baseline's table (combine.ts), refit in full on every run
//   (convex, and seconds), so new n-grams get rows of their own. The LSTM's output layer of a saved model is the
//   combined one; it is divided back into the LSTM's own before training continues.
// - The split stays comparable: rows the parent learned from stay in training, rows it was validated on stay in
//   validation (known by their text, so a relabeled row keeps its side), and only the new rows are split, by the
//   same seed and share. A parent saved before the split was recorded is split as a full retrain would be.
// - Adam's moments start fresh (they are not saved with a model).
// - The parent is epoch 0: a fine-tune keeps it when no epoch beats its validation loss (measured with its new words
//   read as unknown, as the parent reads them), and the lineage says so (keptParent). The model is still saved, with
//   the new lineage: the n-gram path is refit on every run, so the new rows reach the model through it.
// Options that change the network's shape, its tokens or the split refuse the warm start (fullRetrainReason).
import { stratifiedSplit, type Split } from '../data/split';
import type { NetworkParams, NetworkShape } from '../model';
import type { TrainOptions } from '../options';
import type { LoadedModel, SplitRecord, WarmStartLineage } from '../store/modelStore';
import { fnv1a } from '../text/ngrams';
import { OOV, Tokenizer } from '../text/tokenizer';
import type { WarmStartHook } from './train';
import { isMultiLabel, TextcatError, type Example } from '../types';

/** A warm start's epochs and patience unless the caller chose others: it starts close to where it will end. */
export const WARM_START_DEFAULTS: Readonly<Pick<TrainOptions, 'epochs' | 'patience'>> = Object.freeze({ epochs: 5, patience: 2 });

/**
 * Options whose change makes the parent's weights or split not fit: the network's shape (the n-gram count sizes the
 * wide path), how text becomes tokens and which tokens get rows, pretrained vectors (a warm start does not read them
 * again), and the validation share (the parent's rows would keep the old share).
 */
export const FULL_RETRAIN_OPTIONS = [
  'embeddingDim',
  'hiddenUnits',
  'bidirectional',
  'wideNgrams',
  'tokenMode',
  'keepPunctuation',
  'maxLength',
  'vocabSize',
  'minCount',
  'pretrainedVectors',
  'freezeVectors',
  'validationSplit',
] as const satisfies readonly (keyof TrainOptions)[];

/** A warm start that cannot be done: the message says why and that a full retrain can. */
export class WarmStartRefused extends TextcatError {}

/** Why `parent` cannot be continued with `options` on `examples`; undefined when it can. */
export function fullRetrainReason(parent: LoadedModel, options: TrainOptions, examples: readonly Example[]): string | undefined {
  const changed = FULL_RETRAIN_OPTIONS.filter((name) => parent.options[name] !== options[name]);
  if (changed.length) {
    const list = changed.map((name) => `${name} ${JSON.stringify(options[name])} (the model has ${JSON.stringify(parent.options[name])})`);
    return `${list.join(', ')} ${changed.length === 1 ? 'changes' : 'change'} the network or its split`;
  }
  if (parent.options.pretrainedVectors) return 'the model was trained with pretrained vectors, which a warm start does not read again';
  // The warm start's split and output-layer hooks are written for one softmax over classes (multi-label training
  // keeps multi-hot targets and its own split keys): a multi-label model or dataset is retrained in full.
  if (parent.manifest.multiLabel === true) return 'the model is multi-label, and warm starts are for single-label models';
  if (isMultiLabel(examples)) return 'the dataset is multi-label, and warm starts are for single-label models';
  return undefined;
}

export interface WarmStart {
  hook: WarmStartHook;
  parentRunId: string;
  /**
   * What the hook found once training has used it (newRows after the split, newWords after the vocabulary…);
   * `keptParent` when no epoch beat the parent on validation (the training's best epoch is 0).
   */
  lineage(epochs: number, keptParent: boolean): WarmStartLineage;
  /** Said to the user: what the warm start could not keep. Filled as training reaches each step. */
  warnings: string[];
}

/** The hook that continues `parent` on `examples` (check fullRetrainReason first). */
export function prepareWarmStart(parent: LoadedModel, examples: readonly Example[], options: TrainOptions): WarmStart {
  const warnings: string[] = [];
  const found = { newRows: 0, newWords: 0, newLabels: [] as string[] };
  const record = readSplitRecord(parent.manifest.split);
  const lstmOutput = parentLstmOutput(parent);
  if (!lstmOutput.kept) warnings.push(lstmOutput.why);
  const hook: WarmStartHook = {
    split(targets) {
      if (!record) {
        warnings.push(
          'the model does not record which rows it was validated on (saved by an earlier Textcat): the split is a new one, so validation rows may include rows it learned from and its scores may be optimistic',
        );
        const parentRows = (parent.manifest.dataset as { rows?: unknown } | undefined)?.rows;
        found.newRows = typeof parentRows === 'number' ? Math.max(0, examples.length - parentRows) : 0;
        return stratifiedSplit(targets, options.validationSplit, options.seed);
      }
      const { split, newRows } = keptSplit(examples, targets, record, options);
      found.newRows = newRows;
      return split;
    },
    words(trainTexts) {
      const { tokenizer, added, dropped } = grownVocabulary(parent.tokenizer, trainTexts);
      found.newWords = added;
      if (dropped) warnings.push(`${dropped} new word(s) read as unknown: the vocabulary is full (vocabSize ${parent.options.vocabSize})`);
      return tokenizer;
    },
    params(fresh, shape, labels, baselineBias) {
      const d = parent.shape;
      if (d.embeddingDim !== shape.embeddingDim || d.hiddenUnits !== shape.hiddenUnits || d.bidirectional !== shape.bidirectional) {
        throw new TextcatError('the saved model’s shape does not match its options; train it again without a warm start');
      }
      found.newLabels = labels.filter((label) => !parent.labels.includes(label));
      return grownParams(parent, fresh, shape, labels, lstmOutput.kept ? lstmOutput.layer(labels, baselineBias) : undefined);
    },
    parentParams: (start, shape) => readingNewWordsAsUnknown(start, parent.shape.vocabSize, shape),
  };
  return {
    hook,
    parentRunId: parent.manifest.runId,
    warnings,
    lineage: (epochs, keptParent) => ({ epochs, ...found, newLabels: [...found.newLabels], ...(keptParent ? { keptParent: true } : {}) }),
  };
}

/** The parent's rows on their side, the new rows split as a fresh training splits (same seed, same share per class). */
function keptSplit(
  examples: readonly Example[],
  targets: readonly number[],
  record: { train: ReadonlySet<number>; validation: ReadonlySet<number> },
  options: TrainOptions,
): { split: Split; newRows: number } {
  const train: number[] = [];
  const validation: number[] = [];
  const fresh: number[] = [];
  examples.forEach((example, i) => {
    const key = fnv1a(example.text);
    // A text on both sides (duplicate rows) stays in validation: the parent was measured on it.
    if (record.validation.has(key)) validation.push(i);
    else if (record.train.has(key)) train.push(i);
    else fresh.push(i);
  });
  const newSplit = stratifiedSplit(
    fresh.map((i) => targets[i]),
    options.validationSplit,
    options.seed,
  );
  train.push(...newSplit.train.map((j) => fresh[j]));
  validation.push(...newSplit.validation.map((j) => fresh[j]));
  // Relabeling can leave a class with validation rows only: the model must see every class, so one moves over.
  const trained = new Set(train.map((i) => targets[i]));
  for (let v = 0; v < validation.length; v++) {
    const target = targets[validation[v]];
    if (trained.has(target)) continue;
    trained.add(target);
    train.push(...validation.splice(v--, 1));
  }
  return { split: { train, validation }, newRows: fresh.length };
}

/** The parent's vocabulary with the training rows' new words appended, most frequent first, while there is room. */
function grownVocabulary(parent: Tokenizer, trainTexts: readonly string[]): { tokenizer: Tokenizer; added: number; dropped: number } {
  const known = new Set(parent.vocab); // padding and unknown included: literal "<pad>" or "<oov>" never become words
  const counts = new Map<string, number>();
  // The parent's tokenizer (its segmentation version), so a word is the token the model will be given.
  for (const text of trainTexts) {
    for (const token of parent.modelTokens(text)) if (!known.has(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const candidates = [...counts.entries()]
    .filter(([, count]) => count >= parent.config.minCount)
    // Map order is first appearance and the sort is stable: ties keep it, as Tokenizer.fit does.
    .sort((a, b) => b[1] - a[1])
    .map(([word]) => word);
  const room = Math.max(0, parent.config.maxVocab - parent.vocab.length);
  const added = candidates.slice(0, room);
  return {
    tokenizer: new Tokenizer(parent.config, [...parent.vocab, ...added], parent.version),
    added: added.length,
    dropped: candidates.length - added.length,
  };
}

/** The LSTM's own output layer ([dirs·H, K] kernel and [K] bias in the parent's label order). */
type OutputLayer = { kernel: Float32Array; bias: Float32Array };

/**
 * A saved model with a wide path holds c.lstm × the LSTM's output layer, plus c.ngrams × the baseline's bias in the
 * bias (combine.ts). The kernel divides back exactly; the baseline's bias is not saved apart, so this run's
 * baseline (refit on nearly the same rows) stands in for it. With an LSTM weight of 0 nothing is left to divide.
 */
function parentLstmOutput(
  parent: LoadedModel,
): { kept: true; layer: (labels: readonly string[], baselineBias: Float32Array) => OutputLayer } | { kept: false; why: string } {
  const { denseKernel, denseBias } = parent.params;
  if (!parent.shape.ngramRows) return { kept: true, layer: () => ({ kernel: denseKernel, bias: denseBias }) };
  const c = readCombination(parent.manifest.combination);
  if (!c || c.lstm <= 0) {
    return {
      kept: false,
      why: 'the model relied on its n-grams alone (LSTM weight 0): the LSTM’s output layer starts afresh, its embedding and LSTM are kept',
    };
  }
  return {
    kept: true,
    layer: (labels, baselineBias) => ({
      kernel: denseKernel.map((v) => v / c.lstm),
      bias: denseBias.map((v, pk) => {
        const k = labels.indexOf(parent.labels[pk]);
        return (v - (k >= 0 ? c.ngrams * baselineBias[k] : 0)) / c.lstm;
      }),
    }),
  };
}

function readCombination(value: unknown): { lstm: number; ngrams: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { lstm, ngrams } = value as Record<string, unknown>;
  const weight = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
  return weight(lstm) && weight(ngrams) ? { lstm: lstm as number, ngrams: ngrams as number } : undefined;
}

/**
 * `fresh` with the parent's weights copied in: embedding rows of the parent's words (new words keep their fresh
 * rows), the LSTM whole, and the output units of the classes the parent knew (new classes keep fresh units).
 */
function grownParams(
  parent: LoadedModel,
  fresh: NetworkParams,
  shape: NetworkShape,
  labels: readonly string[],
  output: OutputLayer | undefined,
): NetworkParams {
  const p = parent.params;
  fresh.embedding.set(p.embedding.subarray(0, parent.shape.vocabSize * shape.embeddingDim));
  p.directions.forEach((d, i) => {
    fresh.directions[i].kernel.set(d.kernel);
    fresh.directions[i].recurrent.set(d.recurrent);
    fresh.directions[i].bias.set(d.bias);
  });
  if (!output) return fresh;
  const K = labels.length;
  const parentK = parent.labels.length;
  const inputs = fresh.denseKernel.length / K;
  labels.forEach((label, k) => {
    const pk = parent.labels.indexOf(label);
    if (pk < 0) return;
    for (let r = 0; r < inputs; r++) fresh.denseKernel[r * K + k] = output.kernel[r * parentK + pk];
    fresh.denseBias[k] = output.bias[pk];
  });
  return fresh;
}

/**
 * `start` with the new words' embedding rows set to the unknown word's: the grown network then reads every line as
 * the parent did, so "the parent" can be measured (and kept) on the fine-tune's own validation rows.
 */
function readingNewWordsAsUnknown(start: NetworkParams, parentWords: number, shape: NetworkShape): NetworkParams {
  const D = shape.embeddingDim;
  const unknown = start.embedding.slice(OOV * D, (OOV + 1) * D);
  for (let row = parentWords; row < shape.vocabSize; row++) start.embedding.set(unknown, row * D);
  return start;
}

/** Which rows a training learned from and which it was validated on, for the next warm start. */
export function splitRecord(examples: readonly Example[], validationExamples: readonly Example[]): SplitRecord {
  const validation = new Set(validationExamples);
  return {
    train: encodeKeys(examples.filter((e) => !validation.has(e)).map((e) => fnv1a(e.text))),
    validation: encodeKeys(validationExamples.map((e) => fnv1a(e.text))),
  };
}

function encodeKeys(keys: readonly number[]): string {
  const sorted = [...new Set(keys)].sort((a, b) => a - b);
  const bytes = Buffer.alloc(4 * sorted.length);
  sorted.forEach((key, i) => bytes.writeUInt32LE(key, 4 * i));
  return bytes.toString('base64');
}

/** The record as saved, or undefined when absent or malformed (the model folder is not trusted). */
function readSplitRecord(value: unknown): { train: Set<number>; validation: Set<number> } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { train, validation } = value as Record<string, unknown>;
  const keys = (text: unknown): Set<number> | undefined => {
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length % 4 !== 0) return undefined;
    const out = new Set<number>();
    for (let i = 0; i < bytes.length; i += 4) out.add(bytes.readUInt32LE(i));
    return out;
  };
  const t = keys(train);
  const v = keys(validation);
  return t && v ? { train: t, validation: v } : undefined;
}
