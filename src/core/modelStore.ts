// A model is a folder: model.json + weights.bin (standard tfjs layers format, loadable by tf.loadLayersModel)
// and textcat.json (labels, tokenizer, options, data provenance, metrics, history, earlier runs).
// Folders are replaced atomically, so a crash or a cancelled run never leaves half a model.
import * as tfl from '@tensorflow/tfjs-layers';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from './backend';
import { fromLayersModel, toLayersModel, type NetworkShape } from './model';
import { resolveOptions, type TrainOptions } from './options';
import { Tokenizer, type TokenizerJSON } from './tokenizer';
import type { Classifier, EpochRecord, TrainResult } from './train';
import { TextcatError, type ColumnChoice, type DatasetFormat, type Example, type Metrics } from './types';

export const FORMAT_VERSION = 1;
export const TEXTCAT_VERSION = '0.1.0';
const MAX_RUNS_KEPT = 50;
const MAX_VALIDATION_EXAMPLES_KEPT = 5000;

export interface DatasetInfo {
  path: string;
  format: DatasetFormat;
  columns: ColumnChoice;
  rows: number;
  classCounts: Record<string, number>;
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
  epochs: number;
  trainSeconds: number;
  history: EpochRecord[];
}

export interface ModelManifest {
  formatVersion: number;
  textcatVersion: string;
  tfjsVersion: string;
  createdAt: string;
  runId: string;
  labels: string[];
  shape: NetworkShape;
  options: TrainOptions;
  tokenizer: TokenizerJSON;
  dataset: DatasetInfo;
  metrics: { validation?: Metrics; test?: Metrics };
  /** The linear baseline trained beside the model on the same split (absent in models saved before it existed). */
  baseline?: TrainResult['baseline'];
  /** With a wide path: the weights of the LSTM's and the n-gram table's logits. */
  combination?: TrainResult['combination'];
  pretrained?: TrainResult['pretrained'];
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  trainSeconds: number;
  samplesPerSecond: number;
  /** Validation examples with their prediction (capped), for confusion-matrix drill-down. */
  validationExamples: (Example & { predicted: string })[];
  /** Earlier runs saved to this folder, newest first, this one included. */
  runs: RunSummary[];
}

export interface LoadedModel extends Classifier {
  manifest: ModelManifest;
}

export function summarizeDataset(
  examples: readonly Example[],
  meta: { path: string; format: DatasetFormat; columns: ColumnChoice; sha256: string; warnings: string[] },
  tokenizer: Tokenizer,
): DatasetInfo {
  const classCounts: Record<string, number> = {};
  for (const e of examples) classCounts[e.label] = (classCounts[e.label] ?? 0) + 1;
  const binWidth = 5;
  const counts = new Array<number>(Math.ceil(tokenizer.config.maxLength / binWidth) + 1).fill(0);
  for (const e of examples) counts[Math.min(counts.length - 1, Math.floor(tokenizer.tokenize(e.text).length / binWidth))]++;
  return { ...meta, rows: examples.length, classCounts, lengthHistogram: { binWidth, counts } };
}

export async function saveModel(dir: string, result: TrainResult, dataset: DatasetInfo): Promise<ModelManifest> {
  const createdAt = new Date().toISOString();
  const runId = createdAt.replace(/[:.]/g, '-');
  const previous = readPreviousRuns(dir);
  const manifest: ModelManifest = {
    formatVersion: FORMAT_VERSION,
    textcatVersion: TEXTCAT_VERSION,
    tfjsVersion: tf.version_core,
    createdAt,
    runId,
    labels: result.labels,
    shape: result.shape,
    options: result.options,
    tokenizer: result.tokenizer.toJSON(),
    dataset,
    metrics: { validation: result.validation, test: result.test },
    baseline: result.baseline,
    ...(result.combination ? { combination: result.combination } : {}),
    ...(result.pretrained ? { pretrained: result.pretrained } : {}),
    history: result.history,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    trainSeconds: result.trainSeconds,
    samplesPerSecond: result.samplesPerSecond,
    validationExamples: result.validationExamples
      .slice(0, MAX_VALIDATION_EXAMPLES_KEPT)
      .map((e, i) => ({ ...e, predicted: result.labels[result.validationPredictions[i]] })),
    runs: [],
  };
  manifest.runs = [runSummary(manifest), ...previous].slice(0, MAX_RUNS_KEPT);
  const { modelJson, weights } = await layersArtifacts(result);
  await writeFolderAtomically(dir, {
    'model.json': JSON.stringify(modelJson),
    'weights.bin': weights,
    'textcat.json': JSON.stringify(manifest, null, 1),
  });
  return manifest;
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
    epochs: m.history.length,
    trainSeconds: m.trainSeconds,
    history: m.history,
  };
}

