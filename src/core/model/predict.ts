// Inference over many encoded lines (the network's forward pass in network.ts).
import { NgramIds } from '../text/ngrams';
import { PAD, type EncodedLine, type Tokenizer } from '../text/tokenizer';
import { gateWidth } from './cell';
import { floats, resident, scoped, slice, type Span } from './kernel';
import { predictByPrefix, projectionTables } from './network';
import { wideTable, type NgramBatch } from './wide';
import { directionCount, wideRows, type NetworkParams, type NetworkShape } from './params';

const MAX_TABLE_BYTES = 256 * 2 ** 20;
// Copying the whole wide table into the kernel's memory (a memcpy) beats gathering each batch's distinct rows
// (a lookup and a short copy per n-gram) once the lines have more than about an eighth as many n-grams as the
// table has rows. The same rows are read either way, so the probabilities are the same.
const WHOLE_TABLE_RATIO = 8;

/**
 * One loaded model's weights, as far as a thread's kernel memory knows them: the thread keeps that model's
 * projection tables (each vocabulary row's input projection, a [V, D]·[D, 4H] product per direction, a third of a
 * 1,024-line call's kernel time) in its resident region (kernel.resident) from one call to the next, where
 * copying them in again for each call cost 1.5 s of 1,000,000 lines. Its owner makes a new one whenever the
 * weights change; a thread holds one model's tables at a time.
 */
export class TableStore {
  /** Only a name: a store is known by its identity (kernel.resident's owner). */
  readonly kind = 'projection tables';
}

/**
 * Class probabilities [n, K] for encoded lines, in input order: each line's first `maxLength` ids, stepped once per
 * distinct prefix and suffix of the lines (predictByPrefix), which gives each line what a padded batch gives it.
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
  const sequences = lines.tokens.map((tokens) => modelSequence(tokens, maxLength));
  let positions = 0;
  for (const sequence of sequences) positions += sequence.length;
  const ngramPositions = lines.ngrams ? lines.ngrams.offsets[sequences.length] : 0;
  // Many lines: project each vocabulary row once instead of each token position (same arithmetic), unless
  // the tables would be very large (a big vocabulary with many units); likewise read the wide path's rows
  // from the whole table (one copy) rather than gathering the lines' distinct rows (a lookup per n-gram).
  const tableBytes = shape.vocabSize * gateWidth(shape.hiddenUnits) * directionCount(shape) * 4;
  const useTables = positions > shape.vocabSize && tableBytes <= MAX_TABLE_BYTES;
  const kept = useTables ? residentTables(params, shape, store) : undefined;
  return scoped(() => {
    const tables = kept ?? (useTables ? projectionTables(params, shape) : undefined);
    const wide = ngramPositions * WHOLE_TABLE_RATIO > wideRows(shape) ? wideTable(params) : undefined;
    return predictByPrefix(params, shape, { sequences, ngrams: params.wide ? lines.ngrams : undefined }, tables, wide);
  });
}

/**
 * The ids the LSTM steps through: the line's first `maxLength` (what a batch left-padded to that length keeps),
 * without padding ids, which a batch masks (the tokenizer writes none; a caller's sequence might).
 */
function modelSequence(tokens: readonly number[], maxLength: number): readonly number[] {
  const kept = tokens.length > maxLength ? tokens.slice(0, maxLength) : tokens;
  return kept.includes(PAD) ? kept.filter((id) => id !== PAD) : kept;
}

/**
 * The projection tables in the thread's resident region, built there when the region was not yet `store`'s;
 * undefined without a store, or while kernel memory is in use (the caller then builds them in its scope).
 */
function residentTables(params: NetworkParams, shape: NetworkShape, store: TableStore | undefined): Span[] | undefined {
  const size = shape.vocabSize * gateWidth(shape.hiddenUnits);
  const region = store && resident(store, size * directionCount(shape));
  if (!region) return undefined;
  const tables = params.directions.map((_, d) => slice(region.span, d * size, size));
  // Marked as the store's only once filled: a build that fails (out of memory) leaves it fresh for the next call.
  if (region.fresh) scoped(() => projectionTables(params, shape).forEach((built, d) => floats(tables[d]).set(floats(built))));
  region.filled();
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
