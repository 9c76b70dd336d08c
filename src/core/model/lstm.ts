// One LSTM direction over a whole batch, in the wasm kernel: the input projections gathered from a table
// (each distinct token's projection, computed in one matrix product), then per step one recurrent product and
// one gate call. Backward is hand-written BPTT whose weight gradients are again one product each over all
// steps, and whose input-side products run over the distinct tokens, not over every position.
// Padding (id 0) is masked as Keras does: a masked step carries h and c unchanged.
import { gateWidth } from './cell';
import * as k from './kernel';
import type { Span } from './kernel';
import type { LstmWeights } from './params';
import type { PrefixLevel } from './prefixLevels';

/** Inputs shared by both directions, in kernel memory. */
export interface SequenceBatch {
  /** [U, D] embedding rows of the batch's distinct tokens (absent when the projection tables cover the vocabulary). */
  tokens?: Span;
  tokenCount: number;
  /** [T·B] int32, time-major: the row of the projection table (and of `tokens`) each position holds. */
  slots: Span;
  /** [B, T] row-major, 1 for a real token: in JS and in kernel memory. */
  mask: Uint8Array;
  maskSpan: Span;
  batchSize: number;
  steps: number;
  inputDim: number;
}

/** What the backward pass needs from the forward pass, all [T, B, ·] in kernel memory. */
export interface LstmTrace {
  reverse: boolean;
  /** [T, B, 4H] post-activation gates (cell.ts order); the backward pass turns them into their gradients. */
  gates: Span;
  cellTanh: Span;
  cellsBefore: Span;
  hiddenBefore: Span;
  /** [B, H] final hidden state. */
  output: Float32Array;
}

export interface LstmGradients {
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
}

function stepOrder(steps: number, reverse: boolean): number[] {
  return Array.from({ length: steps }, (_, s) => (reverse ? steps - 1 - s : s));
}

/** True when any row of the batch has a real token at step t. */
function stepActive(mask: Uint8Array, B: number, T: number, t: number): boolean {
  for (let b = 0; b < B; b++) if (mask[b * T + t]) return true;
  return false;
}

/** [rows, 4H]: the input projection plus bias of each of `rows` embedding rows ([rows, D]). */
export function projectTokens(tokens: Span, rows: number, D: number, w: LstmWeights, hidden: number): Span {
  const G = gateWidth(hidden);
  const table = k.alloc(rows * G);
  k.product(table, tokens, rows, D, k.upload(w.kernel), G, { bias: k.upload(w.bias) });
  return table;
}

/** `table` holds the input projection of each slot (projectTokens). */
export function lstmForward(
  batch: SequenceBatch,
  table: Span,
  w: LstmWeights,
  hidden: number,
  reverse: boolean,
  keepTrace: true,
): LstmTrace;
export function lstmForward(
  batch: SequenceBatch,
  table: Span,
  w: LstmWeights,
  hidden: number,
  reverse: boolean,
  keepTrace: false,
): Float32Array;
export function lstmForward(
  batch: SequenceBatch,
  table: Span,
  w: LstmWeights,
  hidden: number,
  reverse: boolean,
  keepTrace: boolean,
): LstmTrace | Float32Array {
  const { batchSize: B, steps: T, mask } = batch;
  const H = hidden;
  const G = gateWidth(H);
  const z = k.alloc(T * B * G);
  k.gatherRows(z, table, batch.slots, T * B, G);
  const recurrent = k.upload(w.recurrent);
  const h = k.zeros(B * H);
  const c = k.zeros(B * H);
  const trace = keepTrace ? { cellTanh: k.alloc(T * B * H), cellsBefore: k.alloc(T * B * H), hiddenBefore: k.alloc(T * B * H) } : undefined;
  let started = false;
  for (const t of stepOrder(T, reverse)) {
    if (!stepActive(mask, B, T, t)) {
      // Leading padding of the whole batch: the state stays zero, and the weight gradients must see zeros here.
      if (trace) k.floats(k.slice(trace.hiddenBefore, t * B * H, B * H)).fill(0);
      continue;
    }
    const zt = k.slice(z, t * B * G, B * G);
    // Before the first real step h is zero, so its recurrent product is too.
    if (started) k.product(zt, h, B, H, recurrent, G, { accumulate: true });
    started = true;
    const stepTrace = trace && {
      hiddenBefore: k.slice(trace.hiddenBefore, t * B * H, B * H),
      cellsBefore: k.slice(trace.cellsBefore, t * B * H, B * H),
      cellTanh: k.slice(trace.cellTanh, t * B * H, B * H),
    };
    k.forwardGates({ z: zt, c, h, mask: batch.maskSpan.at + t, maskStride: T, B, H }, stepTrace);
  }
  const output = k.floats(h).slice();
  return trace ? { reverse, gates: z, ...trace, output } : output;
}

/**
 * Each line's final hidden state from its prefix levels (prefixLevels.ts), written to row `line` of `out` ([lines,
 * H]; an empty line's row is left as it is, zero in a fresh array). One depth per step: each row's projection
 * gathered from `table`, its parent's h and c gathered, then the same recurrent product and gate call as
 * lstmForward. Per row that is lstmForward's arithmetic in the same order: the product's rows do not mix, and at
 * a line's first step its h is zero, where lstmForward adds a product of zeros, which changes no value. So every
 * line gets the bits it gets there, in any batch.
 */
