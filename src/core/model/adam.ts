// Adam (Keras defaults: β1 0.9, β2 0.999, ε 1e-7) with clipping by global norm: without clipping a late loss
// spike was seen on this model (shared/notes). The embedding and the wide table are updated lazily, only on the
// rows a batch used (TensorFlow's LazyAdam): a dense update would touch vocab × dim values per batch for nothing.
// The update runs in the wasm kernel (SIMD), on an instance of its own whose memory keeps the moments for the
// whole run; each step copies the weights it updates in and out. It is the serial part of a data-parallel
// step (every thread waits for it), and in JS it cost ~2 ms of a ~12 ms batch.
import { growTo, privateKernel } from './kernel';
import { gradientList, gradientRows, type BatchGradients } from './network';
import { trainableList, type NetworkParams } from './params';

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
  /** Byte offsets of each trained array's moments (trainableList order), then where the per-step scratch starts. */
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
    this.moments = trainableList(params).map((a) => {
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
    const weights = trainableList(params);
    const grads = gradientList(g);
    // Row-sparse arrays (the embedding, the wide table) get only the rows the batch used.
    const sparse = new Map<number, Int32Array>();
    gradientRows(g).forEach((rows, i) => rows && sparse.set(i, rows));
    // Scratch: every gradient back to back, then each sparse array's row ids (and a 0, the one row of a dense
    // array), then room for the largest block of weights being updated.
    const gradAt: number[] = [];
    let at = this.scratch;
    for (const a of grads) {
      gradAt.push(at);
      at += align(a.length * 4);
    }
    const idsAt = new Map<number, number>();
    for (const [i, rows] of sparse) {
      idsAt.set(i, at);
      at += align(rows.length * 4);
    }
    const zeroAt = at;
    at += 16;
    const weightsAt = at;
    at += align(Math.max(...weights.map((w, i) => (sparse.has(i) ? grads[i].length : w.length))) * 4);
    growTo(this.kernel.memory, at);
    const heap = new Float32Array(k.memory.buffer);
    const gradsEnd = gradAt.at(-1)! + align(grads.at(-1)!.length * 4);
    // The gaps that align the gradients would otherwise hold an earlier step's bytes, and the norm sums them.
    heap.fill(0, gradAt[0] / 4, gradsEnd / 4);
    grads.forEach((a, i) => heap.set(a, gradAt[i] / 4));
    const ints = new Int32Array(k.memory.buffer);
    for (const [i, rows] of sparse) ints.set(rows, idsAt.get(i)! / 4);
    ints[zeroAt / 4] = 0;

    const norm = Math.sqrt(k.sumSquares(gradAt[0], (gradsEnd - gradAt[0]) / 4));
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

    const base = weightsAt / 4;
    weights.forEach((w, i) => {
      const rows = sparse.get(i);
      if (!rows) {
        // A dense array: one row (id 0).
        heap.set(w, base);
        update(i, zeroAt, 1, w.length);
        w.set(heap.subarray(base, base + w.length));
        return;
      }
      if (rows.length === 0) return;
      // Only the rows the batch used, gathered in and scattered back.
      const width = grads[i].length / rows.length;
      moveRows(w, rows, width, heap, base, 'in');
      update(i, idsAt.get(i)!, rows.length, width);
      moveRows(w, rows, width, heap, base, 'out');
    });
  }
}

/**
 * Copies rows `rows` of `table` ([·, width]) to consecutive rows of `heap` from element `at` ('in'), or back
 * ('out'). Narrow rows (the wide table's, one value per class) copy element by element: a view per row cost more
 * than the copy; wide ones (embedding rows) as blocks.
 */
function moveRows(table: Float32Array, rows: Int32Array, width: number, heap: Float32Array, at: number, direction: 'in' | 'out'): void {
  for (let r = 0; r < rows.length; r++) {
    const [outside, inside] = [rows[r] * width, at + r * width];
    if (width >= 16) {
      if (direction === 'in') heap.set(table.subarray(outside, outside + width), inside);
      else table.set(heap.subarray(inside, inside + width), outside);
    } else if (direction === 'in') for (let j = 0; j < width; j++) heap[inside + j] = table[outside + j];
    else for (let j = 0; j < width; j++) table[outside + j] = heap[inside + j];
  }
}
