// Loads a model folder trusting nothing in it: textcat.json's numbers are checked against the option bounds,
// model.json's weightsManifest is parsed here (not by tfjs) and must name files inside the folder whose sizes
// match the layout the model's shape calls for, under a ceiling — all before a float is allocated. The layout
// comes from `weightShapes(shape)` and `paramsFromStored` (paramsFromList in stored gate order), the same code
// that writes it, so a model with a wide path (its n-gram table and mask) loads by the same description.
// The wide path's n-gram vocabulary in textcat.json must match its table, row for row.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readScores } from '../baseline/verdict';
import { MAX_CLASSES } from '../defaults';
import { paramsFromStored, weightShapes, wideMask, type NetworkParams, type NetworkShape } from '../model';
import { formatBytes, modelFolder, openInside, readFully, readInside, type ModelFolder, type OpenedFile } from './modelFiles';
import { MANIFEST_FILE, MAX_MANIFEST_BYTES } from './modelFolder';
import { OPTION_SPECS, resolveOptions, type TrainOptions } from '../options';
import { Tokenizer } from '../text/tokenizer';
import { TextcatError } from '../types';

export const MODEL_FILE = 'model.json';
/** The most weight bytes a model may declare: above what training can produce (weights, gradients and Adam's two moments all live in memory). */
export const MAX_WEIGHT_BYTES = 2 ** 30;
const MAX_MODEL_JSON_BYTES = 16 * 2 ** 20;
/** Bounds for shape numbers that have no training option of the same name. */
const MAX_SHAPE_NUMBER = 1_000_000;
const DAMAGED = 'the model is damaged, train it again';

export interface ModelContents {
  /** textcat.json as parsed, its fields below checked. */
  manifest: Record<string, unknown>;
  formatVersion: number;
  labels: string[];
  shape: NetworkShape;
  options: TrainOptions;
  tokenizer: Tokenizer;
  params: NetworkParams;
  /** A multi-label model's per-class thresholds (then shape.multiLabel is true). */
  thresholds?: number[];
  /** A multi-label model that gives each line at least its most probable class (absent: false). */
  atLeastOneLabel?: true;
}

/** `versions`: the model format this build reads and its version, for the "newer Textcat" message. */
export function readModelFolder(dir: string, versions: { current: number; textcatVersion: string }): ModelContents {
  const { manifest, file: manifestFile, folder } = parseManifestFile(dir);
  const checked = checkManifest(manifest, manifestFile, versions);
  const modelFile = path.join(dir, MODEL_FILE);
  const modelJson = parseJson(readInside(folder, MODEL_FILE, { maxBytes: MAX_MODEL_JSON_BYTES }), modelFile);
  const params = readWeights(folder, modelJson, checked.shape, { modelFile });
  return { ...checked, params };
}

/** textcat.json of `dir`, parsed: a regular file inside the folder, no larger than the ceiling, read before it is parsed. */
export function parseManifestFile(dir: string): { manifest: unknown; file: string; folder: ModelFolder } {
  const folder = modelFolder(dir);
  const file = path.join(dir, MANIFEST_FILE);
  const bytes = readInside(folder, MANIFEST_FILE, {
    maxBytes: MAX_MANIFEST_BYTES,
    missing: 'missing: this folder is not a Textcat model (train one first)',
  });
  return { manifest: parseJson(bytes, file), file, folder };
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new TextcatError(`is not valid JSON (${(error as Error).message}); ${DAMAGED}`, file);
  }
}

export function checkManifest(
  manifest: unknown,
  file: string,
  versions: { current: number; textcatVersion: string },
): Omit<ModelContents, 'params'> {
  const fail = (why: string): never => {
    throw new TextcatError(`${why}; ${DAMAGED}`, file);
  };
  if (!isRecord(manifest)) return fail('is not a Textcat model manifest (expected a JSON object)');
  const { formatVersion } = manifest;
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion) || formatVersion < 1) {
    throw new TextcatError('has no formatVersion; it was not written by Textcat', file);
  }
  if (formatVersion > versions.current) {
    throw new TextcatError(
      `was written by a newer Textcat (model format ${formatVersion}, this is ${versions.textcatVersion} reading format ${versions.current}); update Textcat`,
      file,
    );
  }
  const labels = checkLabels(manifest.labels, fail);
  const output = checkOutput(manifest, labels.length, fail);
  const shape = { ...checkShape(manifest.shape, labels.length, fail), ...(output ? { multiLabel: true } : {}) };
  checkWeightCeiling(shape, file); // before the (maybe huge) vocabulary is built
  if (!isRecord(manifest.options)) return fail('"options" must be an object');
  const options = withFile(() => resolveOptions(manifest.options as Partial<TrainOptions>), file);
  checkNgramCount(manifest.tokenizer, shape, fail); // before the (maybe huge) n-gram vocabulary is built
  const tokenizer = withFile(() => Tokenizer.fromJSON(manifest.tokenizer), file);
  checkTokenizer(tokenizer, shape, fail);
  return { manifest: withoutBadScores(manifest), formatVersion, labels, shape, options, tokenizer, ...output };
}

