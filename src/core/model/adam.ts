// Adam (Keras defaults: β1 0.9, β2 0.999, ε 1e-7) with clipping by global norm: without clipping a late loss
// spike was seen on this model (shared/notes). The embedding is updated lazily, only on the rows a batch used
// (TensorFlow's LazyAdam): a dense update would touch vocab × dim values per batch for nothing.
// The update runs in the wasm kernel (SIMD), on an instance of its own whose memory keeps the moments for the
// whole run; each step copies the weights it updates in and out. It is the serial part of a data-parallel
// step (every thread waits for it), and in JS it cost ~2 ms of a ~12 ms batch.
import { growTo, privateKernel } from './kernel';
import { gradientList, type BatchGradients } from './network';
import { paramList, type NetworkParams } from './params';

export interface AdamOptions {
  learningRate: number;
  clipNorm: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

export class Adam {
  private readonly kernel = privateKernel();
  /** Byte offsets of each weight array's moments (paramList order), then where the per-step scratch starts. */
  private readonly moments: { m: number; v: number }[];
  private readonly scratch: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private step = 0;

  constructor(
    params: NetworkParams,
    private readonly options: AdamOptions,
  ) {
    let at = 16;
    this.moments = paramList(params).map((a) => {
      const m = at;
      const v = (at += align(a.length * 4));
      at += align(a.length * 4);
      return { m, v };
    });
    this.scratch = at;
    growTo(this.kernel.memory, at);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  apply(params: NetworkParams, g: BatchGradients): void {
    this.step++;
    const k = this.kernel;
    const weights = paramList(params);
    const grads = gradientList(g);
    const rows = g.embeddingRows;
    const D = rows.length ? g.embedding.length / rows.length : 0;
    // Scratch: every gradient back to back, then the ids of the embedding rows, then room for the largest
    // block of weights being updated.
    const gradAt: number[] = [];
    let at = this.scratch;
    for (const a of grads) {
      gradAt.push(at);
      at += align(a.length * 4);
    }
    const idsAt = at;
    at += align((rows.length + 1) * 4);
    const weightsAt = at;
    at += align(Math.max(g.embedding.length, ...weights.slice(1).map((w) => w.length)) * 4);
    growTo(this.kernel.memory, at);
    const heap = new Float32Array(k.memory.buffer);
    grads.forEach((a, i) => heap.set(a, gradAt[i] / 4));
    const ids = new Int32Array(k.memory.buffer);
    ids.set(rows, idsAt / 4);
    ids[idsAt / 4 + rows.length] = 0;

    const norm = Math.sqrt(k.sumSquares(gradAt[0], (gradAt.at(-1)! - gradAt[0]) / 4 + grads.at(-1)!.length));
    const scale = norm > this.options.clipNorm ? this.options.clipNorm / norm : 1;
    const lr = (this.options.learningRate * Math.sqrt(1 - this.beta2 ** this.step)) / (1 - this.beta1 ** this.step);
    // ε applies to the bias-corrected second moment, as in the Adam paper and PyTorch.
    const eps = this.epsilon * Math.sqrt(1 - this.beta2 ** this.step);
    const update = (i: number, idsPointer: number, count: number, width: number) =>
      k.adamRows(
        weightsAt,
        this.moments[i].m,
        this.moments[i].v,
        gradAt[i],
        idsPointer,
        count,
        width,
        scale,
        lr,
        eps,
        this.beta1,
        this.beta2,
      );

    // Embedding: only the rows the batch used, gathered in and scattered back.
    const base = weightsAt / 4;
    for (let r = 0; r < rows.length; r++) heap.set(params.embedding.subarray(rows[r] * D, (rows[r] + 1) * D), base + r * D);
    update(0, idsAt, rows.length, D);
    for (let r = 0; r < rows.length; r++) params.embedding.set(heap.subarray(base + r * D, base + (r + 1) * D), rows[r] * D);
    // Every other array as one row (id 0: the zero after the embedding ids).
    for (let i = 1; i < weights.length; i++) {
      heap.set(weights[i], base);
      update(i, idsAt + rows.length * 4, 1, weights[i].length);
      weights[i].set(heap.subarray(base, base + weights[i].length));
    }
  }
}
