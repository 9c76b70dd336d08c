// A model is a folder: model.json + weights.bin (standard tfjs layers format, loadable by tf.loadLayersModel)
// and textcat.json (labels, tokenizer, options, data provenance, metrics, history, earlier runs).
// Folders are replaced so that a complete model is at the path at every instant (modelFolder.ts), and read
// without trusting their contents (modelLoader.ts).
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../backend';
import { toLayersModel, weightShapes, type NetworkShape } from '../model';
import { formatBytes, modelFolder, readInside } from './modelFiles';
import {
  checkModelDestination,
  FORMAT_VERSION,
  MAX_RUNS_KEPT,
  MAX_VALIDATION_EXAMPLES_KEPT,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  modelPathOnDisk,
  recoverInterruptedSaves,
  replaceModelFolder,
} from './modelFolder';
import { MAX_WEIGHT_BYTES, MODEL_FILE, readModelFolder } from './modelLoader';
import type { AutotuneRecord } from '../autotune/autotuneRecord';
import type { TrainOptions } from '../options';
import type { Tokenizer, TokenizerJSON } from '../text/tokenizer';
import type { Classifier } from '../predict';
import type { EpochRecord, TrainResult } from '../training/train';
import { isMultiLabel, TextcatError, type ColumnChoice, type DatasetFormat, type Example, type Metrics } from '../types';
import { TEXTCAT_VERSION } from '../version';

export { checkModelDestination, FORMAT_VERSION } from './modelFolder';
/** Enough of a validation text to recognise it in the drill-down; keeps textcat.json within what loading reads. */
const MAX_STORED_TEXT_CHARS = 4000;
const WEIGHTS_FILE = 'weights.bin';

export interface DatasetInfo {
  path: string;
  format: DatasetFormat;
  columns: ColumnChoice;
  rows: number;
  /** Rows per class, keyed by label (an own property each, "__proto__" included); multi-label: rows with each label. */
  classCounts: Record<string, number>;
  /** True for a multi-label dataset (rows may have several labels, or none); absent for a single-label one. */
  multiLabel?: boolean;
  /** Multi-label CSV/TSV: the separator that split the label column into labels. */
  labelSeparator?: string;
  sha256: string;
  /** Tokens per line: counts for 0-4, 5-9, ... up to the last bin which holds everything longer. */
  lengthHistogram: { binWidth: number; counts: number[] };
  warnings: string[];
}

/** One line of the run list: enough to compare runs without loading them. */
export interface RunSummary {
  id: string;
  createdAt: string;
  dataset: string;
  options: TrainOptions;
  accuracy?: number;
  macroF1?: number;
  testAccuracy?: number;
  testMacroF1?: number;
  /** A multi-label run: its accuracies are subset accuracies (every label of a row right). */
  multiLabel?: true;
  epochs: number;
  trainSeconds: number;
  history: EpochRecord[];
  /** A fine-tune (warm start): the run whose weights it continued from. */
  parentRunId?: string;
  warmStart?: WarmStartLineage;
}

/** What a warm start added to its parent (core/training/warmStart.ts). */
export interface WarmStartLineage {
  /** Epochs this fine-tune ran (its parent's are in the parent's run). */
  epochs: number;
  /** Rows the parent had not seen (relabeled rows are not new: a row is known by its text). */
  newRows: number;
  /** Words added to the parent's vocabulary (each with an embedding row of its own). */
  newWords: number;
  /** Classes the parent lacked (each with an output row of its own). */
  newLabels: string[];
  /**
   * No fine-tune epoch beat the parent on validation (loss), so the parent's LSTM weights were kept (its new words
   * read as unknown, as the parent read them); the n-gram path is refit on every run, so it has the new rows.
   */
  keptParent?: true;
}

/**
 * Which rows a model learned from and which it was validated on, each known by the FNV-1a hash of its text
 * (base64 of sorted unique uint32, little-endian), so a warm start keeps them on their side and splits only new rows.
 */
export interface SplitRecord {
  train: string;
  validation: string;
}

