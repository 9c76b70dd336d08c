// Embedding → LSTM (one or two directions, concatenated) → dropout → Dense, plus (with a wide path) the mean of
// the line's n-gram rows, → softmax (or, multi-label, one sigmoid per class); forward and backward, with every
// large array in the wasm kernel's memory for the length of the call (kernel.ts).
// Softmax with cross-entropy and sigmoids with binary cross-entropy give the logits the same gradient, p − y
// (y one-hot or multi-hot), so everything behind the output layer, the kernel included, serves both unchanged.
import { gateWidth } from './cell';
import * as k from './kernel';
import {
  lstmBackward,
  lstmForward,
  lstmPrefixForward,
  projectTokens,
  type LstmGradients,
  type LstmTrace,
  type SequenceBatch,
} from './lstm';
import { prefixLevels } from './prefixLevels';
import { directionCount, type NetworkParams, type NetworkShape } from './params';
import { addWideLogits, wideBatch, wideGradients, type NgramBatch, type WideBatch } from './wide';

export type { NgramBatch } from './wide';

/** A batch of token ids, left-padded with 0 to a common length, and the lines' n-gram ids. */
export interface IdBatch {
  /** [B, T] row-major. */
  ids: Int32Array;
  batchSize: number;
  steps: number;
  /** The lines' n-gram ids; absent: none (the deep path alone). */
  ngrams?: NgramBatch;
}

export interface BatchGradients {
  /** Rows of the embedding that received a gradient, and that gradient ([rows.length, D]). */
  embeddingRows: Int32Array;
  embedding: Float32Array;
  directions: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array }[];
  denseKernel: Float32Array;
  denseBias: Float32Array;
  /** With a wide path: rows of its table that received a gradient, and that gradient ([rows.length, K]). */
  wideRows?: Int32Array;
  wide?: Float32Array;
}

/**
 * The LSTM weights' gradients of one thread's trainStep, kept from step to step. They are most of a step's
 * output (about 260 KB per chunk for a bi LSTM of 64 units); allocated anew each step, the dead ones piled up
 * between collections, about 60 MB at a default run's peak (docs/performance.md). On shared memory, so a
 * helper's reply hands them to the training thread without a copy. What trainStep returns with them is valid
 * until the next trainStep given the same buffers.
 */
export class GradientBuffers {
  private directions: LstmGradients[] = [];

  /** Direction d's gradients for D inputs and H units. */
  direction(d: number, D: number, H: number): LstmGradients {
    const G = gateWidth(H);
    const kept = this.directions[d];
    if (kept && kept.kernel.length === D * G && kept.recurrent.length === H * G) return kept;
    const memory = new SharedArrayBuffer((D * G + H * G + G) * 4);
    return (this.directions[d] = {
      kernel: new Float32Array(memory, 0, D * G),
      recurrent: new Float32Array(memory, D * G * 4, H * G),
      bias: new Float32Array(memory, (D + H) * G * 4, G),
    });
  }
}

export interface TrainStepResult {
  /** Given GradientBuffers, the LSTM's arrays are those buffers: valid until the next step that writes them. */
  gradients: BatchGradients;
  /** Mean weighted cross-entropy of the batch (multi-label: binary cross-entropy summed over the classes). */
  loss: number;
  /** [B, K] probabilities (before the update). */
  probabilities: Float32Array;
}

/**
 * The batch in kernel memory: its mask, and its tokens as rows of a table (`tokens`) with, for each
 * position, the row it holds (`slots`). By default the table is the embedding rows of the batch's distinct
 * ids, so every input-side product runs over those rows and not over every position (a batch of 32 × 64
 * positions holds ~1,700 distinct ids of a 5,000-word vocabulary, and far fewer in real text). Given
 * `vocabulary`, the slots are the ids themselves and the tables come from projectionTables.
 */
