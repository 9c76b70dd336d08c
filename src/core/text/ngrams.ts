// The bag of n-grams of a tokenized line: what the linear baseline reads, and the second input of a model with
// a wide path. Other consumers of a saved model (ONNX, Python) re-implement this file, so it is specified in full:
//
// 1. Tokens are the tokenizer's tokens of the line, the first `maxLength` of them (what the LSTM reads).
// 2. The line's features are a multiset of strings (order does not matter):
//    - every token (word unigrams);
//    - every pair of adjacent tokens joined by one space U+0020 (word bigrams);
//    - for each run of adjacent tokens written entirely in a script without spaces between words (Han,
//      Hiragana, Katakana, Thai, Lao, Khmer, Myanmar), every substring of 1 to 3 code points of the run's
//      characters concatenated (character n-grams: the segmenter's word boundaries are unsure there);
//    - for every other token t, every substring of 3 to 5 code points of "<" + t + ">" except that whole
//      string (subwords, as fastText makes them: "<ok>" gives "<ok" and "ok>"; a token of one code point none).
//    Measured on the shared datasets (baseline alone, mean of seeds 1-3), subwords took uci_sentiment from
//    .782 to .820 macro-F1, sms_spam .946 → .959, banking77 .870 → .887, en_sib200 .676 → .709; word
//    trigrams lowered every set.
// 3. A feature is known by its hash: 32-bit FNV-1a over its UTF-8 bytes, h = 0x811C9DC5, then for each byte b
//    h = (h XOR b) × 0x01000193 mod 2^32. Distinct n-grams of a training set rarely share a hash (about 50
//    pairs among 650,000), so the hash stands for the string.
// 4. A model's n-gram vocabulary is the list of hashes it keeps (`NgramVocabulary.hashes`); the feature with
//    the hash at index r is id r + 1 (0 is padding). A line's n-gram input is the ids of its known features,
//    each as often as it occurs; unknown features are left out.

import { HashIndex } from './hashIndex';

const NO_SPACE_SCRIPT =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+$/u;
const CHAR_NGRAM_MAX = 3;
const SUBWORD_MIN = 3;
const SUBWORD_MAX = 5;

/** The feature strings of a token list (step 2 above); ngramHashes gives their hashes without building them. */
export function ngramFeatures(tokens: readonly string[]): string[] {
  const features = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) features.push(`${tokens[i]} ${tokens[i + 1]}`);
  for (const run of noSpaceRuns(tokens)) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      for (let n = 1; n <= CHAR_NGRAM_MAX && i + n <= chars.length; n++) features.push(chars.slice(i, i + n).join(''));
    }
  }
  for (const token of tokens) {
    if (NO_SPACE_SCRIPT.test(token)) continue;
    const chars = Array.from(`<${token}>`);
    for (let i = 0; i < chars.length; i++) {
      for (let n = SUBWORD_MIN; n <= SUBWORD_MAX && i + n <= chars.length; n++) {
        if (n < chars.length) features.push(chars.slice(i, i + n).join(''));
      }
    }
  }
  return features;
}

/** Concatenated runs of adjacent tokens written in a script without spaces. */
function noSpaceRuns(tokens: readonly string[]): string[] {
  const runs: string[] = [];
  let current = '';
  for (const token of tokens) {
    if (NO_SPACE_SCRIPT.test(token)) current += token;
    else if (current) {
      runs.push(current);
      current = '';
    }
  }
  if (current) runs.push(current);
  return runs;
}

const FNV_OFFSET = 0x811c9dc5;

const FNV_PRIME = 0x01000193;

/** Continues an FNV-1a hash over the UTF-8 bytes of `text` (lone surrogates encode as U+FFFD, as TextEncoder does). */
function fnvUpdate(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    // The code point's UTF-8 bytes, each folded in as h = (h XOR byte) × prime.
    if (c < 0x80) h = Math.imul(h ^ c, FNV_PRIME);
    else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
    } else {
      h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
    }
  }
  return h >>> 0;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `text`. */
export function fnv1a(text: string): number {
  return fnvUpdate(FNV_OFFSET, text);
}

/** The hashes of a token list's features (ngramFeatures), in the same order, computed without building the strings. */
export function ngramHashes(tokens: readonly string[]): number[] {
  return Array.from(lineHashes.subarray(0, hashLine(tokens, 0, tokens.length)));
}

// Scratch space of hashLine, grown as lines need and reused: hashing a line allocates nothing.
/** The code points of the tokens, back to back (a lone surrogate as U+FFFD, as fnvUpdate reads it). */
let codePoints = new Int32Array(1024);
/** Token t's code points are codePoints[tokenStarts[t]] … codePoints[tokenStarts[t + 1] − 1]. */
let tokenStarts = new Int32Array(128);
let unigrams = new Int32Array(128);
/** 1 where the token is written in a script without spaces (NO_SPACE_SCRIPT). */
let noSpace = new Uint8Array(128);
/** hashLine's result. */
let lineHashes = new Uint32Array(4096);

