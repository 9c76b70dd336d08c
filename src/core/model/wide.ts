// The wide path's pieces: a batch's n-gram bags over the table (network.ts adds their means to the logits) and
// the table's gradient. The arithmetic is the kernel's bagMeans and bagMeansBackward.
import * as k from './kernel';
import { RowSlots } from './rowSlots';
import type { NetworkParams } from './params';

/** Row b's n-gram ids are ids[offsets[b]] … ids[offsets[b + 1] − 1]. */
export interface NgramBatch {
  ids: Int32Array;
  /** [B + 1]. */
  offsets: Int32Array;
}

/** The batch's n-grams as bags over a table in kernel memory. */
export interface WideBatch {
  bags: k.Bags;
  /** The table the bags' ids index: the whole wide table, or the rows of `rows` (their distinct ids) in that order. */
  table: k.Span;
  rows?: Int32Array;
}

/**
 * The batch's n-gram bags. With `fullTable` (the wide table in kernel memory) the ids index it directly;
 * otherwise the table is the batch's distinct rows, gathered, so the gradient is as small as the batch.
 */
export function wideBatch(params: NetworkParams, lines: number, given: NgramBatch | undefined, K: number, fullTable?: k.Span): WideBatch {
  const ngrams = given ?? { ids: new Int32Array(0), offsets: new Int32Array(lines + 1) };
  const offsets = k.upload(ngrams.offsets);
  const bags = (ids: Int32Array): k.Bags => ({ ids: k.upload(ids), offsets, lines });
  if (fullTable) return { bags: bags(ngrams.ids), table: fullTable };
  const { slots, rows } = distinctRows(ngrams.ids, params.wide!.table.length / K);
  const table = k.alloc(rows.length * K);
  const view = k.floats(table);
  const source = params.wide!.table;
  // Element by element: rows are one value per class, shorter than a view's cost.
  for (let slot = 0; slot < rows.length; slot++) for (let j = 0; j < K; j++) view[slot * K + j] = source[rows[slot] * K + j];
  return { bags: bags(slots), table, rows };
}

const rowSlots = new RowSlots();

/** Each id's slot among the distinct ids (numbered in order of first appearance), and those ids. */
function distinctRows(ids: Int32Array, tableRows: number): { slots: Int32Array; rows: Int32Array } {
  return rowSlots.use(tableRows, ids.length, (numbering) => {
    const slots = new Int32Array(ids.length);
    numbering.slotsOf(ids, 0, ids.length, slots, 0);
    return { slots, rows: numbering.distinct().slice() };
  });
}

/** The wide table uploaded to kernel memory, for predictions over many lines (inside a `scoped` block). */
export function wideTable(params: NetworkParams): k.Span | undefined {
  return params.wide && k.upload(params.wide.table);
}

/** Adds each line's mean n-gram row to its logits ([B, K]). */
export function addWideLogits(logits: k.Span, wide: WideBatch, K: number): void {
  k.bagMeans(logits, wide.table, wide.bags, K);
}

/** The gradient of the wide rows the batch used: dLogits spread back over each line's n-grams. */
export function wideGradients(wide: WideBatch, dLogits: Float32Array, K: number): { wideRows: Int32Array; wide: Float32Array } {
  const rows = wide.rows!;
  const grads = k.zeros(rows.length * K);
  k.bagMeansBackward(grads, k.upload(dLogits), wide.bags, K);
  return { wideRows: rows, wide: k.floats(grads).slice() };
}