export interface ModelManifest {
  formatVersion: number;
  textcatVersion: string;
  tfjsVersion: string;
  createdAt: string;
  runId: string;
  labels: string[];
  /** One sigmoid per class trained with binary cross-entropy, instead of one softmax (absent: single-label). */
  multiLabel?: boolean;
  /** Multi-label: each class's probability threshold, tuned on the validation split, in `labels` order. */
  thresholds?: number[];
  /**
   * Multi-label: every training row had a label, so a line none of whose classes reaches its threshold is given its
   * most probable class (absent: such a line gets none, as in models saved before this existed).
   */
  atLeastOneLabel?: boolean;
  /** What a user should know about the trained model (a multi-label class no validation row is given); absent: nothing. */
  warnings?: string[];
  shape: NetworkShape;
  options: TrainOptions;
  tokenizer: TokenizerJSON;
  dataset: DatasetInfo;
  metrics: { validation?: Metrics; test?: Metrics };
  /** The linear baseline trained beside the model on the same split (absent in models saved before it existed). */
  baseline?: TrainResult['baseline'];
  /** With a wide path: the weights of the LSTM's and the n-gram table's logits. */
  combination?: TrainResult['combination'];
  /** With a wide path: the LSTM alone's scores (absent without one, and in models saved before they were kept). */
  lstm?: TrainResult['lstm'];
  pretrained?: TrainResult['pretrained'];
  /** The search that chose this model's options (textcat train --autotune); absent for a plain training. */
  autotune?: AutotuneRecord;
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  trainSeconds: number;
  samplesPerSecond: number;
  /**
   * Validation examples with their prediction (capped), for confusion-matrix drill-down. Multi-label: `predicted` is
   * the given labels joined by ", " (display only, as Example.label) and `predictedLabels` the labels themselves.
   */
  validationExamples: (Example & { predicted: string; predictedLabels?: string[] })[];
  /** Earlier runs saved to this folder, newest first, this one included. */
  runs: RunSummary[];
  /** A fine-tune (warm start): the run whose weights it continued from (absent: trained from scratch). */
  parentRunId?: string;
  warmStart?: WarmStartLineage;
  /** The rows on each side of the split (absent in models saved before warm starts; never sent to a UI). */
  split?: SplitRecord;
}

export interface LoadedModel extends Classifier {
  manifest: ModelManifest;
}

export function summarizeDataset(
  examples: readonly Example[],
  meta: { path: string; format: DatasetFormat; columns: ColumnChoice; sha256: string; warnings: string[]; labelSeparator?: string },
  tokenizer: Tokenizer,
): DatasetInfo {
  // A Map, not an object: labels such as "__proto__" or "constructor" must count like any other.
  const classCounts = new Map<string, number>();
  const multiLabel = isMultiLabel(examples);
  for (const e of examples) for (const label of e.labels ?? [e.label]) classCounts.set(label, (classCounts.get(label) ?? 0) + 1);
  const binWidth = 5;
  const counts = new Array<number>(Math.ceil(tokenizer.config.maxLength / binWidth) + 1).fill(0);
  // The last bin holds every line longer than the others: counting that far is enough.
  const enough = binWidth * (counts.length - 1);
  for (const e of examples) counts[Math.min(counts.length - 1, Math.floor(tokenizer.tokenize(e.text, enough).length / binWidth))]++;
  const { labelSeparator, ...rest } = meta;
  // Absent, not false, for single-label: a manifest written before multi-label existed reads the same.
  const labelling = multiLabel ? { multiLabel, ...(labelSeparator !== undefined ? { labelSeparator } : {}) } : {};
  return {
    ...rest,
    rows: examples.length,
    classCounts: Object.fromEntries(classCounts),
    ...labelling,
    lengthHistogram: { binWidth, counts },
  };
}

/**
 * Writes the model into `dir` (checked with checkModelDestination first: a folder of the user's own files is
 * refused). Other files the user keeps in a model folder are carried over into the new one. `extra`: what a job
 * adds to the manifest beside the training's own result (an autotune search).
 */
export async function saveModel(
  dir: string,
  result: TrainResult,
  dataset: DatasetInfo,
  extra: { split?: SplitRecord; parentRunId?: string; warmStart?: WarmStartLineage } & Pick<ModelManifest, 'autotune'> = {},
): Promise<ModelManifest> {
  const target = checkModelDestination(dir);
  checkWeightBytes(result.shape);
  const createdAt = new Date().toISOString();
  const runId = createdAt.replace(/[:.]/g, '-');
  const previous = readPreviousRuns(target);
  const manifest: ModelManifest = {
    formatVersion: FORMAT_VERSION,
    textcatVersion: TEXTCAT_VERSION,
    tfjsVersion: tf.version_core,
    createdAt,
    runId,
    labels: result.labels,
    ...(result.shape.multiLabel ? { multiLabel: true, thresholds: result.thresholds } : {}),
    ...(result.shape.multiLabel && result.atLeastOneLabel ? { atLeastOneLabel: true } : {}),
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    shape: result.shape,
    options: result.options,
    tokenizer: result.tokenizer.toJSON(),
    dataset,
    metrics: { validation: result.validation, test: result.test },
    baseline: result.baseline,
    ...(result.combination ? { combination: result.combination } : {}),
    ...(result.lstm ? { lstm: result.lstm } : {}),
    ...(result.pretrained ? { pretrained: result.pretrained } : {}),
    ...(extra.autotune ? { autotune: extra.autotune } : {}),
    history: result.history,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    trainSeconds: result.trainSeconds,
    samplesPerSecond: result.samplesPerSecond,
    validationExamples: result.validationExamples
      .slice(0, MAX_VALIDATION_EXAMPLES_KEPT)
      .map((e, i) => ({ ...e, text: e.text.slice(0, MAX_STORED_TEXT_CHARS), ...storedPrediction(result, i) })),
    runs: [],
    ...(extra.parentRunId ? { parentRunId: extra.parentRunId } : {}),
    ...(extra.warmStart ? { warmStart: extra.warmStart } : {}),
    ...(extra.split ? { split: extra.split } : {}),
  };
  manifest.runs = [runSummary(manifest), ...previous].slice(0, MAX_RUNS_KEPT);
  const { modelJson, weights } = await layersArtifacts(result);
  replaceModelFolder(
    target,
    new Map<string, string | Uint8Array>([
      [MODEL_FILE, JSON.stringify(modelJson)],
      [WEIGHTS_FILE, weights],
      // Last: a folder with a textcat.json is one Textcat recognises as its own.
      [MANIFEST_FILE, JSON.stringify(manifest, null, 1)],
    ]),
  );
  return manifest;
}