/**
 * A multi-label model (`multiLabel: true`) has one threshold per class, each strictly between 0 and 1 (at 0 every
 * line would get the class, at 1 none). The shape's own flag, when present, must agree: it decides how the network
 * reads its outputs. `atLeastOneLabel`, when present, is true or false, and only a multi-label model has it.
 */
function checkOutput(
  manifest: Record<string, unknown>,
  classes: number,
  fail: (why: string) => never,
): { thresholds: number[]; atLeastOneLabel?: true } | undefined {
  const { multiLabel, thresholds, atLeastOneLabel } = manifest;
  if (multiLabel !== undefined && typeof multiLabel !== 'boolean') return fail('"multiLabel" must be true or false');
  const shapeFlag = isRecord(manifest.shape) ? manifest.shape.multiLabel : undefined;
  if (shapeFlag !== undefined && shapeFlag !== (multiLabel === true)) return fail('"shape.multiLabel" and "multiLabel" disagree');
  if (atLeastOneLabel !== undefined && typeof atLeastOneLabel !== 'boolean') return fail('"atLeastOneLabel" must be true or false');
  if (atLeastOneLabel !== undefined && multiLabel !== true) return fail('"atLeastOneLabel" belongs to multi-label models only');
  if (multiLabel !== true) return undefined;
  if (!Array.isArray(thresholds) || thresholds.length !== classes) {
    return fail(`a multi-label model needs "thresholds", one per label (${classes})`);
  }
  const bad = thresholds.findIndex((t) => typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t >= 1);
  if (bad !== -1) return fail(`"thresholds[${bad}]" must be a number between 0 and 1 (exclusive), got ${JSON.stringify(thresholds[bad])}`);
  return { thresholds: thresholds as number[], ...(atLeastOneLabel === true ? { atLeastOneLabel } : {}) };
}

/**
 * The LSTM alone's scores only inform (the model predicts the same without them): a value that is not scores is
 * dropped rather than refused, so nothing downstream formats a string or an object as a figure.
 */
function withoutBadScores(manifest: Record<string, unknown>): Record<string, unknown> {
  if (manifest.lstm === undefined) return manifest;
  const { lstm, ...rest } = manifest;
  const scores = readScores(lstm);
  return scores ? { ...rest, lstm: scores } : rest;
}

function checkLabels(labels: unknown, fail: (why: string) => never): string[] {
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) return fail('"labels" must be a list of strings');
  if (labels.length < 2) return fail(`"labels" has ${labels.length} class(es); a model has at least two`);
  if (labels.length > MAX_CLASSES) return fail(`"labels" has ${labels.length} classes, more than ${MAX_CLASSES}`);
  if (new Set(labels).size !== labels.length) return fail('"labels" names a class twice');
  return labels;
}

/** Every number within its option's bounds (or a generic one), every other field a boolean or a short string. */
function checkShape(shape: unknown, classes: number, fail: (why: string) => never): NetworkShape {
  if (!isRecord(shape)) return fail('"shape" must be an object');
  const bounds = new Map<string, { min: number; max: number; integer: boolean }>([
    ['vocabSize', { min: 2, max: OPTION_SPECS.vocabSize.kind === 'int' ? OPTION_SPECS.vocabSize.max : 0, integer: true }],
    ['numClasses', { min: 2, max: MAX_CLASSES, integer: true }],
    // The wide path's table: one row per kept n-gram and one for padding (0 or absent: no wide path).
    ['ngramRows', { min: 0, max: OPTION_SPECS.wideNgrams.kind === 'int' ? OPTION_SPECS.wideNgrams.max + 1 : 0, integer: true }],
  ]);
  for (const [key, value] of Object.entries(shape)) {
    if (typeof value === 'boolean' || (typeof value === 'string' && value.length <= 100)) continue;
    if (typeof value !== 'number') return fail(`"shape.${key}" must be a number, true/false or a short string`);
    const { min, max, integer } = bounds.get(key) ?? optionBounds(key);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      return fail(`"shape.${key}" must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${value}`);
    }
  }
  for (const key of ['vocabSize', 'embeddingDim', 'hiddenUnits', 'numClasses']) {
    if (typeof shape[key] !== 'number') return fail(`"shape.${key}" is missing`);
  }
  if (typeof shape.bidirectional !== 'boolean') return fail('"shape.bidirectional" must be true or false');
  if (shape.ngramRows !== undefined && typeof shape.ngramRows !== 'number') return fail('"shape.ngramRows" must be a number');
  if (shape.numClasses !== classes) return fail(`"shape.numClasses" is ${String(shape.numClasses)} but there are ${classes} labels`);
  return shape as unknown as NetworkShape;
}