function batchTokens(params: NetworkParams, batch: IdBatch, dim: number, vocabulary = false): SequenceBatch & { ids: number[] } {
  const { ids, batchSize: B, steps: T } = batch;
  const maskSpan = k.alloc(Math.ceil((B * T) / 4));
  const mask = k.bytes(maskSpan, B * T);
  for (let i = 0; i < B * T; i++) mask[i] = ids[i] === 0 ? 0 : 1;
  const maskCopy = mask.slice();
  const slots = k.alloc(T * B);
  const slotOf = new Map<number, number>();
  const slotView = new Int32Array(k.floats(slots).buffer, slots.at, T * B);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const id = ids[b * T + t];
      let slot = vocabulary ? id : slotOf.get(id);
      if (slot === undefined) slotOf.set(id, (slot = slotOf.size));
      slotView[t * B + b] = slot;
    }
  }
  const distinct = [...slotOf.keys()];
  const base = { mask: maskCopy, maskSpan, slots, batchSize: B, steps: T, inputDim: dim };
  if (vocabulary) return { ...base, tokens: undefined, tokenCount: 0, ids: [] };
  const tokens = k.alloc(distinct.length * dim);
  const view = k.floats(tokens);
  distinct.forEach((id, slot) => view.set(params.embedding.subarray(id * dim, (id + 1) * dim), slot * dim));
  return { ...base, tokens, tokenCount: distinct.length, ids: distinct };
}

/**
 * For each direction, the input projection of every vocabulary row ([V, 4H], bias included). At inference a
 * step's projection is then a row copy: worth it once a call projects more positions than the vocabulary has.
 * Valid until the weights change; allocate it in a `scoped` block that outlives its use.
 */
export function projectionTables(params: NetworkParams, shape: NetworkShape): k.Span[] {
  const { vocabSize: V, embeddingDim: D, hiddenUnits: H } = shape;
  const embedding = k.upload(params.embedding);
  return params.directions.map((w) => projectTokens(embedding, V, D, w, H));
}

/** Concatenates the final hidden state of each direction: [B, dirs·H], Keras `mergeMode: 'concat'`. */
function concatOutputs(outputs: Float32Array[], B: number, H: number): Float32Array {
  const width = outputs.length * H;
  const out = new Float32Array(B * width);
  outputs.forEach((o, d) => {
    for (let b = 0; b < B; b++) out.set(o.subarray(b * H, (b + 1) * H), b * width + d * H);
  });
  return out;
}

export function softmaxRows(logits: Float32Array, rows: number, k: number): Float32Array {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logits[r * k + j] = Math.exp(logits[r * k + j] - max);
    for (let j = 0; j < k; j++) logits[r * k + j] /= sum;
  }
  return logits;
}

/** Each logit's sigmoid, in place: the classes of a multi-label model are independent yes/no decisions. */
export function sigmoidAll(logits: Float32Array): Float32Array {
  for (let i = 0; i < logits.length; i++) logits[i] = 1 / (1 + Math.exp(-logits[i]));
  return logits;
}

/** features [B, width] · denseKernel + denseBias, as a [B, K] span. */
function dense(params: NetworkParams, features: Float32Array, B: number, width: number, K: number): k.Span {
  const logits = k.alloc(B * K);
  k.product(logits, k.upload(features), B, width, k.upload(params.denseKernel), K, { bias: k.upload(params.denseBias) });
  return logits;
}

/**
 * Probabilities [B, K] of the deep logits plus, with a wide path, the mean of each line's n-gram rows: softmax, or
 * with `multiLabel` each class's sigmoid.
 */
function probabilities(logits: k.Span, wide: WideBatch | undefined, B: number, K: number, multiLabel = false): Float32Array {
  if (wide) addWideLogits(logits, wide, K);
  const values = k.floats(logits).slice();
  return multiLabel ? sigmoidAll(values) : softmaxRows(values, B, K);
}

/**
 * The loss of one row and its logits' gradient, `weight` times: cross-entropy against class `targets[b]`, or
 * (multi-label) binary cross-entropy summed over the classes against the multi-hot `targets[b·K … b·K + K − 1]`.
 * Either way the logits' gradient is weight · (p − y).
 */
function rowLoss(
  probs: Float32Array,
  targets: ArrayLike<number>,
  b: number,
  K: number,
  weight: number,
  multiLabel: boolean,
  dLogits: Float32Array,
): number {
  let loss = 0;
  if (multiLabel) {
    for (let j = 0; j < K; j++) {
      const p = probs[b * K + j];
      const y = targets[b * K + j];
      loss -= weight * (y * Math.log(Math.max(p, 1e-7)) + (1 - y) * Math.log(Math.max(1 - p, 1e-7)));
      dLogits[b * K + j] = weight * (p - y);
    }
    return loss;
  }
  const y = targets[b];
  loss -= weight * Math.log(Math.max(probs[b * K + y], 1e-7));
  for (let j = 0; j < K; j++) dLogits[b * K + j] = weight * (probs[b * K + j] - (j === y ? 1 : 0));
  return loss;
}