function readPreviousRuns(dir: string): RunSummary[] {
  try {
    const old = JSON.parse(fs.readFileSync(path.join(dir, 'textcat.json'), 'utf8')) as Partial<ModelManifest>;
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

/** Writes every file into a sibling temp folder, then swaps it in with renames; the old folder goes last. */
export async function writeFolderAtomically(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await fs.promises.mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const fresh = `${path.resolve(dir)}.tmp-${stamp}`;
  const retired = `${path.resolve(dir)}.old-${stamp}`;
  try {
    await fs.promises.mkdir(fresh);
    for (const [name, content] of Object.entries(files)) {
      const handle = await fs.promises.open(path.join(fresh, name), 'w');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const hadOld = fs.existsSync(dir);
    if (hadOld) await fs.promises.rename(dir, retired);
    await fs.promises.rename(fresh, dir);
    if (hadOld) await fs.promises.rm(retired, { recursive: true, force: true });
  } catch (error) {
    await fs.promises.rm(fresh, { recursive: true, force: true });
    if (!fs.existsSync(dir) && fs.existsSync(retired)) await fs.promises.rename(retired, dir);
    throw error;
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new TextcatError('missing: this folder is not a Textcat model (train one first)', file);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TextcatError(`is not valid JSON (${(e as Error).message}); the model is damaged, train it again`, file);
  }
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  const manifestFile = path.join(dir, 'textcat.json');
  const manifest = readJson(manifestFile) as ModelManifest;
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.formatVersion !== 'number') {
    throw new TextcatError('has no formatVersion; it was not written by Textcat', manifestFile);
  }
  if (manifest.formatVersion > FORMAT_VERSION) {
    throw new TextcatError(
      `was written by a newer Textcat (model format ${manifest.formatVersion}, this is ${TEXTCAT_VERSION} reading format ${FORMAT_VERSION}); update Textcat`,
      manifestFile,
    );
  }
  if (!Array.isArray(manifest.labels) || !manifest.shape || manifest.labels.length !== manifest.shape.numClasses) {
    throw new TextcatError('labels and model shape disagree; the model is damaged, train it again', manifestFile);
  }
  const tokenizer = Tokenizer.fromJSON(manifest.tokenizer);
  if (tokenizer.vocabSize !== manifest.shape.vocabSize) {
    throw new TextcatError(`vocabulary has ${tokenizer.vocabSize} entries but the model expects ${manifest.shape.vocabSize}`, manifestFile);
  }
  if ((tokenizer.ngrams?.rows ?? 0) !== (manifest.shape.ngramRows ?? 0)) {
    throw new TextcatError('the n-gram vocabulary and the model disagree; the model is damaged, train it again', manifestFile);
  }
  const layers = await loadLayers(dir);
  try {
    const params = fromLayersModel(layers, manifest.shape);
    return { manifest, labels: manifest.labels, tokenizer, shape: manifest.shape, params, options: resolveOptions(manifest.options) };
  } finally {
    layers.dispose();
  }
}

/** The stock tfjs loader over the folder's files (no tfjs-node, so through fromMemory). */
export async function loadLayers(dir: string): Promise<tfl.LayersModel> {
  const modelFile = path.join(dir, 'model.json');
  const json = readJson(modelFile) as tf.io.ModelJSON;
  const weightFile = path.join(dir, json.weightsManifest?.[0]?.paths?.[0] ?? 'weights.bin');
  if (!fs.existsSync(weightFile)) throw new TextcatError('missing: the model is incomplete, train it again', weightFile);
  const bytes = fs.readFileSync(weightFile);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  try {
    return await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }),
    );
  } catch (e) {
    throw new TextcatError(`could not be loaded as a tfjs layers model: ${(e as Error).message}`, modelFile);
  }
}
