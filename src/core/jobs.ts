// The jobs every front end runs (worker, CLI): train a dataset into a model folder, predict lines,
// evaluate on a labeled file. Each takes plain requests and callbacks and returns plain data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from './backend';
import { readDataset } from './data/dataset';
import { formatBytes } from './store/modelFiles';
import { MAX_WEIGHT_BYTES } from './store/modelLoader';
import {
  checkModelDestination,
  loadModel,
  saveModel,
  summarizeDataset,
  type DatasetInfo,
  type LoadedModel,
  type ModelManifest,
} from './store/modelStore';
import { resolveOptions, type TrainOptions } from './options';
import { GradientPool, SHARED_PREDICTION_LINES } from './model';
import { localPredictor, type Classifier, type SequencePredictor } from './predict';
import { evaluate, train, type TrainProgress } from './train';
import { TextcatError, type LoadedDataset, type Metrics, type ReadDatasetOptions } from './types';

export interface DatasetSpec extends ReadDatasetOptions {
  path: string;
}

export interface Prediction {
  /** The most probable class (multi-label: even when under its threshold). */
  label: string;
  confidence: number;
  /** Per class in the model's label order: softmax (single-label) or independent sigmoids (multi-label). */
  probabilities: number[];
  /** Multi-label models only: every class at or over its threshold, most probable first (may be empty). */
  labels?: string[];
}

export interface TrainJob {
  dataset: DatasetSpec;
  test?: DatasetSpec;
  options?: Partial<TrainOptions>;
  modelDir: string;
  onDatasetLoaded?: (info: DatasetInfo, warnings: string[]) => void;
  onProgress?: (progress: TrainProgress) => void;
  signal?: { readonly aborted: boolean };
  /** As TrainInput's: where the caller's gradient helper script is (none: one thread). */
  helperScript?: string;
}

function datasetInfo(loaded: LoadedDataset, model: Pick<Classifier, 'tokenizer'>): DatasetInfo {
  return summarizeDataset(
    loaded.examples,
    {
      path: loaded.path,
      format: loaded.format,
      columns: loaded.columns,
      sha256: loaded.sha256,
      warnings: loaded.warnings,
      labelSeparator: loaded.labelSeparator,
    },
    model.tokenizer,
  );
}

export async function trainJob(job: TrainJob): Promise<ModelManifest> {
  const options = resolveOptions(job.options);
  // Before anything is read: a folder of the user's own files is refused now, not after hours of training.
  const modelDir = checkModelDestination(job.modelDir);
  const { path: file, ...readOptions } = job.dataset;
  const loaded = await readDataset(file, readOptions);
  const testOptions = { ...readOptions, ...labellingOf(loaded), ...definedOnly(job.test ? withoutPath(job.test) : {}) };
  const test = job.test ? await readDataset(job.test.path, testOptions) : undefined;
  await initBackend();
  const result = await train({
    train: loaded.examples,
    test: test?.examples,
    options,
    onProgress: job.onProgress,
    signal: job.signal,
    helperScript: job.helperScript,
    onTokenizer: (tokenizer) => {
      checkEmbeddingFits(tokenizer.vocabSize, options.embeddingDim);
      job.onDatasetLoaded?.(datasetInfo(loaded, { tokenizer }), loaded.warnings);
    },
  });
  // Nothing is written until training has finished: a cancelled or failed run leaves the old model as it was.
  return saveModel(modelDir, result, datasetInfo(loaded, result));
}

/** Every model has a vocabulary × embeddingDim table: when that alone is over the ceiling, say so before training. */
function checkEmbeddingFits(vocabSize: number, embeddingDim: number): void {
  const bytes = 4 * vocabSize * embeddingDim;
  if (bytes > MAX_WEIGHT_BYTES) {
    throw new TextcatError(
      `a vocabulary of ${vocabSize} tokens with embeddingDim ${embeddingDim} needs ${formatBytes(bytes)} of weights, more than the ${formatBytes(MAX_WEIGHT_BYTES)} a model may have; lower vocabSize or embeddingDim`,
    );
  }
}

function withoutPath(spec: DatasetSpec): ReadDatasetOptions {
  const { path: _ignored, ...rest } = spec;
  return rest;
}

