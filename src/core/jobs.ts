// The jobs every front end runs (worker, CLI): train a dataset into a model folder, predict lines,
// evaluate on a labeled file. Each takes plain requests and callbacks and returns plain data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from './backend';
import { readDataset } from './data/dataset';
import { formatBytes } from './store/modelFiles';
import { MANIFEST_FILE } from './store/modelFolder';
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
import {
  localPredictor,
  localTextPredictor,
  predictionRows,
  type Classifier,
  type Prediction,
  type SequencePredictor,
  type TextPredictor,
} from './predict';
import { evaluateTexts } from './evaluation/evaluate';
import { train, type TrainProgress } from './training/train';
import { fullRetrainReason, prepareWarmStart, splitRecord, WarmStartRefused } from './training/warmStart';
import { TextcatError, type Example, type LoadedDataset, type Metrics, type ReadDatasetOptions } from './types';

export interface DatasetSpec extends ReadDatasetOptions {
  path: string;
}

export type { Prediction } from './predict';

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
  /** Continue from the model already in modelDir (warmStart.ts) instead of training from scratch. */
  warmStart?: WarmStartRequest;
}

export interface WarmStartRequest {
  /** 'require': refuse (WarmStartRefused) when there is no model to continue or the options need a full retrain;
   *  'prefer': then train from scratch, with the reason given to onFullRetrain. */
  mode: 'require' | 'prefer';
  /** Options for the warm start only, over the job's (e.g. WARM_START_DEFAULTS); a full retrain ignores them. */
  options?: Partial<TrainOptions>;
  onFullRetrain?: (reason: string) => void;
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
  const fullOptions = resolveOptions(job.options);
  // Before anything is read: a folder of the user's own files is refused now, not after hours of training.
  const modelDir = checkModelDestination(job.modelDir);
  await initBackend();
  // The model to continue is read before the dataset, so a missing one is refused at once.
  const parent = job.warmStart && (await parentModel(modelDir, job.warmStart));
  const { path: file, ...readOptions } = job.dataset;
  const loaded = await readDataset(file, readOptions);
  const testOptions = { ...readOptions, ...labellingOf(loaded), ...definedOnly(job.test ? withoutPath(job.test) : {}) };
  const test = job.test ? await readDataset(job.test.path, testOptions) : undefined;
  const warm = parent ? warmStartOf(parent, loaded.examples, job) : undefined;
  const options = warm?.options ?? fullOptions;
  // Summed up once, when the vocabulary is built: the saved model keeps that tokenizer, so the save reuses the summary
  // instead of tokenizing every row again after training, at the end of the process's critical path.
  let summary: { tokenizer: Classifier['tokenizer']; dataset: DatasetInfo } | undefined;
  const result = await train({
    train: loaded.examples,
    test: test?.examples,
    options,
    onProgress: job.onProgress,
    signal: job.signal,
    helperScript: job.helperScript,
    warmStart: warm?.start.hook,
    onTokenizer: (tokenizer) => {
      checkEmbeddingFits(tokenizer.vocabSize, options.embeddingDim);
      summary = { tokenizer, dataset: datasetInfo(loaded, { tokenizer }) };
      job.onDatasetLoaded?.(summary.dataset, [...loaded.warnings, ...(warm?.start.warnings ?? [])]);
    },
  });
  // A fine-tune saves the schedule a full retrain would use (its own epochs are its lineage's), so "retrain from
  // scratch" and the next fine-tune repeat the job's options, not WARM_START_DEFAULTS.
  const saved = warm ? { ...result, options: { ...result.options, epochs: fullOptions.epochs, patience: fullOptions.patience } } : result;
  // Nothing is written until training has finished: a cancelled or failed run leaves the old model as it was.
  const dataset = summary?.tokenizer === result.tokenizer ? summary.dataset : datasetInfo(loaded, result);
  return saveModel(modelDir, saved, dataset, {
    split: splitRecord(loaded.examples, result.validationExamples),
    ...(warm ? { parentRunId: warm.start.parentRunId, warmStart: warm.start.lineage(result.history.length, result.bestEpoch === 0) } : {}),
  });
}

/** The model in `modelDir` to continue from; undefined (after onFullRetrain) when there is none and a full retrain is fine. */
async function parentModel(modelDir: string, request: WarmStartRequest): Promise<LoadedModel | undefined> {
  if (!fs.existsSync(path.join(modelDir, MANIFEST_FILE)))
    return refuseWarmStart(request, `there is no model in ${modelDir} to continue from`);
  try {
    return await loadModel(modelDir);
  } catch (error) {
    if (!(error instanceof TextcatError)) throw error;
    return refuseWarmStart(request, `the model in ${modelDir} cannot be read (${error.message})`);
  }
}

/** The warm start and its options, or undefined (after onFullRetrain) when the options or data need a full retrain. */
function warmStartOf(parent: LoadedModel, examples: readonly Example[], job: TrainJob) {
  const request = job.warmStart!;
  const options = resolveOptions({ ...job.options, ...request.options });
  const reason = fullRetrainReason(parent, options, examples);
  if (reason) return refuseWarmStart(request, reason);
  return { options, start: prepareWarmStart(parent, examples, options) };
}

