// Textcat's tokenizer (docs/tokenizer.md) in plain JavaScript, for Node 20+ or a browser: give it the
// exported <name>.tokenizer.json (or textcat.json's "tokenizer"), get the model's input: token ids and, for a
// model with a wide path (an "ngrams" vocabulary), n-gram ids.
export const PAD = 0;
export const OOV = 1;
const WHITESPACE = /^\s+$/u; // ECMAScript's \s
const PUNCTUATION = /^\p{P}+$/u;
// Scripts written without spaces between words: their runs of tokens give character n-grams, not subwords.
const NO_SPACE_SCRIPT =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+$/u;
const utf8 = new TextEncoder(); // eslint-disable-line no-undef -- a global in Node and browsers

/** 32-bit FNV-1a over the UTF-8 bytes of `text` (a lone surrogate as U+FFFD, as TextEncoder writes it). */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of utf8.encode(text)) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

/** A line's n-gram strings, in Textcat's order (docs/tokenizer.md, "N-grams"); `tokens` are the first maxLength. */
export function ngramFeatures(tokens) {
  const features = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) features.push(`${tokens[i]} ${tokens[i + 1]}`);
  // Runs of adjacent no-space tokens, concatenated.
  const runs = [];
  let run = '';
  for (const token of tokens) {
    if (NO_SPACE_SCRIPT.test(token)) run += token;
    else {
      if (run) runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  for (const chars of runs.map((r) => Array.from(r))) {
    for (let i = 0; i < chars.length; i++) {
      for (let n = 1; n <= 3 && i + n <= chars.length; n++) features.push(chars.slice(i, i + n).join(''));
    }
  }
  for (const token of tokens) {
    if (NO_SPACE_SCRIPT.test(token)) continue;
    const chars = Array.from(`<${token}>`);
    for (let i = 0; i < chars.length; i++) {
      for (let n = 3; n <= 5 && n < chars.length && i + n <= chars.length; n++) features.push(chars.slice(i, i + n).join(''));
    }
  }
  return features;
}

export class TextcatTokenizer {
  constructor({ version = 1, config, vocab, ngrams }) {
    if (version > 2) throw new Error(`tokenizer version ${version} is newer than this reference (2)`);
    this.config = config;
    this.ids = new Map(vocab.map((token, id) => [token, id]));
    // hash → id: the n-gram with hashes[i] has id i + 1 (0 is padding).
    this.ngramIds = ngrams ? new Map(ngrams.hashes.map((hash, i) => [hash, i + 1])) : undefined;
    // Version 1 used the runtime's default locale; version 2 pins "en".
    const locale = version >= 2 ? 'en' : undefined;
    this.words = new Intl.Segmenter(locale, { granularity: 'word' });
    this.graphemes = new Intl.Segmenter(locale, { granularity: 'grapheme' });
  }

  tokenize(text) {
    let normalised = text.normalize('NFKC');
    if (this.config.lowercase) normalised = normalised.toLowerCase();
    const keep = this.config.keepPunctuation;
    if (this.config.mode === 'word') {
      return [...this.words.segment(normalised)]
        .filter(({ segment, isWordLike }) => isWordLike || (keep && !WHITESPACE.test(segment)))
        .map(({ segment }) => segment);
    }
    return [...this.graphemes.segment(normalised)]
      .map(({ segment }) => segment)
      .filter((segment) => !WHITESPACE.test(segment) && (keep || !PUNCTUATION.test(segment)));
  }

  /** Ids of the first maxLength tokens; unknown tokens are OOV. */
  encode(text) {
    return this.tokenize(text)
      .slice(0, this.config.maxLength)
      .map((token) => this.ids.get(token) ?? OOV);
  }

  /** Ids of the line's known n-grams (of its first maxLength tokens), each as often as it occurs; [] without a wide path. */
  encodeNgrams(text) {
    if (!this.ngramIds) return [];
    const tokens = this.tokenize(text).slice(0, this.config.maxLength);
    return ngramFeatures(tokens)
      .map((feature) => this.ngramIds.get(fnv1a(feature)))
      .filter((id) => id !== undefined);
  }

  /** The n-gram input for some lines: int64 [lines, n], each row's ids then 0s, n the longest row's count (at least 1). */
  ngramInput(texts) {
    const rows = texts.map((text) => this.encodeNgrams(text));
    const width = Math.max(1, ...rows.map((row) => row.length));
    const ids = new BigInt64Array(texts.length * width);
    rows.forEach((row, r) => row.forEach((id, i) => (ids[r * width + i] = BigInt(id))));
    return { ids, dims: [texts.length, width] };
  }

  /** The model's input for some lines: int64 [lines, maxLength], each row's ids right-aligned behind PAD. */
  modelInput(texts) {
    const length = this.config.maxLength;
    const ids = new BigInt64Array(texts.length * length);
    texts.forEach((text, row) => {
      const encoded = this.encode(text);
      encoded.forEach((id, i) => (ids[row * length + length - encoded.length + i] = BigInt(id)));
    });
    return ids;
  }
}
