// The tokenizer test vectors (docs/tokenizer-vectors.json) for the unit tests and the extension-host tests:
// each case as a Tokenizer config, and the result expected from a given ICU version.
import vectors from '../../docs/tokenizer-vectors.json';
import { NgramVocabulary } from '../../src/core/ngrams';
import { DEFAULT_TOKENIZER, Tokenizer } from '../../src/core/tokenizer';
import type { TokenizerConfig } from '../../src/core/types';

export interface Expected {
  tokens: string[];
  ids: number[];
  input: number[];
  /** Ids of the known n-grams of the first maxLength tokens, in the fixture n-gram vocabulary. */
  ngrams: number[];
}

export interface VectorCase extends Expected {
  name: string;
  text: string;
  config?: Partial<TokenizerConfig>;
  olderIcu?: (Expected & { from: string; below: string; why: string })[];
}

export const VECTORS = vectors as {
  tokenizerVersion: number;
  locale: string;
  vocab: string[];
  fnv1a: { text: string; fnv1a: number }[];
  ngramVocab: { features: string[]; hashes: number[] };
  cases: VectorCase[];
};

/** The tokenizer of a case, with the fixture n-gram vocabulary (as a model with a wide path has). */
export function tokenizerOf(c: VectorCase): Tokenizer {
  return new Tokenizer(configOf(c), VECTORS.vocab, undefined, new NgramVocabulary(VECTORS.ngramVocab.hashes));
}

export function configOf(c: VectorCase): TokenizerConfig {
  return { ...DEFAULT_TOKENIZER, ...(vectors.defaults as Partial<TokenizerConfig>), ...c.config };
}

/** Compares dotted version numbers ("73.2" < "77"). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The case's result for this ICU version: the main one, or the older ICU's where the case lists one. */
export function expectedFor(c: VectorCase, icu: string): Expected {
  const older = c.olderIcu?.find((o) => compareVersions(icu, o.from) >= 0 && compareVersions(icu, o.below) < 0);
  return older ?? c;
}
