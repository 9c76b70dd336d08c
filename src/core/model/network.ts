// Embedding → LSTM (one or two directions, concatenated) → dropout → Dense softmax, forward and backward,
// with every large array in the wasm kernel's memory for the length of the call (kernel.ts).
import * as k from './kernel';
import { lstmBackward, lstmForward, projectTokens, type LstmTrace, type SequenceBatch } from './lstm';
import { directionCount, type NetworkParams, type NetworkShape } from './params';

/** A batch of token ids, left-padded with 0 to a common length. */
export interface IdBatch {
  /** [B, T] row-major. */
  ids: Int32Array;
  batchSize: number;
  steps: number;
}

export interface BatchGradients {
  /** Rows of the embedding that received a gradient, and that gradient ([rows.length, D]). */
  embeddingRows: Int32Array;
  embedding: Float32Array;
  directions: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array }[];
  denseKernel: Float32Array;
  denseBias: Float32Array;
}

export interface TrainStepResult {
  gradients: BatchGradients;
  /** Mean weighted cross-entropy of the batch. */
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

function softmaxRows(logits: Float32Array, rows: number, k: number): Float32Array {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logits[r * k + j] = Math.exp(logits[r * k + j] - max);
    for (let j = 0; j < k; j++) logits[r * k + j] /= sum;
  }
  return logits;
}

/** Softmax of features [B, width] · denseKernel + denseBias, as [B, K] probabilities. */
function dense(params: NetworkParams, features: Float32Array, B: number, width: number, K: number): Float32Array {
  return k.scoped(() => {
    const logits = k.alloc(B * K);
    k.product(logits, k.upload(features), B, width, k.upload(params.denseKernel), K, { bias: k.upload(params.denseBias) });
    return softmaxRows(k.floats(logits).slice(), B, K);
  });
}

/** Class probabilities [B, K] for inference (no dropout, nothing kept for backward). */
export function predictBatch(params: NetworkParams, shape: NetworkShape, batch: IdBatch, tables?: k.Span[]): Float32Array {
  return k.scoped(() => {
    const { batchSize: B } = batch;
    const { embeddingDim: D, hiddenUnits: H } = shape;
    const seq = batchTokens(params, batch, D, !!tables);
    const outputs = params.directions.map((w, d) => {
      const table = tables ? tables[d] : projectTokens(seq.tokens!, seq.tokenCount, D, w, H);
      return lstmForward(seq, table, w, H, d === 1, false);
    });
    const features = concatOutputs(outputs, B, shape.hiddenUnits);
    return dense(params, features, B, directionCount(shape) * shape.hiddenUnits, shape.numClasses);
  });
}

/**
 * Forward and backward for one batch. `targets` are class indices, `weights` per-example loss weights
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
    const probabilities = dense(params, dropped, B, width, K);

    let loss = 0;
    const dLogits = new Float32Array(B * K);
    for (let b = 0; b < B; b++) {
      const y = targets[b];
      const w = weights[b] / normalizer;
      loss -= w * Math.log(Math.max(probabilities[b * K + y], 1e-7));
      for (let j = 0; j < K; j++) dLogits[b * K + j] = w * (probabilities[b * K + j] - (j === y ? 1 : 0));
    }
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
      return lstmBackward(seq, params.directions[d], H, trace, dOut, tokenGrads, d > 0);
    });
    const { rows, grads } = embeddingGradients(seq.ids, k.floats(tokenGrads), D);
    return {
      loss,
      probabilities,
      gradients: {
        embeddingRows: rows,
        embedding: grads,
        directions: directions.map(({ kernel, recurrent, bias }) => ({ kernel, recurrent, bias })),
        denseKernel,
        denseBias,
      },
    };
  });
}

/** The gradient arrays in paramList order (embedding rows first, then each direction, then dense). */
export function gradientList(g: BatchGradients): Float32Array[] {
  return [g.embedding, ...g.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]), g.denseKernel, g.denseBias];
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
