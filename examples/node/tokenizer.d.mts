// Types for tokenizer.mjs, for TypeScript users of the reference tokenizer.
export declare const PAD: 0;
export declare const OOV: 1;

export interface TokenizerFile {
  version?: number;
  config: { mode: 'word' | 'char'; lowercase: boolean; keepPunctuation: boolean; maxLength: number };
  vocab: string[];
}

export declare class TextcatTokenizer {
  constructor(file: TokenizerFile);
  tokenize(text: string): string[];
  encode(text: string): number[];
  modelInput(texts: string[]): BigInt64Array;
}
