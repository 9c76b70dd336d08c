// The rows of a table-shaped dataset by its format: one door for training's reader and predict's.
import { delimitedRows } from './delimited';
import { jsonArrayRows, jsonLinesRows } from './json';
import type { TableRow } from './table';

export const TABLE_FORMATS = ['csv', 'tsv', 'jsonl', 'json'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export function isTableFormat(format: string | undefined): format is TableFormat {
  return TABLE_FORMATS.some((f) => f === format);
}

export function tableRows(chunks: AsyncIterable<Uint8Array>, format: TableFormat, file: string): AsyncIterable<TableRow> {
  switch (format) {
    case 'csv':
      return delimitedRows(chunks, ',', file);
    case 'tsv':
      return delimitedRows(chunks, '\t', file);
    case 'jsonl':
      return jsonLinesRows(chunks, file);
    case 'json':
      return jsonArrayRows(chunks, file);
  }
}
