// Text → token ids. Word boundaries come from Intl.Segmenter (ICU), so Chinese, Japanese and Thai
// split into words without a language-specific dictionary of our own.

import { asciiCharTokens, asciiWordTokens, forEachStretch } from './asciiTokens';
import { NgramVocabulary, type NgramIds, type NgramVocabularyJSON } from './ngrams';
import { DEFAULT_OPTIONS } from '../options';
import { TextcatError, type TokenizerConfig } from '../types';

export const PAD = 0;
export const OOV = 1;
const PAD_TOKEN = '<pad>';
/** Never a token of any text (the segmenter splits off '<' and '>'), so it also stands for "unknown" in n-grams. */
export const OOV_TOKEN = '<oov>';

export const DEFAULT_TOKENIZER: TokenizerConfig = {
  mode: 'word',
  lowercase: true,
  keepPunctuation: false,
  maxVocab: 20000,
  minCount: 1,
  maxLength: DEFAULT_OPTIONS.maxLength, // the training option's default, written once (options.ts)
};

/**
 * How text is split (docs/tokenizer.md). 1: segmenters with the runtime's default locale, which follows the
 * user's environment; 2: the locale pinned to SEGMENTER_LOCALE. Every new model is saved with the latest;
 * an older model keeps the version it was trained with, so it tokenizes as it did.
 */
export type TokenizerVersion = 1 | 2;
export const TOKENIZER_VERSION: TokenizerVersion = 2;
/** No ICU version tailors word breaks for it (nor for zh, ja, ko): its breaks are the root rules, those of version 1 for CJK. */
export const SEGMENTER_LOCALE = 'en';

/** What `toJSON` writes into the model folder. */
export interface TokenizerJSON {
  /** Absent in files older than versioning: read as 1. */
  version: TokenizerVersion;
  /** The segmenters' locale, from version 2 on (documentation: the version decides it). */
  locale?: string;
  config: TokenizerConfig;
  vocab: string[];
  /** The n-grams of the model's wide path (absent when it has none). */
  ngrams?: NgramVocabularyJSON;
}

/** A line as the network reads it: token ids (first maxLength tokens) and the ids of its known n-grams. */
export interface EncodedLine {
  tokens: number[];
  /** Empty when the model has no wide path. A typed array where it is made for many lines (an array of numbers takes twice the memory). */
  ngrams: Int32Array | readonly number[];
}

interface Segmenters {
  word: Intl.Segmenter;
  grapheme: Intl.Segmenter;
}

// Building a segmenter loads ICU data: one pair per tokenizer version, made when first used and then reused.
const segmentersByVersion = new Map<TokenizerVersion, Segmenters>();
function segmentersOf(version: TokenizerVersion): Segmenters {
  let pair = segmentersByVersion.get(version);
  if (!pair) {
    const locale = version === 1 ? undefined : SEGMENTER_LOCALE;
    pair = { word: new Intl.Segmenter(locale, { granularity: 'word' }), grapheme: new Intl.Segmenter(locale, { granularity: 'grapheme' }) };
    segmentersByVersion.set(version, pair);
  }
  return pair;
}
const WHITESPACE = /^\s+$/u;
const PUNCTUATION = /^\p{P}+$/u;

export class Tokenizer {
  private readonly ids: ReadonlyMap<string, number>;

  constructor(
    readonly config: TokenizerConfig,
    readonly vocab: readonly string[],
    /** Segmentation rules the model was trained with. */
    readonly version: TokenizerVersion = TOKENIZER_VERSION,
    /** The n-grams the model's wide path reads, if it has one. */
    readonly ngrams?: NgramVocabulary,
  ) {
    this.ids = new Map(vocab.map((token, id) => [token, id]));
  }

  /** The same tokenizer with an n-gram vocabulary, for a model with a wide path. */
  withNgrams(ngrams: NgramVocabulary | undefined): Tokenizer {
    return new Tokenizer(this.config, this.vocab, this.version, ngrams);
  }

  /**
   * Builds the vocabulary from the tokens the model will read (the first maxLength of each text): most frequent
   * first, ties in order of first appearance, so a fit is repeatable.
   */
  static fit(texts: Iterable<string>, config: Partial<TokenizerConfig> = {}): Tokenizer {
    const reader = Tokenizer.unfitted(config);
    return Tokenizer.fitTokens(
      mapIterable(texts, (text) => reader.modelTokens(text)),
      reader.config,
    );
  }

