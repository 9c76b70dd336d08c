// Every training option, its default and its bounds: the CLI flags, the worker protocol and the VS Code
// settings are all derived from this one table.
import { TextcatError } from './types';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  embeddingDim: number;
  hiddenUnits: number;
  bidirectional: boolean;
  dropout: number;
  maxLength: number;
  vocabSize: number;
  minCount: number;
  tokenMode: 'word' | 'char';
  keepPunctuation: boolean;
  validationSplit: number;
  patience: number;
  classWeights: 'off' | 'balanced';
  clipNorm: number;
  seed: number;
  threads: number;
  wideNgrams: number;
  pretrainedVectors: string;
  freezeVectors: boolean;
}

type OptionSpec = { description: string } & (
  | { kind: 'int' | 'number'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  /** Free text: a file path (resolved against the working folder by the front end). */
  | { kind: 'string' }
);

export const DEFAULT_OPTIONS: Readonly<TrainOptions> = Object.freeze({
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  embeddingDim: 64,
  hiddenUnits: 64,
  bidirectional: true,
  dropout: 0.5,
  maxLength: 64,
  vocabSize: 20000,
  minCount: 1,
  tokenMode: 'word',
  keepPunctuation: false,
  validationSplit: 0.1,
  patience: 3,
  classWeights: 'off',
  clipNorm: 5,
  seed: 42,
  threads: 2,
  wideNgrams: 500000,
  pretrainedVectors: '',
  freezeVectors: false,
});

export const OPTION_SPECS: Readonly<Record<keyof TrainOptions, OptionSpec>> = {
  epochs: { kind: 'int', min: 1, max: 1000, description: 'Passes over the training data (early stopping may end sooner).' },
  batchSize: { kind: 'int', min: 1, max: 4096, description: 'Examples per gradient step.' },
  learningRate: { kind: 'number', min: 1e-6, max: 1, description: 'Adam learning rate.' },
  embeddingDim: { kind: 'int', min: 2, max: 1024, description: 'Size of each word vector.' },
  hiddenUnits: { kind: 'int', min: 2, max: 1024, description: 'LSTM units (per direction).' },
  bidirectional: { kind: 'boolean', description: 'Read each line both ways (two LSTMs, outputs concatenated).' },
  dropout: { kind: 'number', min: 0, max: 0.9, description: 'Dropout on the LSTM output while training.' },
  maxLength: { kind: 'int', min: 1, max: 2048, description: 'Tokens kept per line (the first ones); longer lines are truncated.' },
  vocabSize: { kind: 'int', min: 3, max: 1000000, description: 'Most frequent tokens kept, including padding and unknown.' },
  minCount: { kind: 'int', min: 1, max: 1000000, description: 'Tokens seen fewer times become unknown.' },
  tokenMode: { kind: 'enum', values: ['word', 'char'], description: 'Word tokens (Intl.Segmenter, any language) or characters.' },
  keepPunctuation: { kind: 'boolean', description: 'Keep punctuation as tokens.' },
  validationSplit: { kind: 'number', min: 0, max: 0.9, description: 'Share of each class held out for validation and early stopping.' },
  patience: {
    kind: 'int',
    min: 0,
    max: 1000,
    description: 'Epochs without a better validation loss before stopping (0: never stop early).',
  },
  classWeights: { kind: 'enum', values: ['off', 'balanced'], description: 'Weight the loss by inverse class frequency.' },
  clipNorm: { kind: 'number', min: 0, max: 1e6, description: 'Clip gradients to this global norm (0: no clipping).' },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1, description: 'Seed for initialisation, split, shuffling and dropout.' },
  threads: {
    kind: 'int',
    min: 1,
    max: 16,
    description: 'Threads that share each batch (results depend on this number, not on the machine).',
  },
  wideNgrams: {
    kind: 'int',
    min: 0,
    max: 10000000,
    description:
      'N-grams (words, word pairs, subwords, characters of scripts without spaces) kept for the linear path added to the LSTM (0: the LSTM alone); each adds 4 bytes × classes to the model.',
  },
  pretrainedVectors: {
    kind: 'string',
    description:
      'A .vec file (fastText or word2vec text format) whose vectors start the embedding rows of the words it has; its dimension must equal embeddingDim.',
  },
  freezeVectors: { kind: 'boolean', description: 'Keep the pretrained vectors fixed while training (words without one still learn).' },
};

/** Fills defaults and checks every given value; a bad one gets a message naming the option. */
export function resolveOptions(given: Partial<Record<keyof TrainOptions, unknown>> = {}): TrainOptions {
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const spec = OPTION_SPECS[name as keyof TrainOptions];
    if (!spec) throw new TextcatError(`unknown training option "${name}"`);
    out[name] = checkOption(name, spec, value);
  }
  return out as unknown as TrainOptions;
}

function checkOption(name: string, spec: OptionSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new TextcatError(`option ${name} must be true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new TextcatError(`option ${name} must be text, got ${JSON.stringify(value)}`);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new TextcatError(`option ${name} must be one of ${spec.values.join(', ')}, got ${JSON.stringify(value)}`);
      }
      return value;
    case 'int':
    case 'number': {
      const ok = typeof value === 'number' && Number.isFinite(value) && (spec.kind === 'number' || Number.isInteger(value));
      if (!ok || value < spec.min || value > spec.max) {
        const what = spec.kind === 'int' ? 'an integer' : 'a number';
        throw new TextcatError(`option ${name} must be ${what} from ${spec.min} to ${spec.max}, got ${JSON.stringify(value)}`);
      }
      return value;
    }
  }
}