/**
 * Class probabilities [B, K] of one left-padded batch, for inference (no dropout, nothing kept for backward): the
 * reference predictByPrefix is checked against. `tables` (projectionTables) and `fullWide` (wideTable) index the
 * vocabulary and the n-gram table instead of the batch's distinct rows.
 */
export function predictBatch(
  params: NetworkParams,
  shape: NetworkShape,
  batch: IdBatch,
  tables?: k.Span[],
  fullWide?: k.Span,
): Float32Array {
  return k.scoped(() => {
    const { batchSize: B } = batch;
    const { embeddingDim: D, hiddenUnits: H } = shape;
    const seq = batchTokens(params, batch, D, !!tables);
    const outputs = params.directions.map((w, d) => {
      const table = tables ? tables[d] : projectTokens(seq.tokens!, seq.tokenCount, D, w, H);
      return lstmForward(seq, table, w, H, d === 1, false);
    });
    const features = concatOutputs(outputs, B, shape.hiddenUnits);
    const K = shape.numClasses;
    const logits = dense(params, features, B, directionCount(shape) * shape.hiddenUnits, K);
    return probabilities(logits, params.wide && wideBatch(params, B, batch.ngrams, K, fullWide), B, K, shape.multiLabel);
  });
}

/** Many lines for predictByPrefix: each line's token ids, already cut to the model's length, and their n-gram ids. */
export interface LineBatch {
  sequences: readonly ArrayLike<number>[];
  ngrams?: NgramBatch;
}

// Lines stepped and scored together (prefixLevels.ts): a depth's batch is at most this many rows, [rows, 4H] floats
// of kernel memory, and without projection tables their distinct ids are projected together; lines further apart
// than this share no steps. A call over a whole test set holds one group at a time.
const PREFIX_GROUP = 4096;

/**
 * Class probabilities [n, K] of many lines, each line's LSTM stepped once per distinct prefix (the forward
 * direction) and once per distinct suffix (the backward one) instead of once per token: the same probabilities
 * as predictBatch gives each line in any batch (lstmPrefixForward). `tables` (projectionTables) index the
 * vocabulary; without them each group's distinct ids are projected here. `fullWide` as for predictBatch.
 */
export function predictByPrefix(
  params: NetworkParams,
  shape: NetworkShape,
  lines: LineBatch,
  tables?: k.Span[],
  fullWide?: k.Span,
): Float32Array {
  const n = lines.sequences.length;
  const { embeddingDim: D, hiddenUnits: H, numClasses: K } = shape;
  const out = new Float32Array(n * K);
  for (let first = 0; first < n; first += PREFIX_GROUP) {
    const count = Math.min(PREFIX_GROUP, n - first);
    const probs = k.scoped(() => {
      const group = lines.sequences.slice(first, first + count);
      const projected = tables ? { sequences: group, tables } : projectDistinct(params, group, D, H);
      const outputs = params.directions.map((w, d) => {
        const oriented = d === 1 ? projected.sequences.map((s) => Int32Array.from(s).reverse()) : projected.sequences;
        const states = new Float32Array(count * H);
        lstmPrefixForward(prefixLevels(oriented), projected.tables[d], w, H, states);
        return states;
      });
      const logits = dense(params, concatOutputs(outputs, count, H), count, directionCount(shape) * H, K);
      const ngrams = params.wide && lines.ngrams && groupNgrams(lines.ngrams, first, count);
      return probabilities(logits, params.wide && wideBatch(params, count, ngrams, K, fullWide), count, K, shape.multiLabel);
    });
    out.set(probs, first * K);
  }
  return out;
}

/** Lines [first, first + count) of `all`, their offsets counted from the first of them. */
function groupNgrams(all: NgramBatch, first: number, count: number): NgramBatch {
  const start = all.offsets[first];
  return {
    ids: all.ids.subarray(start, all.offsets[first + count]),
    offsets: all.offsets.slice(first, first + count + 1).map((o) => o - start),
  };
}

