// Plain data shared by every part of the core. No tfjs, no vscode.

/** One labeled example, with where it came from so errors and drill-downs can point at it. */
export interface Example {
  text: string;
  label: string;
  /** 1-based line number in the file where the record starts (or the file path for folder datasets). */
  line: number;
  /** Source file; only set for folder datasets where every example is its own file. */
  file?: string;
}

export const DATASET_FORMATS = ['csv', 'tsv', 'jsonl', 'json', 'fasttext', 'folder'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface ColumnChoice {
  text: string;
  label: string;
  /** How the columns were picked: named by the user, recognised from the header, or inferred from the values. */
  source: 'option' | 'header' | 'data' | 'format';
  /** False when the guess was close: the UI should let the user confirm. */
  confident: boolean;
  /** Every column seen, so a UI can offer the alternatives. */
  available: string[];
}

export interface LoadedDataset {
  path: string;
  format: DatasetFormat;
  columns: ColumnChoice;
  examples: Example[];
  /** Non-fatal findings (a class with one example, skipped empty rows...), already phrased for a user. */
  warnings: string[];
  /** sha256 of the raw bytes, recorded with a model to tell which data trained it. */
  sha256: string;
}

export interface ReadDatasetOptions {
  format?: DatasetFormat;
  textColumn?: string;
  labelColumn?: string;
}

/**
 * A problem with the user's data or model, phrased for the user and naming the file (and line).
 * Front ends print `message` as is, without a stack trace.
 */
export class TextcatError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line !== undefined ? `:${line}` : ''}: ${message}` : message);
    this.name = 'TextcatError';
  }
}

/**
 * A model folder path Textcat refuses to write to (it holds the user's own files, it is a file, it is the
 * current folder…). Found before training starts; the CLI treats it as bad usage (exit 2).
 */
export class DestinationError extends TextcatError {
  constructor(message: string, file: string) {
    super(message, file);
    this.name = 'DestinationError';
  }
}

/** A job (training, prediction, evaluation) stopped because it was asked to; not a failure, so no message. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export interface TokenizerConfig {
  mode: 'word' | 'char';
  lowercase: boolean;
  keepPunctuation: boolean;
  maxVocab: number;
  minCount: number;
  maxLength: number;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ReliabilityBin {
  /** Upper edge of the confidence bin, e.g. 0.1 ... 1.0 */
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Metrics {
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  perClass: ClassMetrics[];
  /** confusion[true][predicted], indices into `labels`. */
  confusion: number[][];
  labels: string[];
  ece: number;
  reliability: ReliabilityBin[];
  count: number;
}
