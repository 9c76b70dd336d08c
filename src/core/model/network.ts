// Embedding → LSTM (one or two directions, concatenated) → dropout → Dense softmax, forward and backward,
// with every large array in the wasm kernel's memory for the length of the call (kernel.ts).
import * as k from './kernel';
import { lstmBackward, lstmForward, type LstmTrace, type SequenceBatch } from './lstm';
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

/** The batch's mask, and (unless only the mask is wanted) its embedded inputs, in kernel memory. */
function embed(params: NetworkParams, batch: IdBatch, dim: number, withInputs = true): SequenceBatch {
  const { ids, batchSize: B, steps: T } = batch;
  const maskSpan = k.alloc(Math.ceil((B * T) / 4));
  const mask = k.bytes(maskSpan, B * T);
  for (let i = 0; i < B * T; i++) mask[i] = ids[i] === 0 ? 0 : 1;
  if (!withInputs) return { mask: mask.slice(), maskSpan, batchSize: B, steps: T, inputDim: dim };
  const inputs = k.alloc(T * B * dim);
  const view = k.floats(inputs);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const id = ids[b * T + t];
      view.set(params.embedding.subarray(id * dim, (id + 1) * dim), (t * B + b) * dim);
    }
  }
  return { inputs, mask: k.bytes(maskSpan, B * T).slice(), maskSpan, batchSize: B, steps: T, inputDim: dim };
}

/** Time-major [T·B] copy of the ids in kernel memory, for gathering rows of a projection table. */
function timeMajorIds(batch: IdBatch): k.Span {
  const { ids, batchSize: B, steps: T } = batch;
  const span = k.alloc(T * B);
  const view = new Int32Array(k.floats(span).buffer, span.at, T * B);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) view[t * B + b] = ids[b * T + t];
  return span;
}

/**
 * For each direction, the input projection of every vocabulary row ([V, 4H], bias included). At inference a
 * step's projection is then a row copy: worth it once a call projects more positions than the vocabulary has.
 * Valid until the weights change; allocate it in a `scoped` block that outlives its use.
 */
export function projectionTables(params: NetworkParams, shape: NetworkShape): k.Span[] {
  const { vocabSize: V, embeddingDim: D, hiddenUnits: H } = shape;
  const embedding = k.upload(params.embedding);
  return params.directions.map((w) => {
    const table = k.alloc(V * 4 * H);
    k.product(table, embedding, V, D, k.upload(w.kernel), 4 * H, { bias: k.upload(w.bias) });
    return table;
  });
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
    const { batchSize: B, steps: T } = batch;
    const G = 4 * shape.hiddenUnits;
    const seq = embed(params, batch, shape.embeddingDim, !tables);
    const ids = tables && timeMajorIds(batch);
    const outputs = params.directions.map((w, d) => {
      let projected: k.Span | undefined;
      if (tables) {
        projected = k.alloc(T * B * G);
        k.gatherRows(projected, tables[d], ids!, T * B, G);
      }
      return lstmForward(seq, w, shape.hiddenUnits, d === 1, false, projected);
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
  return k.scoped(() => trainStepInKernel(params, shape, batch, targets, weights, dropout, rng, normalizer));
}

function trainStepInKernel(
  params: NetworkParams,
  shape: NetworkShape,
  batch: IdBatch,
  targets: ArrayLike<number>,
  weights: ArrayLike<number>,
  dropout: number,
  rng: () => number,
  normalizer: number,
): TrainStepResult {
  const { batchSize: B, steps: T } = batch;
  const { hiddenUnits: H, numClasses: K, embeddingDim: D } = shape;
  const width = directionCount(shape) * H;
  const seq = embed(params, batch, D);
  const traces: LstmTrace[] = params.directions.map((w, d) => lstmForward(seq, w, H, d === 1, true));
  const features = concatOutputs(traces.map((t) => t.output), B, H);
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

  const inputGrads = k.alloc(T * B * D);
  const directions = traces.map((trace, d) => {
    const dOut = new Float32Array(B * H);
    for (let b = 0; b < B; b++) dOut.set(dFeatures.subarray(b * width + d * H, b * width + (d + 1) * H), b * H);
    return lstmBackward(seq, params.directions[d], H, trace, dOut, inputGrads, d > 0);
  });
  const { rows, grads } = scatterEmbeddingGrads(batch, k.floats(inputGrads), D);
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
}

/** Sums the time-major input gradients into one row per distinct token id (padding gets none: it is masked). */
function scatterEmbeddingGrads(batch: IdBatch, inputGrads: Float32Array, D: number): { rows: Int32Array; grads: Float32Array } {
  const { ids, batchSize: B, steps: T } = batch;
  const slot = new Map<number, number>();
  for (const id of ids) if (id !== 0 && !slot.has(id)) slot.set(id, slot.size);
  const grads = new Float32Array(slot.size * D);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const id = ids[b * T + t];
      if (id === 0) continue;
      const to = slot.get(id)! * D;
      const from = (t * B + b) * D;
      for (let d = 0; d < D; d++) grads[to + d] += inputGrads[from + d];
    }
  }
  return { rows: Int32Array.from(slot.keys()), grads };
}