/** The lines' distinct ids projected by each direction, and the lines as rows of those projections. */
function projectDistinct(
  params: NetworkParams,
  sequences: readonly ArrayLike<number>[],
  D: number,
  H: number,
): { sequences: Int32Array[]; tables: k.Span[] } {
  const rowOf = new Map<number, number>();
  const rows = sequences.map((sequence) =>
    Int32Array.from(sequence, (id) => {
      let row = rowOf.get(id);
      if (row === undefined) rowOf.set(id, (row = rowOf.size));
      return row;
    }),
  );
  const embedding = k.alloc(Math.max(1, rowOf.size) * D);
  const view = k.floats(embedding);
  for (const [id, row] of rowOf) view.set(params.embedding.subarray(id * D, (id + 1) * D), row * D);
  return { sequences: rows, tables: params.directions.map((w) => projectTokens(embedding, rowOf.size, D, w, H)) };
}

/**
 * Forward and backward for one batch. `targets` are class indices ([B]), or for a multi-label shape multi-hot rows
 * ([B, K] of 0 and 1); `weights` per-example loss weights
 * (class weighting); `dropout` is applied to the LSTM output with `rng`, as a Keras Dropout layer would.
 */
export function trainStep(
  params: NetworkParams,
  shape: NetworkShape,
  batch: IdBatch,
  targets: ArrayLike<number>,
  weights: ArrayLike<number>,
  dropout: number,
  rng: () => number,
  /** What the loss is averaged over: the whole batch when this call computes only part of it. */
  normalizer = batch.batchSize,
  /** Where the LSTM weights' gradients go; fresh arrays without it. */
  buffers?: GradientBuffers,
): TrainStepResult {
  return k.scoped(() => {
    const { batchSize: B } = batch;
    const { hiddenUnits: H, numClasses: K, embeddingDim: D } = shape;
    const width = directionCount(shape) * H;
    const seq = batchTokens(params, batch, D);
    const traces: LstmTrace[] = params.directions.map((w, d) =>
      lstmForward(seq, projectTokens(seq.tokens!, seq.tokenCount, D, w, H), w, H, d === 1, true),
    );
    const features = concatOutputs(
      traces.map((t) => t.output),
      B,
      H,
    );
    const keep = new Float32Array(B * width).fill(1);
    if (dropout > 0) for (let i = 0; i < keep.length; i++) keep[i] = rng() < dropout ? 0 : 1 / (1 - dropout);
    const dropped = features.map((v, i) => v * keep[i]);
    // A batch without n-grams trains the deep path alone (train.ts trains the LSTM apart from the wide path).
    const wide = params.wide && batch.ngrams && wideBatch(params, B, batch.ngrams, K);
    const multiLabel = shape.multiLabel === true;
    const probs = probabilities(dense(params, dropped, B, width, K), wide, B, K, multiLabel);

    let loss = 0;
    const dLogits = new Float32Array(B * K);
    for (let b = 0; b < B; b++) loss += rowLoss(probs, targets, b, K, weights[b] / normalizer, multiLabel, dLogits);
    // The dense layer's products are tiny ([B, width] by [width, K]): plain loops.
    const denseKernel = new Float32Array(width * K);
    const denseBias = new Float32Array(K);
    const dFeatures = new Float32Array(B * width);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < K; j++) {
        const g = dLogits[b * K + j];
        denseBias[j] += g;
        for (let i = 0; i < width; i++) {
          denseKernel[i * K + j] += dropped[b * width + i] * g;
          dFeatures[b * width + i] += params.denseKernel[i * K + j] * g;
        }
      }
    }
    for (let i = 0; i < dFeatures.length; i++) dFeatures[i] *= keep[i];

    const tokenGrads = k.alloc(seq.tokenCount * D);
    const directions = traces.map((trace, d) => {
      const dOut = new Float32Array(B * H);
      for (let b = 0; b < B; b++) dOut.set(dFeatures.subarray(b * width + d * H, b * width + (d + 1) * H), b * H);
      return lstmBackward(seq, params.directions[d], H, trace, dOut, tokenGrads, d > 0, buffers?.direction(d, D, H));
    });
    const { rows, grads } = embeddingGradients(seq.ids, k.floats(tokenGrads), D);
    const gradients: BatchGradients = {
      embeddingRows: rows,
      embedding: grads,
      directions: directions.map(({ kernel, recurrent, bias }) => ({ kernel, recurrent, bias })),
      denseKernel,
      denseBias,
    };
    if (wide) Object.assign(gradients, wideGradients(wide, dLogits, K));
    return { loss, probabilities: probs, gradients };
  });
}

/**
 * Forward and backward of the wide path alone, with `params.denseBias` as the only other weight (the deep part
 * of `params` is empty): softmax regression on the lines' n-gram bags, the linear baseline; with `multiLabel`,
 * one logistic regression per class (one-vs-rest) on multi-hot `targets`, as trainStep reads them.
 */
