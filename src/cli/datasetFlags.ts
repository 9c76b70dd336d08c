// The flags that say how to read a labeled dataset (train, eval), and the DatasetSpec they give.
import { namesColumnsByKeys } from '../core/datasetFormats/columns';
import type { DatasetSpec } from '../core/jobs';
import { DATASET_FORMATS, type ColumnChoice } from '../core/types';
import { prose, UsageError, type Flag } from './usage';

export const DATASETS_HELP = prose(
  'Datasets: .csv, .tsv, .jsonl, .json (an array of objects), fastText .txt (__label__x text), or a folder with one subfolder per class (each file one example). The text and label columns are guessed from the header or the JSON keys (text, message, review… / label, class, intent…) or from the values, and the choice is printed.',
);

/** How the columns were chosen, in words for a note: "from the header" of a CSV is "from the keys" of JSON. */
export function columnSourceWords(source: ColumnChoice['source'], format: string | undefined): string {
  if (source === 'header') return namesColumnsByKeys(format) ? 'from the keys' : 'from the header';
  return { option: 'given', data: 'guessed from the data', format: 'from the format' }[source];
}

export const DATASET_FLAGS: readonly Flag[] = [
  { name: 'text-column', value: 'column', description: 'The column with the text: a name or a 0-based index [guessed]' },
  { name: 'label-column', value: 'column', description: 'The column with the label [guessed]' },
  { name: 'format', value: 'format', description: `${DATASET_FORMATS.join(', ')} [from the extension]` },
];

export function datasetSpec(path: string, values: Record<string, unknown>, command: string): DatasetSpec {
  const format = values.format as string | undefined;
  if (format !== undefined && !DATASET_FORMATS.some((f) => f === format)) {
    throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}, got "${format}"`, command);
  }
  return {
    // `-` is standard input: a pipe (read once, so --format is needed) or a redirected file.
    path: path === '-' ? '/dev/stdin' : path,
    format: format as DatasetSpec['format'],
    textColumn: values['text-column'] as string | undefined,
    labelColumn: values['label-column'] as string | undefined,
  };
}