  /**
   * A tokenizer with the config and no vocabulary yet (every word OOV): what a fit reads texts with, so a caller
   * that tokenizes each line once can hand the same token lists to fitTokens and encodeTokens.
   */
  static unfitted(config: Partial<TokenizerConfig> = {}): Tokenizer {
    // Drop undefined entries so `{ maxLength: undefined }` from an unset option keeps the default.
    const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
    return new Tokenizer({ ...DEFAULT_TOKENIZER, ...given }, [PAD_TOKEN, OOV_TOKEN]);
  }

  /** fit, given each text's model tokens as `unfitted(config).modelTokens` reads them. */
  static fitTokens(lines: Iterable<readonly string[]>, config: Partial<TokenizerConfig> = {}): Tokenizer {
    const full = Tokenizer.unfitted(config).config;
    const counts = countTokens(lines);
    const words = [...counts.entries()]
      .filter(([, count]) => count >= full.minCount)
      // Map iteration is insertion order and Array.sort is stable, so ties keep first appearance.
      .sort((a, b) => b[1] - a[1])
      .slice(0, Math.max(0, full.maxVocab - 2))
      .map(([word]) => word);
    return new Tokenizer(full, [PAD_TOKEN, OOV_TOKEN, ...words]);
  }

  /**
   * The text's tokens, or only its first `limit`: then only as much of the text as they need is read, so a
   * 1 MB line costs what its first few KB cost (the model never sees more than `maxLength`).
   */
  tokenize(text: string, limit = Infinity): string[] {
    return tokenize(text, this.config, limit, segmentersOf(this.version));
  }

  /** tokenize without the ASCII fast path: every piece through the segmenter (the reference the differential test and bench:tokenizer compare with). */
  segmenterTokens(text: string, limit = Infinity): string[] {
    return tokenize(text, this.config, limit, segmentersOf(this.version), false);
  }

  /** The tokens the model reads: the first `maxLength`. */
  modelTokens(text: string): string[] {
    return this.tokenize(text, this.config.maxLength);
  }

  /** Ids of the first `maxLength` tokens; unknown tokens become OOV. Padding is left to `padLeft`. */
  encode(text: string): number[] {
    return this.modelTokens(text).map((token) => this.ids.get(token) ?? OOV);
  }

  /** Both inputs of the network for a line. */
  encodeLine(text: string): EncodedLine {
    return this.encodeTokens(this.modelTokens(text));
  }

  /** encodeLine's token ids; its n-gram ids are appended to `ngrams` instead of returned as an array. */
  encodeLineInto(text: string, ngrams: NgramIds): number[] {
    const tokens = this.modelTokens(text);
    this.ngrams?.encodeInto(tokens, ngrams, OOV_TOKEN);
    return tokens.map((token) => this.ids.get(token) ?? OOV);
  }