function optionBounds(key: string): { min: number; max: number; integer: boolean } {
  const spec = (OPTION_SPECS as Readonly<Record<string, (typeof OPTION_SPECS)[keyof TrainOptions] | undefined>>)[key];
  if (spec && (spec.kind === 'int' || spec.kind === 'number')) return { min: spec.min, max: spec.max, integer: spec.kind === 'int' };
  return { min: 0, max: MAX_SHAPE_NUMBER, integer: false };
}

function checkTokenizer(tokenizer: Tokenizer, shape: NetworkShape, fail: (why: string) => never): void {
  const { maxLength, maxVocab, minCount } = tokenizer.config;
  for (const [name, value, option] of [
    ['maxLength', maxLength, OPTION_SPECS.maxLength],
    ['maxVocab', maxVocab, OPTION_SPECS.vocabSize],
    ['minCount', minCount, OPTION_SPECS.minCount],
  ] as const) {
    if (option.kind === 'int' && value > option.max) fail(`the tokenizer's ${name} is ${value}, more than ${option.max}`);
  }
  if (tokenizer.vocabSize !== shape.vocabSize) {
    fail(`the vocabulary has ${tokenizer.vocabSize} entries but the model expects ${shape.vocabSize}`);
  }
  // A mismatch would shift every n-gram id silently.
  if ((tokenizer.ngrams?.rows ?? 0) !== (shape.ngramRows ?? 0)) fail(ngramMismatch(tokenizer.ngrams?.hashes.length, shape));
}

/** The n-gram list's length against the wide path's rows, read before the list is turned into a vocabulary. */
function checkNgramCount(tokenizer: unknown, shape: NetworkShape, fail: (why: string) => never): void {
  const hashes = isRecord(tokenizer) && isRecord(tokenizer.ngrams) ? tokenizer.ngrams.hashes : undefined;
  if (Array.isArray(hashes) && hashes.length + 1 !== (shape.ngramRows ?? 0)) fail(ngramMismatch(hashes.length, shape));
}

function ngramMismatch(ngrams: number | undefined, shape: NetworkShape): string {
  const table = shape.ngramRows ? `a wide path of ${shape.ngramRows} rows (padding included)` : 'no wide path';
  return `the n-gram vocabulary and the model disagree (${ngrams ?? 'no'} n-grams for ${table})`;
}

/** Errors from shared validators (options, tokenizer) do not know the file: name it. */
function withFile<T>(read: () => T, file: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TextcatError && error.file === undefined) {
      // "newer than this Textcat reads; update Textcat" is not damage
      const advice = /update Textcat/.test(error.message) ? '' : `; ${DAMAGED}`;
      throw new TextcatError(`${error.message}${advice}`, file);
    }
    throw error;
  }
}

interface WeightGroup {
  paths: unknown[];
  weights: { name: string; shape: number[] }[];
}

function readWeights(folder: ModelFolder, modelJson: unknown, shape: NetworkShape, files: { modelFile: string }): NetworkParams {
  const fail = (why: string): never => {
    throw new TextcatError(`${why}; ${DAMAGED}`, files.modelFile);
  };
  const expected = weightShapes(shape);
  const groups = checkWeightsManifest(modelJson, fail);
  const declared = groups.flatMap((g) => g.weights);
  const same = declared.length === expected.length && declared.every((w, i) => w.shape.join(',') === expected[i].join(','));
  if (!same) {
    fail(`declares weights ${describeShapes(declared.map((w) => w.shape))} but the model's shape needs ${describeShapes(expected)}`);
  }
  // Every file is opened and sized before anything is allocated.
  const opened: OpenedFile[][] = [];
  try {
    for (const group of groups) {
      const groupFiles: OpenedFile[] = [];
      opened.push(groupFiles);
      for (const name of group.paths)
        groupFiles.push(openInside(folder, name, { maxBytes: MAX_WEIGHT_BYTES, declaredIn: files.modelFile }));
      checkGroupSize(group, groupFiles, files.modelFile);
    }
    const arrays = groups.flatMap((group, i) => readGroup(group, opened[i]));
    const params = paramsFromStored(arrays, shape);
    // The mask is stored last, at the end of the last file.
    if (params.wide) checkWideMask(params.wide.mask, declared.at(-1)!.name, opened.flat().at(-1)!.file);
    return params;
  } finally {
    opened.flat().forEach((file) => fs.closeSync(file.fd));
  }
}

