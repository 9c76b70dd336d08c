// Plain data shared by every part of the core. No tfjs, no vscode.

/** One labeled example, with where it came from so errors and drill-downs can point at it. */
export interface Example {
  text: string;
  /**
   * The class. In a multi-label dataset (`labels` set) it is only for display: the labels joined by ", ", or ""
   * for a row with none; code that trains, counts or scores must read `labels`.
   */
  label: string;
  /**
   * Every label of the row, set on every example of a multi-label dataset and on none of a single-label one
   * (see isMultiLabel). May be empty: a row with no label is a negative for every class.
   */
  labels?: string[];
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
  /** True when the examples carry `labels` (several labels per row are possible). */
  multiLabel: boolean;
  /** The separator that split a delimited label column into labels (multi-label CSV/TSV only). */
  labelSeparator?: string;
}

/** Whether examples are multi-label: every example of a multi-label dataset carries `labels`. */
export function isMultiLabel(examples: readonly Example[]): boolean {
  return examples.length > 0 && examples[0].labels !== undefined;
}

export interface ReadDatasetOptions {
  format?: DatasetFormat;
  textColumn?: string;
  labelColumn?: string;
  /** How a delimited label column joins several labels ("|" when guessed). */
  labelSeparator?: string;
  /** true: read as multi-label whatever the rows; false: single-label (a separator is part of the label); absent: guessed. */
  multiLabel?: boolean;
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

/** The extra scores of a multi-label model, at its per-class thresholds. */
export interface MultiLabelScores {
  microF1: number;
  /** F1 of each row's predicted label set against its true one, averaged over rows (a row with neither counts 1). */
  samplesF1: number;
  /** Share of rows whose predicted label set is exactly the true one (also Metrics.accuracy). */
  subsetAccuracy: number;
  /** Share of (row, class) decisions that are wrong. */
  hammingLoss: number;
  /** The per-class probability thresholds the scores were computed at, in `labels` order. */
  thresholds: number[];
  /** Per class: rows that have the label and did not get it (false negatives). */
  missed: number[];
  /** Per class: rows that got the label without having it (false positives). */
  falseAlarms: number[];
}

export interface Metrics {
  /** Single-label: share of rows whose top class is right. Multi-label: subset accuracy. */
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  perClass: ClassMetrics[];
  /**
   * confusion[true][predicted], indices into `labels`. Multi-label: co-occurrence, rows with true label i that were
   * given label j (the diagonal is the true positives), so the same drill-down works.
   */
  confusion: number[][];
  labels: string[];
  ece: number;
  reliability: ReliabilityBin[];
  count: number;
  /** Present for a multi-label model only. */
  multiLabel?: MultiLabelScores;
}
