// Text → token ids. Word boundaries come from Intl.Segmenter (ICU), so Chinese, Japanese and Thai
// split into words without a language-specific dictionary of our own.

import { NgramVocabulary, type NgramVocabularyJSON } from './ngrams';
import { TextcatError, type TokenizerConfig } from './types';

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
  maxLength: 64,
};

/** What `toJSON` writes into the model folder. */
export interface TokenizerJSON {
  version: 1;
  config: TokenizerConfig;
  vocab: string[];
  /** The n-grams of the model's wide path (absent when it has none). */
  ngrams?: NgramVocabularyJSON;
}

/** A line as the network reads it: token ids (first maxLength tokens) and the ids of its known n-grams. */
export interface EncodedLine {
  tokens: number[];
  /** Empty when the model has no wide path. */
  ngrams: number[];
}

// Building a segmenter loads ICU data; one per module, reused for every text.
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WHITESPACE = /^\s+$/u;
const PUNCTUATION = /^\p{P}+$/u;

export class Tokenizer {
  private readonly ids: ReadonlyMap<string, number>;

  constructor(
    readonly config: TokenizerConfig,
    readonly vocab: readonly string[],
    /** The n-grams the model's wide path reads, if it has one. */
    readonly ngrams?: NgramVocabulary,
  ) {
    this.ids = new Map(vocab.map((token, id) => [token, id]));
  }

  /** The same tokenizer with an n-gram vocabulary, for a model with a wide path. */
  withNgrams(ngrams: NgramVocabulary | undefined): Tokenizer {
    return new Tokenizer(this.config, this.vocab, ngrams);
  }

  /**
   * Builds the vocabulary from the tokens the model will read (the first maxLength of each text): most frequent
   * first, ties in order of first appearance, so a fit is repeatable.
   */
  static fit(texts: Iterable<string>, config: Partial<TokenizerConfig> = {}): Tokenizer {
    // Drop undefined entries so `{ maxLength: undefined }` from an unset option keeps the default.
    const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
    const full: TokenizerConfig = { ...DEFAULT_TOKENIZER, ...given };
    const counts = countTokens(texts, full);
    const words = [...counts.entries()]
      .filter(([, count]) => count >= full.minCount)
      // Map iteration is insertion order and Array.sort is stable, so ties keep first appearance.
      .sort((a, b) => b[1] - a[1])
      .slice(0, Math.max(0, full.maxVocab - 2))
      .map(([word]) => word);
    return new Tokenizer(full, [PAD_TOKEN, OOV_TOKEN, ...words]);
  }

  tokenize(text: string): string[] {
    return tokenize(text, this.config);
  }

  /** The tokens the model reads: the first `maxLength`. */
  modelTokens(text: string): string[] {
    return this.tokenize(text).slice(0, this.config.maxLength);
  }

  /** Ids of the first `maxLength` tokens; unknown tokens become OOV. Padding is left to `padLeft`. */
  encode(text: string): number[] {
    return this.modelTokens(text).map((token) => this.ids.get(token) ?? OOV);
  }

  /** Both inputs of the network for a line. */
  encodeLine(text: string): EncodedLine {
    return this.encodeTokens(this.modelTokens(text));
  }

  /** Both inputs of the network for tokens the model reads (OOV_TOKEN stands for an unknown token). */
  encodeTokens(tokens: readonly string[]): EncodedLine {
    return { tokens: tokens.map((token) => this.ids.get(token) ?? OOV), ngrams: this.ngrams?.encode(tokens) ?? [] };
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  toJSON(): TokenizerJSON {
    const json: TokenizerJSON = { version: 1, config: { ...this.config }, vocab: [...this.vocab] };
    if (this.ngrams) json.ngrams = this.ngrams.toJSON();
    return json;
  }

  /** Rebuilds a saved tokenizer; throws TextcatError when the saved file is not one. */
  static fromJSON(json: unknown): Tokenizer {
    const fail = (why: string): never => {
      throw new TextcatError(`The saved tokenizer is malformed: ${why}.`);
    };
    if (!isRecord(json)) return fail('expected an object');
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
    return new Tokenizer(config, vocab, ngrams);
  }
}

function tokenize(text: string, config: TokenizerConfig): string[] {
  let normalised = text.normalize('NFKC');
  if (config.lowercase) normalised = normalised.toLowerCase();
  return config.mode === 'word' ? wordTokens(normalised, config.keepPunctuation) : charTokens(normalised, config.keepPunctuation);
}

function wordTokens(text: string, keepPunctuation: boolean): string[] {
  const tokens: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(text)) {
    if (isWordLike || (keepPunctuation && !WHITESPACE.test(segment))) tokens.push(segment);
  }
  return tokens;
}

function charTokens(text: string, keepPunctuation: boolean): string[] {
  const tokens: string[] = [];
  for (const { segment } of graphemeSegmenter.segment(text)) {
    if (WHITESPACE.test(segment)) continue;
    if (!keepPunctuation && PUNCTUATION.test(segment)) continue;
    tokens.push(segment);
  }
  return tokens;
}

function countTokens(texts: Iterable<string>, config: TokenizerConfig): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    // Only what the model reads: a token seen only past maxLength would get a row that never trains.
    for (const token of tokenize(text, config).slice(0, config.maxLength)) {
      // Reserved names stay reserved even if the data contains them literally.
      if (token === PAD_TOKEN || token === OOV_TOKEN) continue;
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  return counts;
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
export function padLeft(sequences: readonly number[][], length: number): Int32Array {
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
