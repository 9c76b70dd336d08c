// Types for tokenizer.mjs, for TypeScript users of the reference tokenizer.
export declare const PAD: 0;
export declare const OOV: 1;

export interface TokenizerFile {
  version?: number;
  /** "en" from version 2 on. */
  locale?: string;
  config: { mode: 'word' | 'char'; lowercase: boolean; keepPunctuation: boolean; maxLength: number };
  vocab: string[];
  /** A model with a wide path: its n-gram vocabulary (the n-gram with hashes[i] has id i + 1). */
  ngrams?: { hashes: number[] };
}

export declare function fnv1a(text: string): number;
export declare function ngramFeatures(tokens: readonly string[]): string[];

export declare class TextcatTokenizer {
  /** Throws when the file is not a tokenizer Textcat would load (docs/tokenizer.md, "Where the settings are"). */
  constructor(file: TokenizerFile);
  tokenize(text: string): string[];
  encode(text: string): number[];
  modelInput(texts: string[]): BigInt64Array;
  encodeNgrams(text: string): number[];
  ngramInput(texts: string[]): { ids: BigInt64Array; dims: [number, number] };
}