export function lstmPrefixForward(levels: readonly PrefixLevel[], table: Span, w: LstmWeights, hidden: number, out: Float32Array): void {
  const H = hidden;
  const G = gateWidth(H);
  const widest = Math.max(0, ...levels.map((level) => level.tokens.length));
  if (widest === 0) return;
  k.scoped(() => {
    const recurrent = k.upload(w.recurrent);
    const z = k.alloc(widest * G);
    const states = [0, 1].map(() => ({ h: k.alloc(widest * H), c: k.alloc(widest * H) }));
    const rows = k.alloc(widest);
    const live = k.alloc(1); // one mask byte of 1 read by every row (stride 0): every row of a level is real
    k.bytes(live, 1)[0] = 1;
    const rowIds = new Int32Array(k.floats(rows).buffer, rows.at, widest);
    levels.forEach((level, depth) => {
      const n = level.tokens.length;
      const [before, after] = depth % 2 === 0 ? states : [states[1], states[0]];
      rowIds.set(level.tokens);
      k.gatherRows(z, table, rows, n, G);
      if (depth === 0) {
        k.floats(after.h).fill(0, 0, n * H);
        k.floats(after.c).fill(0, 0, n * H);
      } else {
        rowIds.set(level.parents);
        k.gatherRows(after.h, before.h, rows, n, H);
        k.gatherRows(after.c, before.c, rows, n, H);
        k.product(z, after.h, n, H, recurrent, G, { accumulate: true });
      }
      k.forwardGates({ z, c: after.c, h: after.h, mask: live.at, maskStride: 0, B: n, H });
      const h = k.floats(after.h);
      for (let e = 0; e < level.endingLines.length; e++) {
        const from = level.endingRows[e] * H;
        out.set(h.subarray(from, from + H), level.endingLines[e] * H);
      }
    });
  });
}

/**
 * Backpropagation through time from the gradient of the final hidden state. The gradient of the distinct
 * tokens' embedding rows ([U, D]) is added to `tokenGrads` (or written there when `accumulate` is false).
 */
export function lstmBackward(
  batch: SequenceBatch,
  w: LstmWeights,
  hidden: number,
  trace: LstmTrace,
  outputGrad: Float32Array,
  tokenGrads: Span,
  accumulate: boolean,
  /** Where the weights' gradients go (reused from step to step); fresh arrays without it. */
  into?: LstmGradients,
): LstmGradients {
  const { batchSize: B, steps: T, inputDim: D, mask } = batch;
  const H = hidden;
  const G = gateWidth(H);
  const recurrentT = uploadTransposed(w.recurrent, H, G);
  const dh = k.upload(outputGrad);
  const dc = k.zeros(B * H);
  const dz = trace.gates;
  for (const t of stepOrder(T, trace.reverse).reverse()) {
    const dzt = k.slice(dz, t * B * G, B * G);
    if (!stepActive(mask, B, T, t)) {
      k.floats(dzt).fill(0);
      continue;
    }
    const at = t * B * H;
    k.backwardGates(dzt, k.slice(trace.cellTanh, at, B * H), k.slice(trace.cellsBefore, at, B * H), dh, dc, batch.maskSpan.at + t, T, B, H);
    // Live rows' dh was zeroed by the gate step, masked rows keep theirs (their dz is zero).
    k.product(dh, dzt, B, G, recurrentT, H, { accumulate: true });
  }
  const U = batch.tokenCount;
  // The gradient of each distinct token's projection: the sum of its positions' dz.
  const perToken = k.zeros(U * G);
  k.scatterAddRows(perToken, dz, batch.slots, T * B, G);
  const kernelGrad = k.alloc(D * G);
  const recurrentGrad = k.alloc(H * G);
  const biasGrad = k.alloc(G);
  k.product(kernelGrad, batch.tokens!, D, U, perToken, G, { transposeA: true });
  k.product(recurrentGrad, trace.hiddenBefore, H, T * B, dz, G, { transposeA: true });
  k.columnSums(biasGrad, perToken, U, G);
  k.product(tokenGrads, perToken, U, G, uploadTransposed(w.kernel, D, G), D, { accumulate });
  if (into && (into.kernel.length !== D * G || into.recurrent.length !== H * G || into.bias.length !== G)) {
    throw new Error(`gradient buffers for another shape: ${into.kernel.length} kernel values for ${D} × ${G}`);
  }
  const out = into ?? { kernel: new Float32Array(D * G), recurrent: new Float32Array(H * G), bias: new Float32Array(G) };
  out.kernel.set(k.floats(kernelGrad));
  out.recurrent.set(k.floats(recurrentGrad));
  out.bias.set(k.floats(biasGrad));
  return out;
}

/** transpose(a) written straight into kernel memory: no array per step for the collector. */
function uploadTransposed(a: Float32Array, rows: number, cols: number): Span {
  const span = k.alloc(rows * cols);
  transposeInto(k.floats(span), a, rows, cols);
  return span;
}

/** Row-major transpose of a [rows, cols] matrix. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  return transposeInto(new Float32Array(rows * cols), a, rows, cols);
}

function transposeInto(out: Float32Array, a: Float32Array, rows: number, cols: number): Float32Array {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c];
  }
  return out;
}
