// Plain TypeScript versions of every export of the wasm kernel (lstm.wat.mjs), written for clarity, not speed:
// what each function computes, in the form a reader checks against the maths. test/unit/referenceKernels.test.ts
// runs both on random shapes and compares them (as llm.c keeps a naive kernel beside each tuned one).
// Arrays stand for the kernel's pointers; a pointer's element offset is an explicit argument where it matters.
import { GATES, type GateName } from '../cell';

const ACTIVATE = { sigmoid: (x: number) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh };
/** Each activation's derivative from its output a. */
const DERIVATIVE = { sigmoid: (a: number) => a * (1 - a), tanh: (a: number) => 1 - a * a };

/** C[M,N] = init + A·B, A's element (i,k) at a[i·ars + k·acs]; init 0: zero, 1: C as it is, 2: bias on every row. */
export function matmul(
  a: Float32Array,
  ars: number,
  acs: number,
  b: Float32Array,
  c: Float32Array,
  M: number,
  K: number,
  N: number,
  init: 0 | 1 | 2,
  bias?: Float32Array,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = init === 1 ? c[i * N + j] : init === 2 ? bias![j] : 0;
      for (let k = 0; k < K; k++) sum += a[i * ars + k * acs] * b[k * N + j];
      c[i * N + j] = sum;
    }
  }
}

export interface StepState {
  /** [B, 4H]: pre-activations in, activations out (forward); activations in, their gradients out (backward). */
  z: Float32Array;
  /** Mask byte of row b at mask[maskAt + b·maskStride]. */
  mask: Uint8Array;
  maskAt: number;
  maskStride: number;
  B: number;
  H: number;
}

/** The element of gate `name`, unit u, row b of a [B, 4H] array. */
function gateAt(name: GateName, b: number, u: number, H: number): number {
  return b * GATES.length * H + GATES.findIndex((g) => g.name === name) * H + u;
}

/**
 * One time step of the rows whose mask byte is set: z's gates activated in place, c and h advanced. With a
 * trace, h before the step (every row), c before the step and tanh(c) after it (live rows) are written there.
 */
export function forwardGates(
  s: StepState & { c: Float32Array; h: Float32Array },
  trace?: { hiddenBefore: Float32Array; cellsBefore: Float32Array; cellTanh: Float32Array },
): void {
  const { z, c, h, B, H } = s;
  for (let b = 0; b < B; b++) {
    if (trace) trace.hiddenBefore.set(h.subarray(b * H, (b + 1) * H), b * H);
    if (!s.mask[s.maskAt + b * s.maskStride]) continue;
    for (const gate of GATES) {
      for (let u = 0; u < H; u++) {
        const at = gateAt(gate.name, b, u, H);
        z[at] = ACTIVATE[gate.activation](z[at]);
      }
    }
    for (let u = 0; u < H; u++) {
      const value = (name: GateName) => z[gateAt(name, b, u, H)];
      const state = b * H + u;
      if (trace) trace.cellsBefore[state] = c[state];
      c[state] = value('forget') * c[state] + value('input') * value('candidate');
      const cellTanh = Math.tanh(c[state]);
      h[state] = value('output') * cellTanh;
      if (trace) trace.cellTanh[state] = cellTanh;
    }
  }
}

/**
 * Backward through one step: z (the step's activations) becomes d(pre-activations), dc advances to the step
 * before, and dh of live rows is zeroed (the caller adds dz · Wᵀ to it). Masked rows get dz = 0 and keep dh, dc.
 */
