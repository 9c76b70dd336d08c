// Batched inference over many encoded lines (the network's forward pass in network.ts).
import { padLeft, type EncodedLine, type Tokenizer } from '../text/tokenizer';
import { gateWidth } from './cell';
import { floats, scoped, upload, type Span } from './kernel';
import { predictBatch, projectionTables } from './network';
import { wideTable, type NgramBatch } from './wide';
import { directionCount, wideRows, type NetworkParams, type NetworkShape } from './params';

const PREDICT_BATCH = 256;
const MAX_TABLE_BYTES = 256 * 2 ** 20;

/**
 * Projection tables kept from one call to the next over weights that do not change (a loaded model's): building
 * them costs a [V, D]·[D, 4H] product per direction, a third of a 1,024-line call's kernel time, while copying
 * them back into the kernel's memory costs a memcpy. Its owner replaces it whenever the weights change.
 */
export interface TableStore {
  tables?: Float32Array[];
}

/**
 * Class probabilities [n, K] for encoded lines, in input order. Lines are batched by length so each batch is
 * only as long as its longest line (padding is masked, so this changes no result).
 */
export function predictSequences(
  params: NetworkParams,
  shape: NetworkShape,
  lines: readonly EncodedLine[],
  maxLength: number,
  store?: TableStore,
): Float32Array {
  const K = shape.numClasses;
  const out = new Float32Array(lines.length * K);
  const order = lines.map((_, i) => i).sort((a, b) => lines[a].tokens.length - lines[b].tokens.length);
  const positions = lines.reduce((sum, l) => sum + Math.min(l.tokens.length, maxLength), 0);
  const ngramPositions = lines.reduce((sum, l) => sum + l.ngrams.length, 0);
  return scoped(() => {
    // Many lines: project each vocabulary row once instead of each token position (same arithmetic), unless
    // the tables would be very large (a big vocabulary with many units); likewise read the wide path's rows
    // from the whole table rather than gathering each batch's.
    const tableBytes = shape.vocabSize * gateWidth(shape.hiddenUnits) * directionCount(shape) * 4;
    const tables = positions > shape.vocabSize && tableBytes <= MAX_TABLE_BYTES ? storedTables(params, shape, store) : undefined;
    const wide = ngramPositions > wideRows(shape) ? wideTable(params) : undefined;
    for (let start = 0; start < order.length; start += PREDICT_BATCH) {
      const rows = order.slice(start, start + PREDICT_BATCH);
      const steps = Math.max(1, Math.min(maxLength, lines[rows[rows.length - 1]].tokens.length));
      const ids = padLeft(
        rows.map((r) => lines[r].tokens),
        steps,
      );
      const batch = { ids, batchSize: rows.length, steps, ngrams: params.wide && ngramBatch(rows.map((r) => lines[r].ngrams)) };
      const probs = predictBatch(params, shape, batch, tables, wide);
      rows.forEach((r, b) => out.set(probs.subarray(b * K, (b + 1) * K), r * K));
    }
    return out;
  });
}

/**
 * predictSequences for raw texts, tokenized and encoded by the thread that predicts them (the tokens and ids are
 * the tokenizer's, wherever that runs).
 */
export function predictTextLines(
  params: NetworkParams,
  shape: NetworkShape,
  tokenizer: Tokenizer,
  texts: readonly string[],
  store?: TableStore,
): Float32Array {
  return predictSequences(
    params,
    shape,
    texts.map((text) => tokenizer.encodeLine(text)),
    tokenizer.config.maxLength,
    store,
  );
}

/** projectionTables in the current scope: built (and kept in `store`) once, copied in on later calls. */
function storedTables(params: NetworkParams, shape: NetworkShape, store: TableStore | undefined): Span[] {
  if (store?.tables) return store.tables.map((table) => upload(table));
  const tables = projectionTables(params, shape);
  if (store) store.tables = tables.map((table) => floats(table).slice());
  return tables;
}

/** The lines' n-gram ids back to back with their offsets. */
export function ngramBatch(lists: readonly ArrayLike<number>[]): NgramBatch {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.length));
  const ids = new Int32Array(offsets[lists.length]);
  lists.forEach((l, i) => ids.set(l, offsets[i]));
  return { ids, offsets };
}