/** Folds one code point's UTF-8 bytes into an FNV-1a hash (as fnvUpdate does; the result is signed 32-bit). */
function fold(h: number, c: number): number {
  if (c < 0x80) return Math.imul(h ^ c, FNV_PRIME);
  if (c < 0x800) {
    h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
    return Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
  }
  if (c < 0x10000) {
    h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV_PRIME);
    return Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
  }
  h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME);
  h = Math.imul(h ^ (0x80 | ((c >> 12) & 63)), FNV_PRIME);
  h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV_PRIME);
  return Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SPACE = 0x20;

/**
 * Writes the hashes of the features of tokens[start … end − 1] into lineHashes, in ngramFeatures' order, and
 * returns how many. Each token is read once, into code points and its unigram hash; every other feature is
 * hashed from those code points (a bigram continues its first token's hash: FNV-1a continues where a prefix left
 * off), so no feature string, no character array and no per-token object is made.
 */
function hashLine(tokens: readonly string[], start: number, end: number): number {
  const n = end - start;
  let units = 0;
  for (let t = start; t < end; t++) units += tokens[t].length;
  if (codePoints.length < units) codePoints = new Int32Array(units * 2);
  if (tokenStarts.length <= n) {
    tokenStarts = new Int32Array(n * 2 + 1);
    unigrams = new Int32Array(n * 2);
    noSpace = new Uint8Array(n * 2);
  }
  let at = 0;
  for (let t = 0; t < n; t++) {
    const token = tokens[start + t];
    tokenStarts[t] = at;
    let h = FNV_OFFSET | 0;
    let ascii = true;
    for (let i = 0; i < token.length; i++) {
      let c = token.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        if (c >= 0xd800 && c <= 0xdfff) {
          const low = i + 1 < token.length ? token.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
            i++;
          } else c = 0xfffd;
        }
      }
      codePoints[at++] = c;
      h = fold(h, c);
    }
    unigrams[t] = h;
    // Only a token with a character outside ASCII can be in one of those scripts.
    noSpace[t] = !ascii && NO_SPACE_SCRIPT.test(token) ? 1 : 0;
  }
  tokenStarts[n] = at;
  // At most: n unigrams, n − 1 bigrams, 3 character n-grams per code point of a run, 3 subwords per code point of "<t>".
  const most = 8 * n + 6 * at;
  if (lineHashes.length < most) lineHashes = new Uint32Array(most * 2);
  const out = lineHashes;
  let count = 0;
  for (let t = 0; t < n; t++) out[count++] = unigrams[t];
  for (let t = 0; t + 1 < n; t++) {
    let h = fold(unigrams[t], SPACE);
    for (let i = tokenStarts[t + 1]; i < tokenStarts[t + 2]; i++) h = fold(h, codePoints[i]);
    out[count++] = h;
  }
  // Character n-grams of each run of adjacent no-space tokens: the run's code points lie back to back.
  for (let t = 0; t < n;) {
    if (!noSpace[t]) {
      t++;
      continue;
    }
    let u = t + 1;
    while (u < n && noSpace[u]) u++;
    const runEnd = tokenStarts[u];
    for (let i = tokenStarts[t]; i < runEnd; i++) {
      let h = FNV_OFFSET | 0;
      for (let j = i; j < i + CHAR_NGRAM_MAX && j < runEnd; j++) out[count++] = h = fold(h, codePoints[j]);
    }
    t = u;
  }
  // Subwords of "<" + token + ">": position p of that string is '<', the token's code point p − 1, or '>'.
  for (let t = 0; t < n; t++) {
    if (noSpace[t]) continue;
    const first = tokenStarts[t];
    const length = tokenStarts[t + 1] - first + 2;
    for (let i = 0; i < length; i++) {
      let h = FNV_OFFSET | 0;
      for (let p = i; p < i + SUBWORD_MAX && p < length; p++) {
        h = fold(h, p === 0 ? LESS_THAN : p === length - 1 ? GREATER_THAN : codePoints[first + p - 1]);
        const size = p - i + 1;
        if (size >= SUBWORD_MIN && size < length) out[count++] = h;
      }
    }
  }
  return count;
}

/** A growing list of n-gram ids in one Int32Array, reused from line to line (encodeInto appends to it). */
export class NgramIds {
  ids = new Int32Array(1024);
  length = 0;