function refuseWarmStart(request: WarmStartRequest, reason: string): undefined {
  if (request.mode === 'require') throw new WarmStartRefused(`cannot warm-start: ${reason}; retrain from scratch instead`);
  request.onFullRetrain?.(reason);
  return undefined;
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

/** Each line's label and probabilities; `predict` tokenizes too (a pool's text predictor does it in its threads). */
export async function predictLines(
  model: Classifier,
  lines: readonly string[],
  predict: TextPredictor = localTextPredictor(model),
): Promise<Prediction[]> {
  const rows = await predictionRows(model, lines, predict);
  return lines.map((_, i) => rows.prediction(i));
}

export async function evaluateJob(
  model: LoadedModel,
  dataset: DatasetSpec,
  predict: TextPredictor = localTextPredictor(model),
): Promise<{ metrics: Metrics; unknownLabels: string[]; dataset: DatasetInfo }> {
  const { path: file, ...readOptions } = dataset;
  // The manifest is not trusted (loadModel checks only what predicting needs): labellingOf reads it defensively.
  const trainedOn = model.manifest.dataset as Partial<DatasetInfo> | undefined;
  const trained = { multiLabel: model.manifest.multiLabel ?? trainedOn?.multiLabel, labelSeparator: trainedOn?.labelSeparator };
  const loaded = await readDataset(file, { ...labellingOf(trained), ...definedOnly(readOptions) });
  const { metrics, unknownLabels } = await evaluateTexts(model, loaded.examples, predict);
  return { metrics, unknownLabels, dataset: datasetInfo(loaded, model) };
}

/** A pool whose threads all compute, this one included (`shared`), or whose helpers do while this thread streams. */
type PoolKind = 'shared' | 'streaming';

/**
 * Loads a model folder once and again only when its textcat.json changes (a new model was saved). Large
 * predictions with the cached model are shared out over its `threads`: the helper threads start on the first
 * one and stay with the model until it changes. A stream (textcat predict) gets `threads` helpers of its own and
 * keeps this thread for reading and writing, so it runs `threads` + 1 threads.
 */
export class ModelCache {
  private cached?: { dir: string; stamp: string; model: LoadedModel; pools: Partial<Record<PoolKind, Promise<GradientPool>>> };

  /** `helperScript`: the gradient helper thread's script (none: predictions stay on this thread). */
  constructor(private readonly helperScript?: string) {}

  /** `recover`: as loadModel's (false: nothing in the folder is touched). */
  async get(dir: string, recover = true): Promise<LoadedModel> {
    await initBackend();
    const stamp = modelStamp(dir);
    if (this.cached && this.cached.dir === dir && this.cached.stamp === stamp) return this.cached.model;
    const model = await loadModel(dir, { recover });
    await this.dispose();
    this.cached = { dir, stamp, model, pools: {} };
    return model;
  }

  /** Predicts encoded lines with `model`, on its threads when the request is large enough to gain from them. */
  predictor(model: LoadedModel): SequencePredictor {
    const local = localPredictor(model);
    return async (sequences, maxLength) => {
      const pool = this.poolFor(model, sequences.length);
      return pool ? (await pool).predict(sequences, maxLength) : local(sequences, maxLength);
    };
  }

  /**
   * Predicts raw texts with `model`: on its threads when the request is large enough, each thread tokenizing its
   * own chunks. `streaming`: the caller keeps several requests in flight and reads and writes meanwhile (textcat
   * predict): then `threads` helpers compute every chunk, as many as are sent, and this thread does only the
   * reading and writing. When it computed chunks too, its own work made the helpers wait for their next chunk.
   */
  textPredictor(model: LoadedModel, { streaming = false } = {}): TextPredictor {
    const local = localTextPredictor(model);
    return async (texts) => {
      const pool = this.poolFor(model, texts.length, streaming);
      return pool ? (await pool).predictTexts(texts, streaming ? Infinity : 1) : local(texts);
    };
  }

  /**
   * The cached model's pool for this kind of request (streaming or not), started on first use, for a request of
   * `lines` worth sharing out; else undefined.
   */
  private poolFor(model: LoadedModel, lines: number, streaming = false): Promise<GradientPool> | undefined {
    const entry = this.cached;
    const threads = model.options.threads ?? 1;
    if (lines < SHARED_PREDICTION_LINES || threads < 2 || entry?.model !== model) return undefined;
    const kind: PoolKind = streaming ? 'streaming' : 'shared';
    return (entry.pools[kind] ??= GradientPool.create(
      model.params,
      model.shape,
      streaming ? threads + 1 : threads,
      this.helperScript,
      model.tokenizer,
    ));
  }

  /** Stops the helper threads (they would otherwise stay with the cached model). */
  async dispose(): Promise<void> {
    const pools = Object.values(this.cached?.pools ?? {});
    if (this.cached) this.cached.pools = {};
    await Promise.all(pools.map(async (pool) => (await pool).dispose()));
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
