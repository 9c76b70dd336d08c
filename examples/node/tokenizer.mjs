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

// Step 5's pieces (docs/tokenizer.md): offsets in UTF-16 code units, as JavaScript strings count them.
const PIECE_MIN = 1024;
const PIECE_MAX = 8192;
const CUT_BEFORE = /[\t\n\v\f\r \u3000!?\u3001\u3002\uFF01\uFF1F]/g;
const NO_CUT_AFTER = /[\s\u0D4E\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\p{Cf}]/u;
const ATTACHED = /^[\p{M}\p{Cf}]/u;
const isLowSurrogate = (code) => code >= 0xdc00 && code <= 0xdfff;

/** Where the piece of `text` starting at `p` ends. */
function pieceEnd(text, p) {
  if (text.length - p <= PIECE_MIN) return text.length;
  const limit = Math.min(text.length, p + PIECE_MAX);
  CUT_BEFORE.lastIndex = p + PIECE_MIN;
  for (let m = CUT_BEFORE.exec(text); m && m.index < limit; m = CUT_BEFORE.exec(text)) {
    const before = isLowSurrogate(text.charCodeAt(m.index - 1)) ? text.slice(m.index - 2, m.index) : text[m.index - 1];
    if (!NO_CUT_AFTER.test(before)) return m.index;
  }
  // The forced cut: back over low surrogates and marks, but not below p + PIECE_MIN.
  let cut = limit;
  while (cut < text.length && cut > p + PIECE_MIN && (isLowSurrogate(text.charCodeAt(cut)) || ATTACHED.test(text.slice(cut, cut + 2))))
    cut--;
  return cut;
}

/** The fields of a tokenizer file that tokenizing needs, checked: there are no defaults for missing ones. */
function checked({ version = 1, locale, config, vocab, ngrams }) {
  const fail = (why) => {
    throw new Error(`not a Textcat tokenizer: ${why}`);
  };
  if (!Number.isInteger(version) || version < 1) fail('"version" must be a positive integer');
  if (version > 2) fail(`tokenizer version ${version} is newer than this reference (2)`);
  if (version >= 2 && locale !== 'en') fail(`"locale" of version ${version} must be "en"`);
  if (config?.mode !== 'word' && config?.mode !== 'char') fail('"config.mode" must be "word" or "char"');
  for (const flag of ['lowercase', 'keepPunctuation'])
    if (typeof config[flag] !== 'boolean') fail(`"config.${flag}" must be true or false`);
  if (!Number.isInteger(config.maxLength) || config.maxLength < 1) fail('"config.maxLength" must be a positive integer');
  if (!Array.isArray(vocab) || vocab[0] !== '<pad>' || vocab[1] !== '<oov>') fail('"vocab" must start with "<pad>", "<oov>"');
  if (new Set(vocab).size !== vocab.length) fail('"vocab" has duplicate tokens');
  if (ngrams && new Set(ngrams.hashes).size !== ngrams.hashes.length) fail('"ngrams.hashes" has duplicates');
  return { version, config, vocab, ngrams };
}

export class TextcatTokenizer {
  constructor(file) {
    const { version, config, vocab, ngrams } = checked(file);
    this.config = config;
    this.ids = new Map(vocab.map((token, id) => [token, id]));
    // hash → id: the n-gram with hashes[i] has id i + 1 (0 is padding).
    this.ngramIds = ngrams ? new Map(ngrams.hashes.map((hash, i) => [hash, i + 1])) : undefined;
    // Version 1 used the runtime's default locale; version 2 pins "en".
    const locale = version >= 2 ? 'en' : undefined;
    this.words = new Intl.Segmenter(locale, { granularity: 'word' });
    this.graphemes = new Intl.Segmenter(locale, { granularity: 'grapheme' });
  }

  /** The line's tokens: steps 1-3 on each piece of step 5, concatenated. */
  tokenize(text) {
    const tokens = [];
    for (let p = 0; p < text.length;) {
      const end = pieceEnd(text, p);
      tokens.push(...this.pieceTokens(text.slice(p, end)));
      p = end;
    }
    return tokens;
  }

  pieceTokens(text) {
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