  /**
   * Both inputs of the network for tokens the model reads. OOV_TOKEN stands for a token read as unknown: its id
   * is OOV and every n-gram it is part of is left out (its unigram, subwords, both bigrams, the character
   * n-grams across it), so the n-grams are those of the stretches between such tokens. Hashing "<oov>" itself
   * would add subwords ("ov>") that real words ("nov") have.
   */
  encodeTokens(tokens: readonly string[]): EncodedLine {
    const ids = tokens.map((token) => this.ids.get(token) ?? OOV);
    return { tokens: ids, ngrams: this.ngrams ? this.ngrams.encode(tokens, OOV_TOKEN) : [] };
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  toJSON(): TokenizerJSON {
    const locale = this.version === 1 ? {} : { locale: SEGMENTER_LOCALE };
    const json: TokenizerJSON = { version: this.version, ...locale, config: { ...this.config }, vocab: [...this.vocab] };
    if (this.ngrams) json.ngrams = this.ngrams.toJSON();
    return json;
  }

  /** Rebuilds a saved tokenizer; throws TextcatError when the saved file is not one. */
  static fromJSON(json: unknown): Tokenizer {
    const fail = (why: string): never => {
      throw new TextcatError(`The saved tokenizer is malformed: ${why}.`);
    };
    if (!isRecord(json)) return fail('expected an object');
    const version = json.version ?? 1;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return fail('"version" must be a positive integer');
    if (version > TOKENIZER_VERSION) {
      throw new TextcatError(
        `The saved tokenizer is version ${version}, newer than this Textcat reads (${TOKENIZER_VERSION}); update Textcat.`,
      );
    }
    if (version >= 2 && json.locale !== SEGMENTER_LOCALE) return fail(`"locale" of version ${version} must be "${SEGMENTER_LOCALE}"`);
    const vocab = json.vocab;
    if (!Array.isArray(vocab) || !vocab.every((t) => typeof t === 'string')) {
      return fail('"vocab" must be an array of strings');
    }
    if (vocab[PAD] !== PAD_TOKEN || vocab[OOV] !== OOV_TOKEN) {
      return fail(`"vocab" must start with "${PAD_TOKEN}" and "${OOV_TOKEN}"`);
    }
    if (new Set(vocab).size !== vocab.length) return fail('"vocab" has duplicate tokens');
    const config = validateConfig(json.config);
    if (typeof config === 'string') return fail(config);
    const ngrams = json.ngrams === undefined ? undefined : NgramVocabulary.fromJSON(json.ngrams);
    if (typeof ngrams === 'string') return fail(ngrams);
    return new Tokenizer(config, vocab, version as TokenizerVersion, ngrams);
  }
}

/**
 * Tokenizes the text piece by piece, stopping once `limit` tokens are found. Pieces end just before a space or a
 * sentence mark (see `nextCut`), where normalisation, lowercasing and ICU's word and grapheme breaks all start
 * afresh, so tokenizing the pieces one by one gives exactly the tokens of the whole text. Piecewise is also
 * what keeps long texts linear: V8's segment iterator costs time in proportion to the whole string per step.
 */
function tokenize(text: string, config: TokenizerConfig, limit: number, segmenters: Segmenters, fastPath = true): string[] {
  const tokens: string[] = [];
  for (let start = 0; start < text.length && tokens.length < limit;) {
    const end = nextCut(text, start);
    const piece = text.slice(start, end);
    for (const token of fastPath && FAST_PATH_ICU ? fastPieceTokens(piece, config, segmenters) : pieceTokens(piece, config, segmenters)) {
      if (tokens.length === limit) break;
      tokens.push(token);
    }
    start = end;
  }
  return tokens;
}

function pieceTokens(piece: string, config: TokenizerConfig, segmenters: Segmenters): string[] {
  let normalised = piece.normalize('NFKC');
  if (config.lowercase) normalised = normalised.toLowerCase();
  return config.mode === 'word'
    ? wordTokens(normalised, config.keepPunctuation, segmenters.word)
    : charTokens(normalised, config.keepPunctuation, segmenters.grapheme);
}

/**
 * The scanner follows ICU 77 and later (docs/tokenizer.md, ICU versions: `:` between letters, `@`); an older ICU
 * (an old Electron or Node) keeps the segmenter everywhere, so that no runtime's tokens change.
 */
const FAST_PATH_ICU = Number((globalThis.process?.versions?.icu ?? '0').split('.')[0]) >= 77;

/**
 * pieceTokens with ASCII stretches read by the scanner of asciiTokens.ts (the same tokens; no ICU call, no
 * normalisation) and the rest by pieceTokens.
 */
function fastPieceTokens(piece: string, config: TokenizerConfig, segmenters: Segmenters): string[] {
  const tokens: string[] = [];
  const scan = config.mode === 'word' ? asciiWordTokens : asciiCharTokens;
  forEachStretch(
    piece,
    (start, end) => {
      // Each stretch is lowercased on its own: lowercasing the piece could change the length of what precedes it (İ).
      const stretch = piece.slice(start, end);
      const text = config.lowercase ? stretch.toLowerCase() : stretch;
      scan(text, 0, text.length, config.keepPunctuation, tokens);
    },
    (start, end) => {
      for (const token of pieceTokens(piece.slice(start, end), config, segmenters)) tokens.push(token);
    },
  );
  return tokens;
}

/** Pieces are at least this long (when the text is), so the per-piece overhead stays small… */
const PIECE_MIN = 1024;
/** …and at most this long: a run with no cut point in it (no space, no sentence mark) is cut here. */
const PIECE_MAX = 8192;
/**
 * Characters a piece may end before. Whitespace: no word or grapheme rule joins across its start, NFKC never
 * composes across it, and it ends a final-sigma context. The sentence marks are "Other" for word breaks
 * (unlike , . : ; which join numbers and words) and outside the dictionary scripts (Han, Thai…), so ICU's
 * dictionary runs end before them too.
 */
const CUT_BEFORE = /[\t\n\v\f\r \u3000!?\u3001\u3002\uFF01\uFF1F]/g;
/** After these a break is not certain: whitespace runs stay together, Prepend marks (Cf, and a few letters) and joiners bind forward. */
const NO_CUT_AFTER = /[\s\u0D4E\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\p{Cf}]/u;

/** Marks that belong to the character before them: a forced cut steps back over them. */
const ATTACHED = /^[\p{M}\p{Cf}]/u;

/** Where the piece starting at `start` ends: the first cut point past PIECE_MIN, else PIECE_MAX (outside a character and its marks). */
function nextCut(text: string, start: number): number {
  if (text.length - start <= PIECE_MIN) return text.length;
  const limit = Math.min(text.length, start + PIECE_MAX);
  CUT_BEFORE.lastIndex = start + PIECE_MIN;
  for (let match = CUT_BEFORE.exec(text); match && match.index < limit; match = CUT_BEFORE.exec(text)) {
    if (!NO_CUT_AFTER.test(codePointBefore(text, match.index))) return match.index;
  }
  let cut = limit;
  while (cut < text.length && cut > start + PIECE_MIN && (isLowSurrogate(text.charCodeAt(cut)) || ATTACHED.test(text.slice(cut, cut + 2))))
    cut--;
  return cut;
}

function codePointBefore(text: string, index: number): string {
  return isLowSurrogate(text.charCodeAt(index - 1)) && index >= 2 ? text.slice(index - 2, index) : text.slice(index - 1, index);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function wordTokens(text: string, keepPunctuation: boolean, wordSegmenter: Intl.Segmenter): string[] {
  const tokens: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(text)) {
    if (isWordLike || (keepPunctuation && !WHITESPACE.test(segment))) tokens.push(segment);
  }
  return tokens;
}

function charTokens(text: string, keepPunctuation: boolean, graphemeSegmenter: Intl.Segmenter): string[] {
  const tokens: string[] = [];
  for (const { segment } of graphemeSegmenter.segment(text)) {
    if (WHITESPACE.test(segment)) continue;
    if (!keepPunctuation && PUNCTUATION.test(segment)) continue;
    tokens.push(segment);
  }
  return tokens;
}

/** Counts tokens of lines already cut to their first maxLength: the model never sees the others, so they would only take vocabulary slots. */
function countTokens(lines: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tokens of lines) {
    for (const token of tokens) {
      // Reserved names stay reserved even if the data contains them literally.
      if (token === PAD_TOKEN || token === OOV_TOKEN) continue;
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  return counts;
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Iterable<U> {
  for (const item of items) yield map(item);
}

/** The config when valid, otherwise the reason it is not. */
function validateConfig(value: unknown): TokenizerConfig | string {
  if (!isRecord(value)) return '"config" must be an object';
  const { mode, lowercase, keepPunctuation, maxVocab, minCount, maxLength } = value;
  if (mode !== 'word' && mode !== 'char') return '"config.mode" must be "word" or "char"';
  if (typeof lowercase !== 'boolean') return '"config.lowercase" must be true or false';
  if (typeof keepPunctuation !== 'boolean') return '"config.keepPunctuation" must be true or false';
  for (const [name, n] of Object.entries({ maxVocab, minCount, maxLength })) {
    if (!Number.isInteger(n) || (n as number) < 1) return `"config.${name}" must be a positive integer`;
  }
  return {
    mode,
    lowercase,
    keepPunctuation,
    maxVocab: maxVocab as number,
    minCount: minCount as number,
    maxLength: maxLength as number,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Row-major [n, length] batch with each sequence right-aligned behind PAD. The model masks PAD, and
 * left padding keeps the last real token next to the output of the LSTM.
 */
export function padLeft(sequences: readonly (Int32Array | readonly number[])[], length: number): Int32Array {
  const batch = new Int32Array(sequences.length * length); // zero-filled, i.e. PAD
  sequences.forEach((sequence, row) => {
    const kept = sequence.length > length ? sequence.slice(0, length) : sequence;
    batch.set(kept, row * length + (length - kept.length));
  });
  return batch;
}

/** Length of the longest sequence, at most `cap` and at least 1 so a batch is never zero-width. */
export function longestLength(sequences: readonly (readonly number[])[], cap: number): number {
  let longest = 1;
  for (const sequence of sequences) longest = Math.max(longest, sequence.length);
  return Math.min(longest, cap);
}