/** A test or evaluation file is read as the training data was, multi-label or not, unless the caller says. */
function labellingOf(trained: { multiLabel?: boolean; labelSeparator?: string }): ReadDatasetOptions {
  const multiLabel = trained.multiLabel === true;
  const separator = typeof trained.labelSeparator === 'string' && trained.labelSeparator !== '' ? trained.labelSeparator : undefined;
  return { multiLabel, ...(multiLabel && separator !== undefined ? { labelSeparator: separator } : {}) };
}

/** The options actually given: a key present with `undefined` (a flag not passed) must not hide a default. */
function definedOnly(options: ReadDatasetOptions): ReadDatasetOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

export async function predictLines(model: Classifier, lines: readonly string[], predict = localPredictor(model)): Promise<Prediction[]> {
  const K = model.labels.length;
  const probabilities = await predict(
    lines.map((t) => model.tokenizer.encodeLine(t)),
    model.tokenizer.config.maxLength,
  );
  return lines.map((_, i) => {
    const row = Array.from(probabilities.subarray(i * K, (i + 1) * K));
    const best = row.indexOf(Math.max(...row));
    // Finite weights can still overflow (a hand-edited model): never hand out NaN as a confidence.
    if (best === -1) throw new TextcatError('gave no valid probabilities (NaN) for a line; the model is damaged, train it again');
    return { label: model.labels[best], confidence: row[best], probabilities: row };
  });
}

export async function evaluateJob(
  model: LoadedModel,
  dataset: DatasetSpec,
  predict = localPredictor(model),
): Promise<{ metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }> {
  const { path: file, ...readOptions } = dataset;
  // The manifest is not trusted (loadModel checks only what predicting needs): labellingOf reads it defensively.
  const trainedOn = model.manifest.dataset as Partial<DatasetInfo> | undefined;
  const trained = { multiLabel: model.manifest.multiLabel ?? trainedOn?.multiLabel, labelSeparator: trainedOn?.labelSeparator };
  const loaded = await readDataset(file, { ...labellingOf(trained), ...definedOnly(readOptions) });
  const { metrics, unknownLabels } = await evaluate(model, loaded.examples, predict);
  return { metrics, unknownLabels, dataset: datasetInfo(loaded, model) };
}

/**
 * Loads a model folder once and again only when its textcat.json changes (a new model was saved). Large
 * predictions with the cached model are shared out over its `threads`: the helper threads start on the first
 * one and stay with the model until it changes.
 */
export class ModelCache {
  private cached?: { dir: string; stamp: string; model: LoadedModel; pool?: Promise<GradientPool> };

  /** `helperScript`: the gradient helper thread's script (none: predictions stay on this thread). */
  constructor(private readonly helperScript?: string) {}

  /** `recover`: as loadModel's (false: nothing in the folder is touched). */
  async get(dir: string, recover = true): Promise<LoadedModel> {
    await initBackend();
    const stamp = modelStamp(dir);
    if (this.cached && this.cached.dir === dir && this.cached.stamp === stamp) return this.cached.model;
    const model = await loadModel(dir, { recover });
    await this.dispose();
    this.cached = { dir, stamp, model };
    return model;
  }

  /** Predicts with `model`, on its threads when the request is large enough to gain from them. */
  predictor(model: LoadedModel): SequencePredictor {
    const local = localPredictor(model);
    return async (sequences, maxLength) => {
      const entry = this.cached;
      const threads = model.options.threads ?? 1;
      if (sequences.length < SHARED_PREDICTION_LINES || threads < 2 || entry?.model !== model) return local(sequences, maxLength);
      entry.pool ??= GradientPool.create(model.params, model.shape, threads, this.helperScript);
      return (await entry.pool).predict(sequences, maxLength);
    };
  }

  /** Stops the helper threads (they would otherwise stay with the cached model). */
  async dispose(): Promise<void> {
    const pool = this.cached?.pool;
    if (this.cached) this.cached.pool = undefined;
    if (pool) await (await pool).dispose();
  }
}

function modelStamp(dir: string): string {
  try {
    const s = fs.statSync(path.join(dir, 'textcat.json'));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}