/**
 * The mask is a constant (padding scored −10⁴, n-grams 0) that only the stock tfjs model reads: one that differs
 * would make tfjs, ONNX and Textcat's own predictions of the same model disagree.
 */
function checkWideMask(mask: Float32Array, name: string, file: string): void {
  const expected = wideMask(mask.length);
  const bad = mask.findIndex((v, i) => v !== expected[i]);
  if (bad === -1) return;
  throw new TextcatError(
    `holds a wide-path mask (${name}) that is not the constant one (value ${bad} is ${mask[bad]}, expected ${expected[bad]}); ${DAMAGED}`,
    file,
  );
}

function checkWeightCeiling(shape: NetworkShape, manifestFile: string): void {
  const bytes = weightShapes(shape).reduce((sum, dims) => sum + 4 * elementCount(dims), 0);
  if (!Number.isSafeInteger(bytes) || bytes > MAX_WEIGHT_BYTES) {
    throw new TextcatError(
      `its shape calls for ${formatBytes(bytes)} of weights, more than the ${formatBytes(MAX_WEIGHT_BYTES)} Textcat loads; ${DAMAGED}`,
      manifestFile,
    );
  }
}

function checkWeightsManifest(modelJson: unknown, fail: (why: string) => never): WeightGroup[] {
  if (!isRecord(modelJson) || !Array.isArray(modelJson.weightsManifest) || modelJson.weightsManifest.length === 0) {
    return fail('has no weightsManifest');
  }
  return modelJson.weightsManifest.map((group: unknown, g): WeightGroup => {
    if (!isRecord(group) || !Array.isArray(group.paths) || group.paths.length === 0 || !Array.isArray(group.weights)) {
      return fail(`weightsManifest[${g}] must have "paths" and "weights" lists`);
    }
    const weights = group.weights.map((w: unknown, i) => {
      const where = `weightsManifest[${g}].weights[${i}]`;
      if (!isRecord(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) return fail(`${where} must have a name and a shape`);
      if (w.dtype !== 'float32') return fail(`${where} has dtype ${JSON.stringify(w.dtype)}; Textcat models hold float32 weights`);
      if (w.quantization !== undefined) return fail(`${where} is quantized; Textcat models hold plain float32 weights`);
      if (w.shape.length > 8 || !w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
        return fail(`${where} has the shape ${JSON.stringify(w.shape)}; dimensions must be non-negative integers`);
      }
      return { name: w.name, shape: w.shape as number[] };
    });
    return { paths: group.paths as unknown[], weights };
  });
}

/** A group's weights are laid end to end over its files, so the byte counts must agree exactly. */
function checkGroupSize(group: WeightGroup, files: OpenedFile[], modelFile: string): void {
  const declared = group.weights.reduce((sum, w) => sum + 4 * elementCount(w.shape), 0);
  const actual = files.reduce((sum, f) => sum + f.size, 0);
  if (declared !== actual) {
    const names = files.map((f) => f.file).join(', ');
    throw new TextcatError(`${names} hold ${actual} bytes but ${MODEL_FILE} declares ${declared} for their weights; ${DAMAGED}`, modelFile);
  }
}

function readGroup(group: WeightGroup, files: OpenedFile[]): Float32Array[] {
  const reader = new GroupReader(files);
  return group.weights.map((weight) => {
    const values = new Float32Array(elementCount(weight.shape));
    const start = reader.offset;
    reader.read(new Uint8Array(values.buffer));
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad !== -1) {
      throw new TextcatError(
        `holds NaN or infinite weights (${weight.name}, value ${bad}); ${DAMAGED}`,
        reader.fileAt(start + 4 * bad).file,
      );
    }
    return values;
  });
}

/** Reads a group's files as one stream of bytes. */
class GroupReader {
  offset = 0;

  constructor(private readonly files: OpenedFile[]) {}

  read(into: Uint8Array): void {
    let done = 0;
    while (done < into.length) {
      const { file, start } = this.locate(this.offset);
      const take = Math.min(into.length - done, file.size - (this.offset - start));
      readFully(file, into.subarray(done, done + take), this.offset - start);
      done += take;
      this.offset += take;
    }
  }

  fileAt(offset: number): OpenedFile {
    return this.locate(offset).file;
  }

  private locate(offset: number): { file: OpenedFile; start: number } {
    let start = 0;
    for (const file of this.files) {
      if (offset < start + file.size) return { file, start };
      start += file.size;
    }
    throw new Error(`offset ${offset} is past the group's files`); // checkGroupSize rules this out
  }
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

function describeShapes(shapes: readonly (readonly number[])[]): string {
  const listed = shapes.slice(0, 12).map((s) => `[${s.join(',')}]`);
  return shapes.length > 12 ? `${listed.join(' ')} … (${shapes.length} in all)` : listed.join(' ');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
