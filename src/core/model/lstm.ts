// One LSTM direction over a whole batch: the input projection of every step in one matrix product, then one
// recurrent product per step; gates in JS. Backward is hand-written BPTT whose weight gradients are again one
// product each over all steps. Padding (id 0) is masked as Keras does: a masked step carries h and c unchanged.
import { addColumnSums, matmul, ResidentMatrix, transpose } from './matmul';
import type { LstmWeights } from './params';

/** Inputs shared by both directions: embeddings in time-major order and the mask. */
export interface SequenceBatch {
  /** [T, B, D] time-major embedded inputs. */
  inputs: Float32Array;
  /** [B, T] row-major: 1 for a real token, 0 for padding. */
  mask: Uint8Array;
  batchSize: number;
  steps: number;
  inputDim: number;
}

/** What the backward pass needs from the forward pass. */
export interface LstmTrace {
  reverse: boolean;
  /** [T, B, 4H] post-activation gates i, f, g, o, by time index t. */
  gates: Float32Array;
  /** [T, B, H] cell state after step t. */
  cells: Float32Array;
  /** [T, B, H] cell state before step t. */
  cellsBefore: Float32Array;
  /** [T, B, H] hidden state before step t. */
  hiddenBefore: Float32Array;
  /** [B, H] final hidden state. */
  output: Float32Array;
}

export interface LstmGradients {
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
  /** [T·B, D] gradient of the time-major inputs. */
  inputs: Float32Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function stepOrder(steps: number, reverse: boolean): number[] {
  return Array.from({ length: steps }, (_, s) => (reverse ? steps - 1 - s : s));
}

export function lstmForward(batch: SequenceBatch, w: LstmWeights, hidden: number, reverse: boolean, keepTrace: true): LstmTrace;
export function lstmForward(batch: SequenceBatch, w: LstmWeights, hidden: number, reverse: boolean, keepTrace: false): Float32Array;
export function lstmForward(
  batch: SequenceBatch,
  w: LstmWeights,
  hidden: number,
  reverse: boolean,
  keepTrace: boolean,
): LstmTrace | Float32Array {
  const { batchSize: B, steps: T, inputDim: D, mask } = batch;
  const H = hidden;
  const G = 4 * H;
  const projected = matmul(batch.inputs, T * B, D, w.kernel, G);
  const recurrent = new ResidentMatrix(w.recurrent, H, G);
  const trace = keepTrace
    ? { gates: new Float32Array(T * B * G), cells: new Float32Array(T * B * H), cellsBefore: new Float32Array(T * B * H), hiddenBefore: new Float32Array(T * B * H) }
    : undefined;
  let h = new Float32Array(B * H);
  let c = new Float32Array(B * H);
  let started = false;
  try {
    for (const t of stepOrder(T, reverse)) {
      const z = started ? recurrent.leftMultiply(h, B) : new Float32Array(B * G);
      if (trace) {
        trace.hiddenBefore.set(h, t * B * H);
        trace.cellsBefore.set(c, t * B * H);
      }
      const hNext = h.slice();
      const cNext = c.slice();
      for (let b = 0; b < B; b++) {
        if (!mask[b * T + t]) continue;
        started = true;
        const zRow = b * G;
        const pRow = (t * B + b) * G;
        for (let j = 0; j < H; j++) {
          const i = sigmoid(z[zRow + j] + projected[pRow + j] + w.bias[j]);
          const f = sigmoid(z[zRow + H + j] + projected[pRow + H + j] + w.bias[H + j]);
          const g = Math.tanh(z[zRow + 2 * H + j] + projected[pRow + 2 * H + j] + w.bias[2 * H + j]);
          const o = sigmoid(z[zRow + 3 * H + j] + projected[pRow + 3 * H + j] + w.bias[3 * H + j]);
          const cell = f * c[b * H + j] + i * g;
          cNext[b * H + j] = cell;
          hNext[b * H + j] = o * Math.tanh(cell);
          if (trace) {
            trace.gates[pRow + j] = i;
            trace.gates[pRow + H + j] = f;
            trace.gates[pRow + 2 * H + j] = g;
            trace.gates[pRow + 3 * H + j] = o;
          }
        }
      }
      h = hNext;
      c = cNext;
      if (trace) trace.cells.set(c, t * B * H);
    }
  } finally {
    recurrent.dispose();
  }
  return trace ? { reverse, ...trace, output: h } : h;
}

/** Backpropagation through time from the gradient of the final hidden state. */
export function lstmBackward(batch: SequenceBatch, w: LstmWeights, hidden: number, trace: LstmTrace, outputGrad: Float32Array): LstmGradients {
  const { batchSize: B, steps: T, inputDim: D, mask } = batch;
  const H = hidden;
  const G = 4 * H;
  const gateGrads = new Float32Array(T * B * G);
  const recurrentT = new ResidentMatrix(transpose(w.recurrent, H, G), G, H);
  let dh = outputGrad.slice();
  let dc = new Float32Array(B * H);
  try {
    for (const t of stepOrder(T, trace.reverse).reverse()) {
      const dz = gateGrads.subarray(t * B * G, (t + 1) * B * G);
      const dcBefore = dc.slice();
      let active = false;
      for (let b = 0; b < B; b++) {
        if (!mask[b * T + t]) continue;
        active = true;
        const row = (t * B + b) * G;
        for (let j = 0; j < H; j++) {
          const k = b * H + j;
          const i = trace.gates[row + j];
          const f = trace.gates[row + H + j];
          const g = trace.gates[row + 2 * H + j];
          const o = trace.gates[row + 3 * H + j];
          const tanhC = Math.tanh(trace.cells[t * B * H + k]);
          const dCell = dc[k] + dh[k] * o * (1 - tanhC * tanhC);
          dz[b * G + j] = dCell * g * i * (1 - i);
          dz[b * G + H + j] = dCell * trace.cellsBefore[t * B * H + k] * f * (1 - f);
          dz[b * G + 2 * H + j] = dCell * i * (1 - g * g);
          dz[b * G + 3 * H + j] = dh[k] * tanhC * o * (1 - o);
          dcBefore[k] = dCell * f;
        }
      }
      if (active) {
        const dhBefore = recurrentT.leftMultiply(dz, B);
        for (let b = 0; b < B; b++) {
          if (mask[b * T + t]) dh.set(dhBefore.subarray(b * H, (b + 1) * H), b * H);
        }
      }
      dc = dcBefore;
    }
  } finally {
    recurrentT.dispose();
  }
  const bias = new Float32Array(G);
  addColumnSums(gateGrads, T * B, G, bias);
  return {
    kernel: matmul(transpose(batch.inputs, T * B, D), D, T * B, gateGrads, G),
    recurrent: matmul(transpose(trace.hiddenBefore, T * B, H), H, T * B, gateGrads, G),
    bias,
    inputs: matmul(gateGrads, T * B, G, transpose(w.kernel, D, G), D),
  };
}
