// Batched inference over many encoded lines (the network's forward pass in network.ts).
import { NgramIds } from '../text/ngrams';
import { padLeft, type EncodedLine, type Tokenizer } from '../text/tokenizer';
import { gateWidth } from './cell';
import { floats, scoped, upload, type Span } from './kernel';
import { predictBatch, projectionTables } from './network';
import { wideTable, type NgramBatch } from './wide';
import { directionCount, wideRows, type NetworkParams, type NetworkShape } from './params';

const PREDICT_BATCH = 256;
const MAX_TABLE_BYTES = 256 * 2 ** 20;
// Copying the whole wide table into the kernel's memory (a memcpy) beats gathering each batch's distinct rows
// (a lookup and a short copy per n-gram) once the lines have more than about an eighth as many n-grams as the
// table has rows. The same rows are read either way, so the probabilities are the same.
const WHOLE_TABLE_RATIO = 8;

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
  const ngrams = params.wide ? ngramBatch(lines.map((l) => l.ngrams)) : undefined;
  return predictEncoded(params, shape, { tokens: lines.map((l) => l.tokens), ngrams }, maxLength, store);
}

/**
 * predictSequences for raw texts, tokenized and encoded by the thread that predicts them (the tokens and ids are
 * the tokenizer's, wherever that runs). The lines' n-gram ids go into one array as they are found, not an array
 * per line: a line has about ten times as many n-grams as tokens, and those arrays were most of the garbage.
 */
export function predictTextLines(
  params: NetworkParams,
  shape: NetworkShape,
  tokenizer: Tokenizer,
  texts: readonly string[],
  store?: TableStore,
): Float32Array {
  const tokens = new Array<number[]>(texts.length);
  const found = new NgramIds();
  const offsets = new Int32Array(texts.length + 1);
  for (let i = 0; i < texts.length; i++) {
    tokens[i] = tokenizer.encodeLineInto(texts[i], found);
    offsets[i + 1] = found.length;
  }
  const ngrams = params.wide ? { ids: found.view(), offsets } : undefined;
  return predictEncoded(params, shape, { tokens, ngrams }, tokenizer.config.maxLength, store);
}

/** Lines as predictEncoded reads them: each line's token ids, and all their n-gram ids with each line's offset. */
interface EncodedLines {
  tokens: readonly number[][];
  /** With a wide path: line i's n-grams are ids[offsets[i]] … ids[offsets[i + 1] − 1]. */
  ngrams?: NgramBatch;
}

function predictEncoded(
  params: NetworkParams,
  shape: NetworkShape,
  lines: EncodedLines,
  maxLength: number,
  store?: TableStore,
): Float32Array {
  const K = shape.numClasses;
  const count = lines.tokens.length;
  const out = new Float32Array(count * K);
  const length = (i: number) => lines.tokens[i].length;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => length(a) - length(b));
  let positions = 0;
  for (let i = 0; i < count; i++) positions += Math.min(length(i), maxLength);
  const ngramPositions = lines.ngrams ? lines.ngrams.offsets[count] : 0;
  return scoped(() => {
    // Many lines: project each vocabulary row once instead of each token position (same arithmetic), unless
    // the tables would be very large (a big vocabulary with many units); likewise read the wide path's rows
    // from the whole table (one copy) rather than gathering each batch's distinct rows (a lookup per n-gram).
    const tableBytes = shape.vocabSize * gateWidth(shape.hiddenUnits) * directionCount(shape) * 4;
    const tables = positions > shape.vocabSize && tableBytes <= MAX_TABLE_BYTES ? storedTables(params, shape, store) : undefined;
    const wide = ngramPositions * WHOLE_TABLE_RATIO > wideRows(shape) ? wideTable(params) : undefined;
    for (let start = 0; start < order.length; start += PREDICT_BATCH) {
      const rows = order.slice(start, start + PREDICT_BATCH);
      const steps = Math.max(1, Math.min(maxLength, length(rows[rows.length - 1])));
      const ids = padLeft(
        rows.map((r) => lines.tokens[r]),
        steps,
      );
      const ngrams = params.wide && lines.ngrams && rowsOfBatch(lines.ngrams, rows);
      const probs = predictBatch(params, shape, { ids, batchSize: rows.length, steps, ngrams }, tables, wide);
      rows.forEach((r, b) => out.set(probs.subarray(b * K, (b + 1) * K), r * K));
    }
    return out;
  });
}

/** The n-gram ids of lines `rows` of `all`, in that order. */
function rowsOfBatch(all: NgramBatch, rows: readonly number[]): NgramBatch {
  const offsets = new Int32Array(rows.length + 1);
  for (let b = 0; b < rows.length; b++) offsets[b + 1] = offsets[b] + all.offsets[rows[b] + 1] - all.offsets[rows[b]];
  const ids = new Int32Array(offsets[rows.length]);
  for (let b = 0; b < rows.length; b++) ids.set(all.ids.subarray(all.offsets[rows[b]], all.offsets[rows[b] + 1]), offsets[b]);
  return { ids, offsets };
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
