// The network's weights as plain Float32Arrays, laid out exactly as the Keras/tfjs layers they export to:
// Embedding [V, D]; per LSTM direction kernel [D, 4H], recurrent kernel [H, 4H], bias [4H] (gate sections as in cell.ts);
// Dense kernel [dirs·H, K], bias [K].
import { randomNormal } from '../random';
import { gateWidth, initialBias } from './cell';

export interface NetworkShape {
  vocabSize: number;
  embeddingDim: number;
  hiddenUnits: number;
  numClasses: number;
  bidirectional: boolean;
}

export interface LstmWeights {
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
}

export interface NetworkParams {
  embedding: Float32Array;
  directions: LstmWeights[];
  denseKernel: Float32Array;
  denseBias: Float32Array;
}

export function directionCount(shape: NetworkShape): number {
  return shape.bidirectional ? 2 : 1;
}

/** Every weight array in the order the layers model lists them (embedding, lstm(s), dense). */
export function paramList(p: NetworkParams): Float32Array[] {
  return [p.embedding, ...p.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]), p.denseKernel, p.denseBias];
}

/** The inverse of paramList: arrays in layers order back into named weights. */
export function paramsFromList(arrays: Float32Array[], directions: number): NetworkParams {
  return {
    embedding: arrays[0],
    directions: Array.from({ length: directions }, (_, d) => ({
      kernel: arrays[1 + 3 * d],
      recurrent: arrays[2 + 3 * d],
      bias: arrays[3 + 3 * d],
    })),
    denseKernel: arrays[1 + 3 * directions],
    denseBias: arrays[2 + 3 * directions],
  };
}

/** The same weights in one SharedArrayBuffer, so helper threads read every update without a copy. */
export function shareParams(p: NetworkParams): { params: NetworkParams; buffer: SharedArrayBuffer; lengths: number[] } {
  const list = paramList(p);
  const lengths = list.map((a) => a.length);
  const buffer = new SharedArrayBuffer(4 * lengths.reduce((a, b) => a + b, 0));
  return { params: paramsFromList(viewsOf(buffer, lengths, list), p.directions.length), buffer, lengths };
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
  return {
    embedding: p.embedding.slice(),
    directions: p.directions.map((d) => ({ kernel: d.kernel.slice(), recurrent: d.recurrent.slice(), bias: d.bias.slice() })),
    denseKernel: p.denseKernel.slice(),
    denseBias: p.denseBias.slice(),
  };
}

export function zerosLike(p: NetworkParams): NetworkParams {
  const z = (a: Float32Array) => new Float32Array(a.length);
  return {
    embedding: z(p.embedding),
    directions: p.directions.map((d) => ({ kernel: z(d.kernel), recurrent: z(d.recurrent), bias: z(d.bias) })),
    denseKernel: z(p.denseKernel),
    denseBias: z(p.denseBias),
  };
}

/** Keras defaults (uniform ±0.05 embedding, Glorot-uniform kernels, orthogonal recurrent kernel, forget bias 1):
 *  with PyTorch's init the same task stalled at 74 %, with these it reached 100 % (shared/notes). */
export function initParams(shape: NetworkShape, rng: () => number): NetworkParams {
  const { vocabSize: V, embeddingDim: D, hiddenUnits: H, numClasses: K } = shape;
  const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * limit);
  const glorot = (fanIn: number, fanOut: number) => uniform(fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
  const directions = Array.from({ length: directionCount(shape) }, () => {
    return { kernel: glorot(D, gateWidth(H)), recurrent: orthogonal(H, gateWidth(H), rng), bias: initialBias(H) };
  });
  return {
    embedding: uniform(V * D, 0.05),
    directions,
    denseKernel: glorot(directionCount(shape) * H, K),
    denseBias: new Float32Array(K),
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
