// Turns rows with named columns (CSV, TSV, JSONL, JSON) into examples. Columns are chosen from the
// first rows only, so the rest can stream through without keeping every column of every row.

import { TextcatError, type ColumnChoice, type Example, type ReadDatasetOptions } from '../types';
import { ExampleCollector } from './collector';
import { chooseColumns } from './columns';
import { MAX_COLUMNS } from './limits';

/** Rows buffered to choose columns from; enough to see the classes, small enough to ignore. */
const SAMPLE_ROWS = 1000;

export interface TableRow {
  /** 1-based line where the row starts. */
  line: number;
  /** The column names this row has (the header for CSV, the keys for JSON). */
  columns: readonly string[];
  /** undefined when the row has no such column. */
  get(column: string): unknown;
  /** JSON arrays only: where the row is in the array. */
  element?: ArrayElement;
}

export interface ArrayElement {
  /** 1-based position in the array, as dataset messages number it ("element 3 is…"). */
  index: number;
  /** Some elements of the array start on the same line (a one-line array): only `index` tells them apart. */
  sharedLines: boolean;
}

export interface TableResult {
  columns: ColumnChoice;
  examples: Example[];
  warnings: string[];
  labelSeparator?: string;
}

/** `separator`: what splits a label cell into labels (undefined: a string cell is one label, a list cell several). */
export async function tableToExamples(
  rows: AsyncIterable<TableRow>,
  options: ReadDatasetOptions,
  file: string,
  separator: string | undefined,
): Promise<TableResult> {
  const iterator = rows[Symbol.asyncIterator]();
  try {
    const sample = await takeSample(iterator);
    if (sample.length === 0) throw new TextcatError('has no rows', file);
    const valuesOf = (column: string) => sample.map((row) => sampleValue(row.get(column)));
    const columns = chooseColumns(columnsOf(sample, file), valuesOf, options, file);
    const collector = new ExampleCollector({
      multiLabel: options.multiLabel,
      separator,
      separatorGuessed: options.labelSeparator === undefined,
    });
    // Forced single-label, a list of labels is refused as it always was (a list is one label only in multi-label).
    const label = (row: TableRow) =>
      options.multiLabel === false ? cellText(row, columns.label, 'label', file) : labelCell(row, columns.label, file);
    const addRow = (row: TableRow) => collector.add(cellText(row, columns.text, 'text', file), label(row), row.line);
    sample.forEach(addRow);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) addRow(next.value);
    return { columns, ...collector.finish() };
  } finally {
    // Stopping early (a bad row) must still close the file stream behind the rows.
    await iterator.return?.();
  }
}

export async function takeSample(iterator: AsyncIterator<TableRow>): Promise<TableRow[]> {
  const sample: TableRow[] = [];
  while (sample.length < SAMPLE_ROWS) {
    const next = await iterator.next();
    if (next.done) break;
    sample.push(next.value);
  }
  return sample;
}

/** Every column seen in the sample, in first-seen order (JSON objects may differ in their keys). */
export function columnsOf(sample: readonly TableRow[], file: string): string[] {
  const seen = new Set<string>();
  let previous: readonly string[] | undefined;
  for (const row of sample) {
    if (row.columns === previous) continue; // CSV rows share the header array
    previous = row.columns;
    row.columns.forEach((column) => seen.add(column));
    if (seen.size > MAX_COLUMNS) {
      throw new TextcatError(
        `has more than ${MAX_COLUMNS} different keys by this line, more than Textcat reads; a text dataset needs a text key and a label key`,
        file,
        row.line,
      );
    }
  }
  return [...seen];
}

export function sampleValue(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  // A JSON list of labels looks to column guessing like a delimited label cell.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('|');
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A label cell: a list of labels (JSON), each a string or a number, or one value as cellText reads it. */
export function labelCell(row: TableRow, column: string, file: string): string | string[] {
  const value = row.get(column);
  if (!Array.isArray(value)) return cellText(row, column, 'label', file);
  return value.map((item: unknown, index) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    const what = item === null ? 'null' : Array.isArray(item) ? 'a list' : 'an object';
    throw new TextcatError(`the label list "${column}" holds ${what} at position ${index + 1}; expected strings`, file, row.line);
  });
}

/** Numbers and booleans become their text ("0", "true"); null counts as empty; nesting is an error. */
export function cellText(row: TableRow, column: string, role: 'text' | 'label', file: string): string {
  const value = row.get(column);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  if (value === undefined) {
    const keys = row.columns.map((key) => JSON.stringify(key)).join(', ') || 'none';
    throw new TextcatError(`the object has no "${column}" key for the ${role} (its keys: ${keys})`, file, row.line);
  }
  const what = Array.isArray(value) ? 'a list' : 'an object';
  const why = role === 'label' && Array.isArray(value) ? ' (a list of labels is read only in a multi-label dataset)' : '';
  throw new TextcatError(`the ${role} field "${column}" is ${what}; expected a string or a number${why}`, file, row.line);
}
