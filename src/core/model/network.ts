// Embedding → LSTM (one or two directions, concatenated) → dropout → Dense softmax, forward and backward.
import { lstmBackward, lstmForward, type LstmTrace, type SequenceBatch } from './lstm';
import { addColumnSums, matmul, transpose } from './matmul';
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

function embed(params: NetworkParams, batch: IdBatch, dim: number): SequenceBatch {
  const { ids, batchSize: B, steps: T } = batch;
  const inputs = new Float32Array(T * B * dim);
  const mask = new Uint8Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const id = ids[b * T + t];
      mask[b * T + t] = id === 0 ? 0 : 1;
      inputs.set(params.embedding.subarray(id * dim, (id + 1) * dim), (t * B + b) * dim);
    }
  }
  return { inputs, mask, batchSize: B, steps: T, inputDim: dim };
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

function dense(params: NetworkParams, features: Float32Array, B: number, width: number, K: number): Float32Array {
  const logits = matmul(features, B, width, params.denseKernel, K);
  for (let b = 0; b < B; b++) for (let j = 0; j < K; j++) logits[b * K + j] += params.denseBias[j];
  return softmaxRows(logits, B, K);
}

/** Class probabilities [B, K] for inference (no dropout, nothing kept for backward). */
export function predictBatch(params: NetworkParams, shape: NetworkShape, batch: IdBatch): Float32Array {
  const seq = embed(params, batch, shape.embeddingDim);
  const outputs = params.directions.map((w, d) => lstmForward(seq, w, shape.hiddenUnits, d === 1, false));
  const features = concatOutputs(outputs, batch.batchSize, shape.hiddenUnits);
  return dense(params, features, batch.batchSize, directionCount(shape) * shape.hiddenUnits, shape.numClasses);
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
  const { batchSize: B } = batch;
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
  const denseKernel = matmul(transpose(dropped, B, width), width, B, dLogits, K);
  const denseBias = new Float32Array(K);
  addColumnSums(dLogits, B, K, denseBias);
  const dFeatures = matmul(dLogits, B, K, transpose(params.denseKernel, width, K), width);
  for (let i = 0; i < dFeatures.length; i++) dFeatures[i] *= keep[i];

  const directions = traces.map((trace, d) => {
    const dOut = new Float32Array(B * H);
    for (let b = 0; b < B; b++) dOut.set(dFeatures.subarray(b * width + d * H, b * width + (d + 1) * H), b * H);
    return lstmBackward(seq, params.directions[d], H, trace, dOut);
  });
  const { rows, grads } = scatterEmbeddingGrads(batch, directions.map((g) => g.inputs), D);
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
function scatterEmbeddingGrads(batch: IdBatch, inputGrads: Float32Array[], D: number): { rows: Int32Array; grads: Float32Array } {
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
      for (const g of inputGrads) for (let d = 0; d < D; d++) grads[to + d] += g[from + d];
    }
  }
  return { rows: Int32Array.from(slot.keys()), grads };
}
