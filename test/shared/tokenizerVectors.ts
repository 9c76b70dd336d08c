// The tokenizer test vectors (docs/tokenizer-vectors.json) for the unit tests and the extension-host tests:
// each case as a Tokenizer config, and the result expected from a given ICU version.
import vectors from '../../docs/tokenizer-vectors.json';
import { fnv1a, NgramVocabulary } from '../../src/core/text/ngrams';
import { DEFAULT_TOKENIZER, Tokenizer, type TokenizerVersion } from '../../src/core/text/tokenizer';
import type { TokenizerConfig } from '../../src/core/types';

export interface Expected {
  tokens: string[];
  ids: number[];
  input: number[];
  /** Ids of the known n-grams of the first maxLength tokens, in the fixture n-gram vocabulary. */
  ngrams: number[];
  /** Every n-gram feature of the first maxLength tokens, known or not: their number, the FNV-1a of their list
   * joined by U+000A, and the list itself where it is short (an implementation with extra features fails). */
  featureCount: number;
  featuresFnv1a: number;
  features?: string[];
}

export interface VectorCase extends Expected {
  name: string;
  text: string;
  config?: Partial<TokenizerConfig>;
  /** The tokenizer version of the case, when not the file's `tokenizerVersion`. */
  tokenizerVersion?: TokenizerVersion;
  olderIcu?: (Expected & { from: string; below: string; why: string })[];
}

export const VECTORS = vectors as {
  tokenizerVersion: number;
  locale: string;
  vocab: string[];
  fnv1a: { text: string; fnv1a: number }[];
  ngramVocab: { features: string[]; hashes: number[] };
  cases: VectorCase[];
  /** Tokenizer files that a reader must refuse (Textcat does): no defaults, no duplicates. */
  invalidTokenizers: { name: string; tokenizer: unknown }[];
};

/** The tokenizer of a case, with the fixture n-gram vocabulary (as a model with a wide path has). */
export function tokenizerOf(c: VectorCase): Tokenizer {
  return new Tokenizer(configOf(c), VECTORS.vocab, c.tokenizerVersion, new NgramVocabulary(VECTORS.ngramVocab.hashes));
}

/** The n-gram feature fields of a case (Expected) for a list of features. */
export function featureFields(features: string[], expected: Expected): Pick<Expected, 'featureCount' | 'featuresFnv1a' | 'features'> {
  return {
    featureCount: features.length,
    featuresFnv1a: fnv1a(features.join('\n')),
    ...(expected.features ? { features } : {}),
  };
}

/** The feature fields expected (for comparison with featureFields). */
export function expectedFeatureFields({
  featureCount,
  featuresFnv1a,
  features,
}: Expected): Pick<Expected, 'featureCount' | 'featuresFnv1a' | 'features'> {
  return { featureCount, featuresFnv1a, ...(features ? { features } : {}) };
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