  /** The ids so far (a view: valid until the next append). */
  view(): Int32Array {
    return this.ids.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  /** Room for `extra` more ids. */
  reserve(extra: number): Int32Array {
    if (this.length + extra > this.ids.length) {
      const grown = new Int32Array(Math.max(this.ids.length * 2, this.length + extra));
      grown.set(this.ids.subarray(0, this.length));
      this.ids = grown;
    }
    return this.ids;
  }
}

/** Where encode collects a line's ids before copying them out. */
const scratch = new NgramIds();

/**
 * Indices 0 … size − 1 by count, highest first, ties by index (order of first appearance), as a stable sort of a
 * Map's entries would give. A counting sort: one pass per index instead of a comparator call per pair, which took
 * a tenth of a second of the training thread's time before the baseline could start (200,000 n-grams). A count
 * table much longer than the list (a few very frequent n-grams in a small list) falls back to the comparison sort.
 */
export function mostFrequentFirst(counts: Int32Array, size: number): Int32Array {
  let top = 0;
  for (let i = 0; i < size; i++) if (counts[i] > top) top = counts[i];
  if (top > 4 * size + 1024) {
    return Int32Array.from({ length: size }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  }
  // Bucket b holds the indices of count top − b; starts[b] is where it begins in `order`.
  const starts = new Int32Array(top + 2);
  for (let i = 0; i < size; i++) starts[top - counts[i] + 1]++;
  for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[starts[top - counts[i]]++] = i;
  return order;
}

/** What `NgramVocabulary.toJSON` writes into the model folder (with the tokenizer). */
export interface NgramVocabularyJSON {
  hashes: number[];
}

/** The n-grams a model knows, most frequent first: hash → id (index + 1; 0 is padding). */
export class NgramVocabulary {
  /** Hash → its index in `hashes` (the hashes are distinct: fit makes them so, fromJSON checks). */
  private readonly index: HashIndex;

  constructor(readonly hashes: readonly number[]) {
    this.index = new HashIndex(hashes.length);
    for (const h of hashes) this.index.insert(h);
  }

  /** The `max` most frequent n-grams of the token lists, ties in order of first appearance. */
  static fit(lines: Iterable<readonly string[]>, max: number): NgramVocabulary {
    const seen = new HashIndex();
    let counts = new Int32Array(1024);
    for (const tokens of lines) {
      const found = hashLine(tokens, 0, tokens.length);
      for (let i = 0; i < found; i++) {
        const at = seen.insert(lineHashes[i]);
        if (at === counts.length) {
          const grown = new Int32Array(counts.length * 2);
          grown.set(counts);
          counts = grown;
        }
        counts[at]++;
      }
    }
    const order = mostFrequentFirst(counts, seen.size);
    return new NgramVocabulary(Array.from(order.subarray(0, Math.max(0, max)), (i) => seen.keyAt(i)));
  }

  /**
   * Appends the ids of the line's known n-grams to `out`, one per occurrence, in the order of ngramHashes.
   * With `unknown` (a token that stands for one the model does not know), the n-grams are those of the stretches
   * between its occurrences: it and every n-gram that would span it are left out.
   */
  encodeInto(tokens: readonly string[], out: NgramIds, unknown?: string): void {
    let start = 0;
    if (unknown !== undefined) {
      for (let t = 0; t < tokens.length; t++) {
        if (tokens[t] !== unknown) continue;
        this.encodeStretch(tokens, start, t, out);
        start = t + 1;
      }
    }
    this.encodeStretch(tokens, start, tokens.length, out);
  }

  private encodeStretch(tokens: readonly string[], start: number, end: number, out: NgramIds): void {
    if (start === end) return;
    const found = hashLine(tokens, start, end);
    const ids = out.reserve(found);
    let length = out.length;
    for (let i = 0; i < found; i++) {
      const at = this.index.indexOf(lineHashes[i]);
      if (at >= 0) ids[length++] = at + 1;
    }
    out.length = length;
  }

  /** Rows of the line's known n-grams, one per occurrence (encodeInto as an array). */
  encode(tokens: readonly string[], unknown?: string): number[] {
    return Array.from(this.encodeScratch(tokens, unknown));
  }

  /** encode as a typed array: for a dataset's lines, held for a whole run (an array of numbers takes twice the memory). */
  encodeIds(tokens: readonly string[], unknown?: string): Int32Array {
    return this.encodeScratch(tokens, unknown).slice();
  }

  /** The line's ids in the shared scratch list (valid until the next encode). */
  private encodeScratch(tokens: readonly string[], unknown?: string): Int32Array {
    scratch.clear();
    this.encodeInto(tokens, scratch, unknown);
    return scratch.view();
  }

  /** Table rows, padding included. */
  get rows(): number {
    return this.hashes.length + 1;
  }

  toJSON(): NgramVocabularyJSON {
    return { hashes: [...this.hashes] };
  }

  /** The vocabulary a model folder holds; a message for the user when `json` is not one. */
  static fromJSON(json: unknown): NgramVocabulary | string {
    const hashes = (json as Partial<NgramVocabularyJSON> | null)?.hashes;
    if (!Array.isArray(hashes) || !hashes.every((h) => Number.isInteger(h) && h >= 0 && h < 2 ** 32)) {
      return '"ngrams.hashes" must be an array of 32-bit unsigned integers';
    }
    if (new Set(hashes).size !== hashes.length) return '"ngrams.hashes" has duplicates';
    return new NgramVocabulary(hashes);
  }
}
