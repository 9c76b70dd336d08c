// The wide path trained alone: the linear baseline's softmax (or one-vs-rest) regression on the mean of a line's
// n-gram rows. Its table, Adam's moments and each batch live in one private kernel instance for the whole run, so
// a step is a few kernel calls over the rows' own ids: no table rows gathered into the batch and scattered back,
// no gradient arrays for the collector. Those copies cost more than the arithmetic (about 60 % of a baseline run
// on bench:e2e's data). The arithmetic is wideStep's and Adam.apply's on a wide-only NetworkParams, in the same
// order, so the weights are the same bits (test/unit/wideTrainer.test.ts compares them step by step).
import type { AdamOptions } from './adam';
import { growTo, privateKernel } from './kernel';
import { RowSlots } from './rowSlots';
import { sigmoidAll, softmaxRows, wideLoss } from './network';

/** Adam's options but clipping (the baseline's updates are never clipped), and whether the classes are one-vs-rest. */
export interface WideTrainerOptions extends Omit<AdamOptions, 'clipNorm'> {
  multiLabel: boolean;
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * A [rows, K] table and [K] bias trained with Adam (no clipping: the baseline's updates are never clipped) on
 * batches of lines given as n-gram id lists.
 */
export class WideTrainer {
  private readonly kernel = privateKernel();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private step = 0;
  // Byte offsets of the parts that last the whole run.
  private readonly at: { bias: number; biasM: number; biasV: number; table: number; tableM: number; tableV: number; zero: number };
  /** Where each call's scratch starts. */
  private readonly scratch: number;
  /** Numbers a batch's distinct rows. */
  private readonly rowSlots = new RowSlots();

  constructor(
    readonly rows: number,
    readonly K: number,
    private readonly options: WideTrainerOptions,
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    let top = 16;
    const take = (floats: number) => {
      const start = top;
      top += align(floats * 4);
      return start;
    };
    this.at = {
      bias: take(K),
      biasM: take(K),
      biasV: take(K),
      table: take(rows * K),
      tableM: take(rows * K),
      tableV: take(rows * K),
      zero: take(1),
    };
    this.scratch = top;
    // A fresh memory is zeros: the weights and moments start at 0, as a new table and Adam's moments do.
    growTo(this.kernel.memory, top);
  }

  /** One Adam step on a batch: `lines` are the rows' n-gram ids, `targets` wideStep's. Returns the batch's loss. */
  train(lines: readonly ArrayLike<number>[], targets: ArrayLike<number>): number {
    this.step++;
    const { K } = this;
    const B = lines.length;
    const batch = this.upload(lines, true);
    const probabilities = this.probabilities(batch, B);
    const dLogits = new Float32Array(B * K);
    const biasGradient = new Float32Array(K);
    const loss = wideLoss(probabilities, targets, B, K, this.options.multiLabel, dLogits, biasGradient);

    const k = this.kernel;
    const count = batch.distinct;
    const dLogitsAt = batch.end;
    const gradAt = dLogitsAt + align(B * K * 4);
    const biasGradAt = gradAt + align(count * K * 4);
    growTo(k.memory, biasGradAt + align(K * 4));
    const heap = new Float32Array(k.memory.buffer);
    heap.set(dLogits, dLogitsAt / 4);
    heap.fill(0, gradAt / 4, gradAt / 4 + count * K);
    heap.set(biasGradient, biasGradAt / 4);
    // dTable over the batch's distinct rows, in slot order (bagMeansBackward's sums, as wideGradients makes them).
    k.bagMeansBackward(dLogitsAt, batch.slots, batch.offsets, gradAt, B, K);

    const lr = (this.options.learningRate * Math.sqrt(1 - this.beta2 ** this.step)) / (1 - this.beta1 ** this.step);
    const eps = this.epsilon * Math.sqrt(1 - this.beta2 ** this.step);
    if (count > 0)
      k.adamRowsById(this.at.table, this.at.tableM, this.at.tableV, gradAt, batch.rowIds, count, K, 1, lr, eps, this.beta1, this.beta2);
    k.adamRows(this.at.bias, this.at.biasM, this.at.biasV, biasGradAt, this.at.zero, 1, K, 1, lr, eps, this.beta1, this.beta2);
    return loss;
  }

  /** Probabilities [lines, K]: softmax, or each class's sigmoid for a multi-label table. */
  predict(lines: readonly ArrayLike<number>[]): Float32Array {
    return this.probabilities(this.upload(lines, false), lines.length);
  }

  /** Copies of the table and the bias as they are now. */
  weights(): { table: Float32Array; bias: Float32Array } {
    const heap = new Float32Array(this.kernel.memory.buffer);
    return {
      table: heap.slice(this.at.table / 4, this.at.table / 4 + this.rows * this.K),
      bias: heap.slice(this.at.bias / 4, this.at.bias / 4 + this.K),
    };
  }

  /** Puts back weights that `weights` gave (the best epoch's); Adam's moments stay as they are. */
  restore(weights: { table: Float32Array; bias: Float32Array }): void {
    const heap = new Float32Array(this.kernel.memory.buffer);
    heap.set(weights.table, this.at.table / 4);
    heap.set(weights.bias, this.at.bias / 4);
  }

  private best?: { table: Float32Array; bias: Float32Array };

  /**
   * Keeps a copy of the weights as they are now (the best epoch so far), in arrays allocated once: a baseline that
   * improves every epoch would otherwise allocate a table-sized copy per epoch.
   */
  keepBest(): void {
    this.best ??= { table: new Float32Array(this.rows * this.K), bias: new Float32Array(this.K) };
    const heap = new Float32Array(this.kernel.memory.buffer);
    this.best.table.set(heap.subarray(this.at.table / 4, this.at.table / 4 + this.rows * this.K));
    this.best.bias.set(heap.subarray(this.at.bias / 4, this.at.bias / 4 + this.K));
  }

  /** Puts back what keepBest kept last. */
  restoreBest(): void {
    if (this.best) this.restore(this.best);
  }

  /** The lines' ids back to back with their offsets; for training also their distinct rows, each id's slot among them. */
  private upload(lines: readonly ArrayLike<number>[], distinct: boolean) {
    const B = lines.length;
    let total = 0;
    for (const line of lines) total += line.length;
    const idsAt = this.scratch;
    const offsetsAt = idsAt + align(total * 4);
    const slotsAt = offsetsAt + align((B + 1) * 4);
    const rowIdsAt = distinct ? slotsAt + align(total * 4) : slotsAt;
    const end = distinct ? rowIdsAt + align(total * 4) : slotsAt;
    growTo(this.kernel.memory, end + align(B * this.K * 4));
    const ints = new Int32Array(this.kernel.memory.buffer);
    let at = idsAt / 4;
    ints[offsetsAt / 4] = 0;
    for (let b = 0; b < B; b++) {
      const line = lines[b];
      if (line instanceof Int32Array) ints.set(line, at);
      else for (let t = 0; t < line.length; t++) ints[at + t] = line[t];
      at += line.length;
      ints[offsetsAt / 4 + b + 1] = at - idsAt / 4;
    }
    const count = !distinct
      ? 0
      : this.rowSlots.use(this.rows, total, (numbering) => {
          numbering.slotsOf(ints, idsAt / 4, idsAt / 4 + total, ints, slotsAt / 4);
          ints.set(numbering.distinct(), rowIdsAt / 4);
          return numbering.count;
        });
    return { ids: idsAt, offsets: offsetsAt, slots: slotsAt, rowIds: rowIdsAt, distinct: count, end };
  }

  /** Logits = bias + the mean of each line's rows, then softmax or sigmoids (wideProbabilities' arithmetic). */
  private probabilities(batch: { ids: number; offsets: number; end: number }, B: number): Float32Array {
    const { K } = this;
    const k = this.kernel;
    const logitsAt = batch.end;
    growTo(k.memory, logitsAt + align(B * K * 4));
    const heap = new Float32Array(k.memory.buffer);
    const bias = heap.subarray(this.at.bias / 4, this.at.bias / 4 + K);
    for (let b = 0; b < B; b++) heap.set(bias, logitsAt / 4 + b * K);
    k.bagMeans(this.at.table, batch.ids, batch.offsets, logitsAt, B, K);
    const values = new Float32Array(k.memory.buffer).slice(logitsAt / 4, logitsAt / 4 + B * K);
    return this.options.multiLabel ? sigmoidAll(values) : softmaxRows(values, B, K);
  }
}
