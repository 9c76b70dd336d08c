// The network's weights as plain Float32Arrays, laid out exactly as the Keras/tfjs layers they export to:
// Embedding [V, D]; per LSTM direction kernel [D, 4H], recurrent kernel [H, 4H], bias [4H] (gate sections as in cell.ts);
// Dense kernel [dirs·H, K], bias [K]; and with a wide path, the n-gram table [R, K] and its padding mask [R, 1].
// paramList gives them in the order tfjs stores them (weights.bin): trainable weights layer by layer from the
// inputs, where the n-gram table's layer comes before the dense layer, then the non-trainable mask.
import { randomNormal } from '../random';
import { gateWidth, initialBias } from './cell';

export interface NetworkShape {
  vocabSize: number;
  embeddingDim: number;
  hiddenUnits: number;
  numClasses: number;
  bidirectional: boolean;
  /** Rows of the wide path's n-gram table, padding (row 0) included; absent or 0 when the model has no wide path. */
  ngramRows?: number;
  /**
   * One independent sigmoid per class, trained with binary cross-entropy on multi-hot targets (a multi-label
   * model); absent: one softmax over the classes. Absent rather than false in single-label models, so their
   * shape (and textcat.json) is what it was before multi-label existed.
   */
  multiLabel?: boolean;
}

export interface LstmWeights {
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
}

/**
 * The wide path: a line's logits get the mean of `table`'s rows of its known n-grams (ngrams.ts). `mask` is a
 * constant the stock export needs to leave padding out of that mean (PADDING_SCORE at row 0, 0 elsewhere):
 * it is stored with the weights but never trained, and the fast path does not read it.
 */
export interface WideWeights {
  /** [R, K]; row 0 (padding) stays zero. */
  table: Float32Array;
  /** [R, 1]. */
  mask: Float32Array;
}

export interface NetworkParams {
  embedding: Float32Array;
  directions: LstmWeights[];
  denseKernel: Float32Array;
  denseBias: Float32Array;
  wide?: WideWeights;
}

/** The padding row's score in the export's softmax over n-gram positions: exp(−10⁴) is exactly 0 in float32. */
export const PADDING_SCORE = -1e4;

export function wideRows(shape: NetworkShape): number {
  return shape.ngramRows ?? 0;
}

/** The constant mask of a wide path with `rows` rows. */
export function wideMask(rows: number): Float32Array {
  const mask = new Float32Array(rows);
  mask[0] = PADDING_SCORE;
  return mask;
}

export function directionCount(shape: NetworkShape): number {
  return shape.bidirectional ? 2 : 1;
}

/** Every weight array in the order the layers model stores them: embedding, lstm(s), wide table, dense, wide mask. */
export function paramList(p: NetworkParams): Float32Array[] {
  return [
    p.embedding,
    ...p.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]),
    ...(p.wide ? [p.wide.table] : []),
    p.denseKernel,
    p.denseBias,
    ...(p.wide ? [p.wide.mask] : []),
  ];
}

/** The arrays training updates, in paramList order (the wide path's mask is a constant). */
export function trainableList(p: NetworkParams): Float32Array[] {
  return paramList(p).filter((a) => a !== p.wide?.mask);
}

/** The inverse of paramList: arrays in the stored order (weightShapes in layers.ts) back into named weights. */
export function paramsFromList(arrays: Float32Array[], shape: NetworkShape): NetworkParams {
  const directions = directionCount(shape);
  const wide = wideRows(shape) > 0;
  const afterLstm = 1 + 3 * directions;
  const dense = afterLstm + (wide ? 1 : 0);
  return {
    embedding: arrays[0],
    directions: Array.from({ length: directions }, (_, d) => ({
      kernel: arrays[1 + 3 * d],
      recurrent: arrays[2 + 3 * d],
      bias: arrays[3 + 3 * d],
    })),
    denseKernel: arrays[dense],
    denseBias: arrays[dense + 1],
    ...(wide ? { wide: { table: arrays[afterLstm], mask: arrays[dense + 2] } } : {}),
  };
}

/** The same weights in one SharedArrayBuffer, so helper threads read every update without a copy. */
export function shareParams(
  p: NetworkParams,
  shape: NetworkShape,
): { params: NetworkParams; buffer: SharedArrayBuffer; lengths: number[] } {
  const list = paramList(p);
  const lengths = list.map((a) => a.length);
  const buffer = new SharedArrayBuffer(4 * lengths.reduce((a, b) => a + b, 0));
  return { params: paramsFromList(viewsOf(buffer, lengths, list), shape), buffer, lengths };
}

/** Float32Array views laid end to end over `buffer`, filled from `initial` when given. */
export function viewsOf(buffer: SharedArrayBuffer, lengths: number[], initial?: Float32Array[]): Float32Array[] {
  let offset = 0;
  return lengths.map((n, i) => {
    const view = new Float32Array(buffer, offset * 4, n);
    if (initial) view.set(initial[i]);
    offset += n;
    return view;
  });
}

export function cloneParams(p: NetworkParams): NetworkParams {
  return mapParams(p, (a) => a.slice());
}

function mapParams(p: NetworkParams, f: (a: Float32Array) => Float32Array): NetworkParams {
  return {
    embedding: f(p.embedding),
    directions: p.directions.map((d) => ({ kernel: f(d.kernel), recurrent: f(d.recurrent), bias: f(d.bias) })),
    denseKernel: f(p.denseKernel),
    denseBias: f(p.denseBias),
    ...(p.wide ? { wide: { table: f(p.wide.table), mask: f(p.wide.mask) } } : {}),
  };
}

/** Keras defaults (uniform ±0.05 embedding, Glorot-uniform kernels, orthogonal recurrent kernel, cell.ts's initial biases):
 *  with PyTorch's init the same task stalled at 74 %, with these it reached 100 % (shared/notes). */
export function initParams(shape: NetworkShape, rng: () => number): NetworkParams {
  const { vocabSize: V, embeddingDim: D, hiddenUnits: H, numClasses: K } = shape;
  const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * limit);
  const glorot = (fanIn: number, fanOut: number) => uniform(fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
  const directions = Array.from({ length: directionCount(shape) }, () => {
    return { kernel: glorot(D, gateWidth(H)), recurrent: orthogonal(H, gateWidth(H), rng), bias: initialBias(H) };
  });
  const rows = wideRows(shape);
  return {
    embedding: uniform(V * D, 0.05),
    directions,
    denseKernel: glorot(directionCount(shape) * H, K),
    denseBias: new Float32Array(K),
    // The wide path starts at zero: a linear model needs no symmetry breaking.
    ...(rows > 0 ? { wide: { table: new Float32Array(rows * K), mask: wideMask(rows) } } : {}),
  };
}

/** A [rows, cols] matrix with orthonormal rows (rows <= cols), by Gram–Schmidt on Gaussian rows. */
function orthogonal(rows: number, cols: number, rng: () => number): Float32Array {
  const m = Array.from({ length: rows }, () => Float64Array.from({ length: cols }, () => randomNormal(rng)));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += m[i][c] * m[j][c];
      for (let c = 0; c < cols; c++) m[i][c] -= dot * m[j][c];
    }
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += m[i][c] * m[i][c];
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < cols; c++) m[i][c] /= norm;
  }
  const out = new Float32Array(rows * cols);
  m.forEach((row, i) => out.set(row, i * cols));
  return out;
}