export function wideStep(
  params: NetworkParams,
  ngrams: NgramBatch,
  targets: ArrayLike<number>,
  K: number,
  multiLabel = false,
): TrainStepResult {
  return k.scoped(() => {
    const B = ngrams.offsets.length - 1;
    const probs = wideProbabilities(params, ngrams, K, multiLabel);
    const dLogits = new Float32Array(B * K);
    const denseBias = new Float32Array(K);
    const loss = wideLoss(probs.values, targets, B, K, multiLabel, dLogits, denseBias);
    const empty = new Float32Array(0);
    const gradients: BatchGradients = {
      embeddingRows: new Int32Array(0),
      embedding: empty,
      directions: [],
      denseKernel: empty,
      denseBias,
      ...wideGradients(probs.wide, dLogits, K),
    };
    return { loss, probabilities: probs.values, gradients };
  });
}

/**
 * The wide path's mean loss over B rows, its logits' gradient into `dLogits` [B, K] and the bias's into
 * `denseBias` [K] (summed in float32, row by row). Shared by wideStep and WideTrainer, so both compute the same bits.
 */
export function wideLoss(
  probs: Float32Array,
  targets: ArrayLike<number>,
  B: number,
  K: number,
  multiLabel: boolean,
  dLogits: Float32Array,
  denseBias: Float32Array,
): number {
  let loss = 0;
  if (multiLabel) {
    for (let b = 0; b < B; b++) loss += rowLoss(probs, targets, b, K, 1 / B, true, dLogits);
    for (let b = 0; b < B; b++) for (let j = 0; j < K; j++) denseBias[j] += dLogits[b * K + j];
    return loss;
  }
  // Divided by B, not multiplied by 1/B as rowLoss does: single-label baselines stay bit for bit what they were.
  for (let b = 0; b < B; b++) {
    const y = targets[b];
    loss -= Math.log(Math.max(probs[b * K + y], 1e-7)) / B;
    for (let j = 0; j < K; j++) {
      const g = (probs[b * K + j] - (j === y ? 1 : 0)) / B;
      dLogits[b * K + j] = g;
      denseBias[j] += g;
    }
  }
  return loss;
}

/** Probabilities [B, K] of the wide path alone (wideStep's model), for `ngrams`' lines. */
export function widePredict(params: NetworkParams, ngrams: NgramBatch, K: number, multiLabel = false): Float32Array {
  return k.scoped(() => wideProbabilities(params, ngrams, K, multiLabel).values);
}

function wideProbabilities(
  params: NetworkParams,
  ngrams: NgramBatch,
  K: number,
  multiLabel: boolean,
): { values: Float32Array; wide: WideBatch } {
  const B = ngrams.offsets.length - 1;
  const logits = k.alloc(B * K);
  const view = k.floats(logits);
  for (let b = 0; b < B; b++) view.set(params.denseBias, b * K);
  const wide = wideBatch(params, B, ngrams, K);
  return { values: probabilities(logits, wide, B, K, multiLabel), wide };
}

/** For each gradientList array, the rows it holds when it is row-sparse (the embedding, the wide table). */
export function gradientRows(g: BatchGradients): (Int32Array | undefined)[] {
  const lstm = g.directions.flatMap(() => [undefined, undefined, undefined]);
  return [g.embeddingRows, ...lstm, ...(g.wideRows ? [g.wideRows] : []), undefined, undefined];
}

/** The gradient arrays in trainableList order (embedding rows, each direction, wide rows, dense). */
export function gradientList(g: BatchGradients): Float32Array[] {
  return [
    g.embedding,
    ...g.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]),
    ...(g.wide ? [g.wide] : []),
    g.denseKernel,
    g.denseBias,
  ];
}

/** The token gradients as embedding rows; padding (id 0) gets none: it is masked. */
function embeddingGradients(ids: number[], tokenGrads: Float32Array, D: number): { rows: Int32Array; grads: Float32Array } {
  const padding = ids.indexOf(0);
  if (padding < 0) return { rows: Int32Array.from(ids), grads: tokenGrads.slice() };
  const grads = new Float32Array((ids.length - 1) * D);
  grads.set(tokenGrads.subarray(0, padding * D));
  grads.set(tokenGrads.subarray((padding + 1) * D, ids.length * D), padding * D);
  return { rows: Int32Array.from(ids.filter((id) => id !== 0)), grads };
}
