// The flags that say how to read a labeled dataset (train, eval), and the DatasetSpec they give.
import { DEFAULT_LABEL_SEPARATOR } from '../core/datasetFormats/collector';
import { namesColumnsByKeys } from '../core/datasetFormats/columns';
import type { DatasetSpec } from '../core/jobs';
import { DATASET_FORMATS, type ColumnChoice } from '../core/types';
import { prose, UsageError, type Flag } from './usage';

export const DATASETS_HELP = prose(
  'Datasets: .csv, .tsv, .jsonl, .json (an array of objects), fastText .txt (__label__x text), or a folder with one subfolder per class (each file one example). The text and label columns are guessed from the header or the JSON keys (text, message, review… / label, class, intent…) or from the values, and the choice is printed. A dataset is multi-label when a row has several labels: a label cell joined by | (tag1|tag2), a JSON list, several __label__ on a fastText line, or the same file in several class folders. A dataset may also be - (standard input), a named pipe or <(zcat data.csv.gz), read once as it streams, when its name or --format gives the format.',
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
  {
    name: 'label-separator',
    value: 's',
    description: `What joins several labels in one label cell of a CSV/TSV (or a JSON string) [${DEFAULT_LABEL_SEPARATOR}]`,
  },
  { name: 'multi-label', description: 'Read the dataset as multi-label, even when no row has several labels [guessed]' },
  { name: 'single-label', description: 'Read the dataset as single-label: a separator is part of the label [guessed]' },
];

export function datasetSpec(path: string, values: Record<string, unknown>, command: string): DatasetSpec {
  const format = values.format as string | undefined;
  if (format !== undefined && !DATASET_FORMATS.some((f) => f === format)) {
    throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}, got "${format}"`, command);
  }
  const separator = values['label-separator'] as string | undefined;
  if (values['multi-label'] && values['single-label'])
    throw new UsageError('--multi-label and --single-label contradict each other', command);
  if (separator === '') throw new UsageError('--label-separator needs a non-empty value', command);
  if (separator !== undefined && values['single-label']) {
    throw new UsageError('--label-separator splits labels, which --single-label turns off; give one or the other', command);
  }
  return {
    // `-` is standard input: a pipe (read once, so --format is needed) or a redirected file.
    path: path === '-' ? '/dev/stdin' : path,
    format: format as DatasetSpec['format'],
    textColumn: values['text-column'] as string | undefined,
    labelColumn: values['label-column'] as string | undefined,
    ...(separator !== undefined ? { labelSeparator: separator } : {}),
    ...(values['multi-label'] ? { multiLabel: true } : values['single-label'] ? { multiLabel: false } : {}),
  };
}
