// Textcat's tokenizer (docs/tokenizer.md) in plain JavaScript, for Node 20+ or a browser: give it the
// exported <name>.tokenizer.json (or textcat.json's "tokenizer"), get the model's input.
export const PAD = 0;
export const OOV = 1;
const WHITESPACE = /^\s+$/u; // ECMAScript's \s
const PUNCTUATION = /^\p{P}+$/u;

export class TextcatTokenizer {
  constructor({ version = 1, config, vocab }) {
    if (version > 2) throw new Error(`tokenizer version ${version} is newer than this reference (2)`);
    this.config = config;
    this.ids = new Map(vocab.map((token, id) => [token, id]));
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