/** What validation example `i` was given: its class, or (multi-label) its label set. */
function storedPrediction(result: TrainResult, i: number): { predicted: string; predictedLabels?: string[] } {
  const set = result.validationLabelSets?.[i];
  if (!set) return { predicted: result.labels[result.validationPredictions[i]] };
  const predictedLabels = set.map((c) => result.labels[c]);
  return { predicted: predictedLabels.join(', '), predictedLabels };
}

/** A model the loader would refuse is never written (the loader's ceiling is the only one). */
function checkWeightBytes(shape: NetworkShape): void {
  const bytes = weightShapes(shape).reduce((sum, dims) => sum + 4 * dims.reduce((a, b) => a * b, 1), 0);
  if (bytes > MAX_WEIGHT_BYTES) {
    throw new TextcatError(
      `the trained model has ${formatBytes(bytes)} of weights, more than the ${formatBytes(MAX_WEIGHT_BYTES)} a model may have; lower vocabSize or embeddingDim`,
    );
  }
}

function runSummary(m: ModelManifest): RunSummary {
  return {
    id: m.runId,
    createdAt: m.createdAt,
    dataset: m.dataset.path,
    options: m.options,
    accuracy: m.metrics.validation?.accuracy,
    macroF1: m.metrics.validation?.macroF1,
    testAccuracy: m.metrics.test?.accuracy,
    testMacroF1: m.metrics.test?.macroF1,
    ...(m.multiLabel ? { multiLabel: true as const } : {}),
    epochs: m.history.length,
    trainSeconds: m.trainSeconds,
    history: m.history,
    ...(m.parentRunId ? { parentRunId: m.parentRunId } : {}),
    ...(m.warmStart ? { warmStart: m.warmStart } : {}),
  };
}

function readPreviousRuns(dir: string): RunSummary[] {
  try {
    const old = JSON.parse(
      readInside(modelFolder(dir), MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES }).toString('utf8'),
    ) as Partial<ModelManifest>;
    return Array.isArray(old.runs) ? old.runs : [];
  } catch {
    return []; // no previous model, or an unreadable one: start a new run list
  }
}

async function layersArtifacts(model: Classifier): Promise<{ modelJson: object; weights: Buffer }> {
  const layers = toLayersModel(model.params, model.shape, model.options.dropout);
  let artifacts: tf.io.ModelArtifacts | undefined;
  try {
    await layers.save(
      tf.io.withSaveHandler((a) => {
        artifacts = a;
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
      }),
    );
  } finally {
    layers.dispose();
  }
  const a = artifacts!;
  const data = a.weightData!;
  const weights = Buffer.from(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
  const modelJson = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  };
  return { modelJson, weights };
}

/**
 * Loads a model folder for prediction, trusting nothing in it (see modelLoader.ts). An interrupted save of
 * this folder is recovered first. Every error names the folder and the file.
 */
/**
 * `recover: false` reads without touching the folder: an untrusted workspace's leftovers of a killed save stay
 * where they are (the extension's Restricted Mode writes nothing); by default they are recovered first.
 */
export function loadModel(dir: string, { recover = true }: { recover?: boolean } = {}): Promise<LoadedModel> {
  return Promise.resolve().then(() => {
    if (recover) recoverInterruptedSaves(modelPathOnDisk(dir));
    const contents = readModelFolder(dir, { current: FORMAT_VERSION, textcatVersion: TEXTCAT_VERSION });
    const { labels, tokenizer, shape, params, options, thresholds, atLeastOneLabel } = contents;
    const manifest = contents.manifest as unknown as ModelManifest;
    return {
      manifest,
      labels,
      tokenizer,
      shape,
      params,
      options,
      ...(thresholds ? { thresholds } : {}),
      ...(atLeastOneLabel ? { atLeastOneLabel } : {}),
    };
  });
}

/**
 * The stock tfjs loader over the folder's files (no tfjs-node, so through fromMemory), for tests that check a
 * saved model is a standard layers model. Predictions go through loadModel, which does not use tfjs.
 */
export async function loadLayers(dir: string): Promise<tfl.LayersModel> {
  const folder = modelFolder(dir);
  const json = JSON.parse(readInside(folder, MODEL_FILE, { maxBytes: MAX_MANIFEST_BYTES }).toString('utf8')) as tf.io.ModelJSON;
  const bytes = readInside(folder, json.weightsManifest[0].paths[0], { maxBytes: MAX_WEIGHT_BYTES });
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }),
  );
}