export function backwardGates(
  s: StepState & { cellTanh: Float32Array; cellsBefore: Float32Array; dh: Float32Array; dc: Float32Array },
): void {
  const { z, B, H, dh, dc } = s;
  const G = GATES.length * H;
  for (let b = 0; b < B; b++) {
    if (!s.mask[s.maskAt + b * s.maskStride]) {
      z.fill(0, b * G, (b + 1) * G);
      continue;
    }
    for (let u = 0; u < H; u++) {
      const state = b * H + u;
      const value = (name: GateName) => z[gateAt(name, b, u, H)];
      const [i, f, g, o] = [value('input'), value('forget'), value('candidate'), value('output')];
      const tc = s.cellTanh[state];
      const dcell = dc[state] + dh[state] * o * (1 - tc * tc);
      // d(gate value) from c' = f·c + i·g and h' = o·tanh(c').
      const upstream: Record<GateName, number> = {
        input: dcell * g,
        forget: dcell * s.cellsBefore[state],
        candidate: dcell * i,
        output: dh[state] * tc,
      };
      for (const gate of GATES) {
        const at = gateAt(gate.name, b, u, H);
        z[at] = upstream[gate.name] * DERIVATIVE[gate.activation](z[at]);
      }
      dc[state] = dcell * f;
      dh[state] = 0;
    }
  }
}

/** out[r] = table[ids[r]] for n rows of `width` elements. */
export function gatherRows(table: Float32Array, ids: Int32Array, out: Float32Array, n: number, width: number): void {
  for (let r = 0; r < n; r++) out.set(table.subarray(ids[r] * width, (ids[r] + 1) * width), r * width);
}

/** out[ids[r]] += rows[r] for n rows of `width` elements. */
export function scatterAddRows(rows: Float32Array, ids: Int32Array, out: Float32Array, n: number, width: number): void {
  for (let r = 0; r < n; r++) for (let j = 0; j < width; j++) out[ids[r] * width + j] += rows[r * width + j];
}

/** out[b] += the mean of table's rows ids[offsets[b]] … ids[offsets[b + 1] − 1] (nothing for a line without ids). */
export function bagMeans(table: Float32Array, ids: Int32Array, offsets: Int32Array, out: Float32Array, lines: number, width: number): void {
  for (let b = 0; b < lines; b++) {
    const n = offsets[b + 1] - offsets[b];
    for (let t = offsets[b]; t < offsets[b + 1]; t++) {
      for (let j = 0; j < width; j++) out[b * width + j] += table[ids[t] * width + j] / n;
    }
  }
}

/** dTable[ids[t]] += grad[b] / n_b for every id t of line b: the gradient of bagMeans with respect to the table. */
export function bagMeansBackward(
  grad: Float32Array,
  ids: Int32Array,
  offsets: Int32Array,
  dTable: Float32Array,
  lines: number,
  width: number,
): void {
  for (let b = 0; b < lines; b++) {
    const n = offsets[b + 1] - offsets[b];
    for (let t = offsets[b]; t < offsets[b + 1]; t++) {
      for (let j = 0; j < width; j++) dTable[ids[t] * width + j] += grad[b * width + j] / n;
    }
  }
}

/**
 * Adam on `rows` rows of weights p [rows, width] with their gradients g [rows, width]; row r's moments are row
 * ids[r] of m and v. The gradient is scaled by `scale` (clipping); lr and eps come bias-corrected.
 */
export function adamRows(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  ids: Int32Array,
  rows: number,
  width: number,
  scale: number,
  lr: number,
  eps: number,
  beta1: number,
  beta2: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) {
      const at = r * width + j;
      const moment = ids[r] * width + j;
      const gradient = g[at] * scale;
      m[moment] = beta1 * m[moment] + (1 - beta1) * gradient;
      v[moment] = beta2 * v[moment] + (1 - beta2) * gradient * gradient;
      p[at] -= (lr * m[moment]) / (Math.sqrt(v[moment]) + eps);
    }
  }
}

/** adamRows on a whole table p [·, width]: row r's weights, like its moments, are row ids[r]. */
export const adamRowsById: typeof adamRows = (p, m, v, g, ids, rows, width, ...hyper) => {
  for (let r = 0; r < rows; r++) {
    const gathered = p.slice(ids[r] * width, (ids[r] + 1) * width);
    adamRows(gathered, m, v, g.subarray(r * width, (r + 1) * width), Int32Array.of(ids[r]), 1, width, ...hyper);
    p.set(gathered, ids[r] * width);
  }
};

/** The sum of squares of n values. */
export function sumSquares(a: Float32Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i] * a[i];
  return sum;
}
