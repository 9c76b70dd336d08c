// One LSTM direction over a whole batch: the input projection of every step in one matrix product, then one
// recurrent product per step; gates in JS. Backward is hand-written BPTT whose weight gradients are again one
// product each over all steps. Padding (id 0) is masked as Keras does: a masked step carries h and c unchanged.
import { addColumnSums, matmul, matmulBias, ResidentMatrix, transpose } from './matmul';
import { GateWorkspace } from './gateKernel';
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

/** What the backward pass needs from the forward pass, all indexed by time step t. */
export interface LstmTrace {
  reverse: boolean;
  /** [T, B, 4H] post-activation gates i, f, g, o. */
  gates: Float32Array;
  /** [T, B, H] tanh of the cell state after step t. */
  cellTanh: Float32Array;
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

// Math.exp is markedly cheaper than Math.tanh in V8; tanh(x) = 2σ(2x) − 1 is exact to double rounding.
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const tanh = (x: number) => 2 / (1 + Math.exp(-2 * x)) - 1;

function stepOrder(steps: number, reverse: boolean): number[] {
  return Array.from({ length: steps }, (_, s) => (reverse ? steps - 1 - s : s));
}

/** True when any row of the batch has a real token at step t. */
function stepActive(mask: Uint8Array, B: number, T: number, t: number): boolean {
  for (let b = 0; b < B; b++) if (mask[b * T + t]) return true;
  return false;
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
  const { batchSize: B, steps: T, inputDim: D } = batch;
  const H = hidden;
  const G = 4 * H;
  const projected = matmulBias(batch.inputs, T * B, D, w.kernel, G, w.bias);
  const recurrent = new ResidentMatrix(w.recurrent, H, G);
  const trace = keepTrace
    ? { gates: new Float32Array(T * B * G), cellTanh: new Float32Array(T * B * H), cellsBefore: new Float32Array(T * B * H), hiddenBefore: new Float32Array(T * B * H) }
    : undefined;
  try {
    const gates = GateWorkspace.create(B, T, H, keepTrace);
    const h = gates ? forwardWithKernel(gates, projected, recurrent, batch, H, reverse, trace) : forwardInJs(projected, recurrent, batch, H, reverse, trace);
    return trace ? { reverse, ...trace, output: h } : h;
  } finally {
    recurrent.dispose();
  }
}

type ForwardTrace = Omit<LstmTrace, 'reverse' | 'output'>;

function forwardWithKernel(gates: GateWorkspace, projected: Float32Array, recurrent: ResidentMatrix, batch: SequenceBatch, H: number, reverse: boolean, trace?: ForwardTrace): Float32Array {
  const { batchSize: B, steps: T, mask } = batch;
  gates.projected.set(projected);
  gates.setMask(mask);
  let started = false;
  for (const t of stepOrder(T, reverse)) {
    if (!stepActive(mask, B, T, t)) continue;
    // Before the first real step h is zero, so the recurrent product is zero too (the region starts zeroed).
    if (started) gates.recurrent.set(recurrent.leftMultiply(gates.h, B));
    started = true;
    if (trace) {
      trace.hiddenBefore.set(gates.h, t * B * H);
      trace.cellsBefore.set(gates.c, t * B * H);
    }
    gates.step(t, trace !== undefined);
  }
  if (trace) {
    trace.gates.set(gates.gates);
    trace.cellTanh.set(gates.cellTanh);
  }
  return gates.h.slice();
}

function forwardInJs(projected: Float32Array, recurrent: ResidentMatrix, batch: SequenceBatch, H: number, reverse: boolean, trace?: ForwardTrace): Float32Array {
  const { batchSize: B, steps: T, mask } = batch;
  const G = 4 * H;
  const h = new Float32Array(B * H);
  const c = new Float32Array(B * H);
  let started = false;
  for (const t of stepOrder(T, reverse)) {
    if (!stepActive(mask, B, T, t)) continue; // leading padding of the whole batch: state stays zero
    const z = started ? recurrent.leftMultiply(h, B) : new Float32Array(B * G);
    started = true;
    if (trace) {
      trace.hiddenBefore.set(h, t * B * H);
      trace.cellsBefore.set(c, t * B * H);
    }
    for (let b = 0; b < B; b++) {
      if (!mask[b * T + t]) continue;
      const zRow = b * G;
      const pRow = (t * B + b) * G;
      const sRow = b * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(z[zRow + j] + projected[pRow + j]);
        const f = sigmoid(z[zRow + H + j] + projected[pRow + H + j]);
        const g = tanh(z[zRow + 2 * H + j] + projected[pRow + 2 * H + j]);
        const o = sigmoid(z[zRow + 3 * H + j] + projected[pRow + 3 * H + j]);
        const cell = f * c[sRow + j] + i * g;
        const cellTanh = tanh(cell);
        c[sRow + j] = cell;
        h[sRow + j] = o * cellTanh;
        if (trace) {
          trace.gates[pRow + j] = i;
          trace.gates[pRow + H + j] = f;
          trace.gates[pRow + 2 * H + j] = g;
          trace.gates[pRow + 3 * H + j] = o;
          trace.cellTanh[t * B * H + sRow + j] = cellTanh;
        }
      }
    }
  }
  return h;
}

/** Backpropagation through time from the gradient of the final hidden state. */
export function lstmBackward(batch: SequenceBatch, w: LstmWeights, hidden: number, trace: LstmTrace, outputGrad: Float32Array): LstmGradients {
  const { batchSize: B, steps: T, inputDim: D, mask } = batch;
  const H = hidden;
  const G = 4 * H;
  const gateGrads = new Float32Array(T * B * G);
  const recurrentT = new ResidentMatrix(transpose(w.recurrent, H, G), G, H);
  const dh = outputGrad.slice();
  const dc = new Float32Array(B * H);
  try {
    for (const t of stepOrder(T, trace.reverse).reverse()) {
      if (!stepActive(mask, B, T, t)) continue;
      const dz = gateGrads.subarray(t * B * G, (t + 1) * B * G);
      for (let b = 0; b < B; b++) {
        if (!mask[b * T + t]) continue;
        const row = (t * B + b) * G;
        for (let j = 0; j < H; j++) {
          const k = b * H + j;
          const i = trace.gates[row + j];
          const f = trace.gates[row + H + j];
          const g = trace.gates[row + 2 * H + j];
          const o = trace.gates[row + 3 * H + j];
          const tanhC = trace.cellTanh[t * B * H + k];
          const dCell = dc[k] + dh[k] * o * (1 - tanhC * tanhC);
          dz[b * G + j] = dCell * g * i * (1 - i);
          dz[b * G + H + j] = dCell * trace.cellsBefore[t * B * H + k] * f * (1 - f);
          dz[b * G + 2 * H + j] = dCell * i * (1 - g * g);
          dz[b * G + 3 * H + j] = dh[k] * tanhC * o * (1 - o);
          dc[k] = dCell * f;
        }
      }
      // Rows masked at this step pass dh and dc through unchanged; the others take them from the gates.
      const dhBefore = recurrentT.leftMultiply(dz, B);
      for (let b = 0; b < B; b++) {
        if (mask[b * T + t]) dh.set(dhBefore.subarray(b * H, (b + 1) * H), b * H);
      }
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
