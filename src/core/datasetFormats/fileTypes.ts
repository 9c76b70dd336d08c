// Which files the dataset reader takes, by their ending: core/data/dataset.ts reads by this table, and the extension's
// dataset picker offers by it, so the picker offers exactly what training reads.
import type { DatasetFormat } from '../types';

export const FORMAT_BY_EXTENSION: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
};

/** Read as fastText when their first line starts with __label__; otherwise they are not datasets. */
export const FASTTEXT_EXTENSIONS: ReadonlySet<string> = new Set(['.txt', '.ft']);

/** Every ending the reader may take (a .json only holds a dataset as an array of records). */
export const DATASET_EXTENSIONS: readonly string[] = [...Object.keys(FORMAT_BY_EXTENSION), ...FASTTEXT_EXTENSIONS];
