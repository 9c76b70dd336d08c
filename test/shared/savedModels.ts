// Model folders written by saveModel from weights made here (seeded, no training), so they are the same on every
// machine: for the tests of what export writes (byte for byte) and of multi-label models before training makes
// them. The weights are scaled up from the initial ones so that lines really differ; the texts are ASCII words
// split at spaces, so no ICU version can change the vocabulary. sigmoidOfLogits: what a multi-label model's
// probabilities must be.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParams, predictSequences, type NetworkParams, type NetworkShape } from '../../src/core/model';
import { resolveOptions } from '../../src/core/options';
import type { Classifier } from '../../src/core/predict';
import { createRng } from '../../src/core/random';
import { saveModel } from '../../src/core/store/modelStore';
import { NgramVocabulary } from '../../src/core/text/ngrams';
import { Tokenizer, type EncodedLine } from '../../src/core/text/tokenizer';
import type { TrainResult } from '../../src/core/training/train';

export const SAVED_MAX_LENGTH = 8;
const WORDS = ['disk', 'full', 'login', 'failed', 'slow', 'query', 'backup', 'done', 'cache', 'miss', 'user', 'retry', 'timeout', 'ok'];

/** Lines of 0 to 12 of WORDS (longer than maxLength among them), one of unknown words only. */
export function savedModelLines(count: number, seed: number): string[] {
  const rng = createRng(seed);
  const lines = Array.from({ length: count }, (_, i) =>
    Array.from({ length: i === 0 ? 1 : Math.floor(rng() * 13) }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' '),
  );
  return [...lines, 'zebra quokka', ''];
}

export interface SavedModelSpec {
  bidirectional: boolean;
  wide: boolean;
  labels: string[];
  seed: number;
  /** Multi-label: written with shape.multiLabel, textcat.json's multiLabel and these thresholds, as training writes such a model. */
  thresholds?: number[];
  /** Multi-label: the model gives a line its most probable class when none reaches its threshold. */
  atLeastOneLabel?: boolean;
}

/** The classifier a spec describes (the same weights for the same spec). */
export function syntheticClassifier(spec: SavedModelSpec): Classifier {
  const words = Tokenizer.fit(savedModelLines(60, spec.seed + 1000), { maxLength: SAVED_MAX_LENGTH, minCount: 1 });
  const tokenizer = spec.wide
    ? words.withNgrams(
        NgramVocabulary.fit(
          savedModelLines(60, spec.seed + 2000).map((l) => words.tokenize(l)),
          40,
        ),
      )
    : words;
  const shape: NetworkShape = {
    vocabSize: tokenizer.vocabSize,
    embeddingDim: 6,
    hiddenUnits: 5,
    numClasses: spec.labels.length,
    bidirectional: spec.bidirectional,
    ...(spec.wide ? { ngramRows: tokenizer.ngrams!.rows } : {}),
    ...(spec.thresholds ? { multiLabel: true } : {}),
  };
  const rng = createRng(spec.seed);
  const params = scaled(initParams(shape, rng), rng);
  const options = resolveOptions({
    bidirectional: spec.bidirectional,
    embeddingDim: 6,
    hiddenUnits: 5,
    maxLength: SAVED_MAX_LENGTH,
    minCount: 1,
    wideNgrams: spec.wide ? 40 : 0,
  });
  return {
    labels: spec.labels,
    tokenizer,
    shape,
    params,
    options,
    ...(spec.thresholds ? { thresholds: spec.thresholds } : {}),
    ...(spec.atLeastOneLabel ? { atLeastOneLabel: true } : {}),
  };
}

function scaled(params: NetworkParams, rng: () => number): NetworkParams {
  params.embedding.forEach((v, i) => (params.embedding[i] = v * 20));
  params.denseKernel.forEach((v, i) => (params.denseKernel[i] = v * 8));
  params.denseBias.forEach((_, i) => (params.denseBias[i] = 2 * rng() - 1));
  // Row 0 is padding, zero as training leaves it (the stock tfjs model reads it for a line without n-grams).
  const table = params.wide?.table;
  const K = params.denseBias.length;
  table?.forEach((_, i) => (table[i] = i < K ? 0 : 4 * rng() - 2));
  return params;
}

/** Saves the spec's classifier into `dir` with saveModel; the run id and dates fixed, so exports are repeatable. */
export async function saveSyntheticModel(dir: string, spec: SavedModelSpec): Promise<Classifier> {
  const classifier = syntheticClassifier(spec);
  const result = {
    ...classifier,
    history: [],
    bestEpoch: 0,
    stoppedEarly: false,
    validationExamples: [],
    validationPredictions: [],
    baseline: { model: 'none', ngrams: 0, bestEpoch: 0, trainSeconds: 0 },
    trainSeconds: 0,
    samplesPerSecond: 0,
  } satisfies TrainResult;
  const dataset = {
    path: 'synthetic.csv',
    format: 'csv' as const,
    columns: { text: 'text', label: 'label', source: 'header' as const, confident: true, available: ['text', 'label'] },
    rows: 0,
    classCounts: {},
    sha256: '0',
    lengthHistogram: { binWidth: 5, counts: [0] },
    warnings: [],
  };
  await saveModel(dir, result, dataset);
  const file = path.join(dir, 'textcat.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  Object.assign(manifest, { runId: 'synthetic-run', createdAt: '2026-01-01T00:00:00.000Z' });
  // textcat.json's multi-label fields, as saveModel writes them once multi-label training is merged (issue 19).
  if (spec.thresholds) Object.assign(manifest, { multiLabel: true, thresholds: spec.thresholds });
  fs.writeFileSync(file, JSON.stringify(manifest, null, 1));
  return classifier;
}

/**
 * Each class's sigmoid of its logit, from Textcat's own forward pass: predictSequences with one class more whose
 * logit is always 0 (a zero column of the dense layer and of the wide table) gives softmax probabilities p, and
 * sigmoid(z_j) = p_j / (p_j + p_extra). What a multi-label model's probabilities must be, computed without its
 * sigmoid output, so every export is checked against Textcat's arithmetic rather than against itself.
 */
export function sigmoidOfLogits(
  params: NetworkParams,
  modelShape: NetworkShape,
  lines: readonly EncodedLine[],
  maxLength: number,
): number[][] {
  const K = modelShape.numClasses;
  const withZeroClass = (a: Float32Array) => {
    const rows = a.length / K;
    const out = new Float32Array(rows * (K + 1));
    for (let r = 0; r < rows; r++) out.set(a.subarray(r * K, (r + 1) * K), r * (K + 1));
    return out;
  };
  const extended = {
    ...params,
    denseKernel: withZeroClass(params.denseKernel),
    denseBias: withZeroClass(params.denseBias),
    ...(params.wide ? { wide: { table: withZeroClass(params.wide.table), mask: params.wide.mask } } : {}),
  };
  const shape = { ...modelShape, numClasses: K + 1 };
  delete shape.multiLabel;
  const p = predictSequences(extended, shape, lines, maxLength);
  return lines.map((_, r) => Array.from({ length: K }, (_, j) => p[r * (K + 1) + j] / (p[r * (K + 1) + j] + p[r * (K + 1) + K])));
}
