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

/**
 * The hashes of a token list's features (ngramFeatures), computed without building the strings: FNV-1a
 * continues where a prefix left off, so a bigram's hash starts from its first token's.
 */
export function ngramHashes(tokens: readonly string[]): number[] {
  const unigrams = tokens.map(fnv1a);
  const hashes = [...unigrams];
  for (let i = 0; i + 1 < tokens.length; i++) hashes.push(fnvUpdate(fnvUpdate(unigrams[i], ' '), tokens[i + 1]));
  for (const run of noSpaceRuns(tokens)) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      let h = FNV_OFFSET;
      for (let n = 0; n < CHAR_NGRAM_MAX && i + n < chars.length; n++) hashes.push((h = fnvUpdate(h, chars[i + n])));
    }
  }
  for (const token of tokens) {
    if (NO_SPACE_SCRIPT.test(token)) continue;
    const chars = Array.from(`<${token}>`);
    for (let i = 0; i < chars.length; i++) {
      let h = FNV_OFFSET;
      for (let n = 1; n <= SUBWORD_MAX && i + n <= chars.length; n++) {
        h = fnvUpdate(h, chars[i + n - 1]);
        if (n >= SUBWORD_MIN && n < chars.length) hashes.push(h);
      }
    }
  }
  return hashes;
}

/** What `NgramVocabulary.toJSON` writes into the model folder (with the tokenizer). */
export interface NgramVocabularyJSON {
  hashes: number[];
}

/** The n-grams a model knows, most frequent first: hash → id (index + 1; 0 is padding). */
export class NgramVocabulary {
  private readonly ids: ReadonlyMap<number, number>;

  constructor(readonly hashes: readonly number[]) {
    this.ids = new Map(hashes.map((h, i) => [h, i + 1]));
  }

  /** The `max` most frequent n-grams of the token lists, ties in order of first appearance. */
  static fit(lines: Iterable<readonly string[]>, max: number): NgramVocabulary {
    const counts = new Map<number, number>();
    for (const tokens of lines) for (const h of ngramHashes(tokens)) counts.set(h, (counts.get(h) ?? 0) + 1);
    const kept = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, max)
      .map(([h]) => h);
    return new NgramVocabulary(kept);
  }

  /** Rows of the line's known n-grams, one per occurrence. */
  encode(tokens: readonly string[]): number[] {
    const out: number[] = [];
    for (const h of ngramHashes(tokens)) {
      const id = this.ids.get(h);
      if (id !== undefined) out.push(id);
    }
    return out;
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
