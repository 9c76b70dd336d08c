// Dense matrix products on the tfjs wasm backend (XNNPACK, SIMD): ~15-20 GFLOP/s against ~1 in plain JS.
// Everything else in the network is elementwise and stays in JS, where a step costs less than an op dispatch.
import { tf } from '../backend';

/** a [m, k] times b [k, n], both row-major; returns a new row-major [m, n]. */
export function matmul(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Float32Array {
  const right = tf.tensor2d(b, [k, n]);
  try {
    return multiply(a, m, k, right);
  } finally {
    right.dispose();
  }
}

/** a [m, k] times b [k, n], plus `bias` [n] on every row, in one fused XNNPACK call. */
export function matmulBias(a: Float32Array, m: number, k: number, b: Float32Array, n: number, bias: Float32Array): Float32Array {
  const left = tf.tensor2d(a, [m, k]);
  const right = tf.tensor2d(b, [k, n]);
  const biasTensor = tf.tensor1d(bias);
  const product = tf.fused.matMul({ a: left, b: right, bias: biasTensor });
  const values = product.dataSync() as Float32Array;
  for (const t of [left, right, biasTensor, product]) t.dispose();
  return values;
}

// Not tf.tidy: tidy walks the returned value looking for tensors, element by element of a typed array.
function multiply(a: Float32Array, m: number, k: number, right: tf.Tensor2D): Float32Array {
  const left = tf.tensor2d(a, [m, k]);
  const product = tf.matMul(left, right);
  const values = product.dataSync() as Float32Array;
  left.dispose();
  product.dispose();
  return values;
}

/** A right-hand matrix uploaded once and multiplied many times (the recurrent kernel, step after step). */
export class ResidentMatrix {
  private readonly tensor: tf.Tensor2D;
  constructor(
    values: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.tensor = tf.tensor2d(values, [rows, cols]);
  }
  /** a [m, rows] times this. */
  leftMultiply(a: Float32Array, m: number): Float32Array {
    return multiply(a, m, this.rows, this.tensor);
  }
  dispose(): void {
    this.tensor.dispose();
  }
}

/** Row-major transpose of a [rows, cols] matrix: wasm's transposed matMul is ~10x slower than this plus a plain one. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c];
  }
  return out;
}

/** Sum of the rows of a [rows, cols] matrix, added into `into`. */
export function addColumnSums(a: Float32Array, rows: number, cols: number, into: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) into[c] += a[base + c];
  }
}
