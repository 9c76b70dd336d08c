// Turns rows with named columns (CSV, TSV, JSONL, JSON) into examples. Columns are chosen from the
// first rows only, so the rest can stream through without keeping every column of every row.

import { TextcatError, type ColumnChoice, type Example, type ReadDatasetOptions } from '../types';
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
}

export async function tableToExamples(rows: AsyncIterable<TableRow>, options: ReadDatasetOptions, file: string): Promise<TableResult> {
  const iterator = rows[Symbol.asyncIterator]();
  try {
    const sample = await takeSample(iterator);
    if (sample.length === 0) throw new TextcatError('has no rows', file);
    const valuesOf = (column: string) => sample.map((row) => sampleValue(row.get(column)));
    const columns = chooseColumns(columnsOf(sample, file), valuesOf, options, file);
    const collector = new ExampleCollector();
    const addRow = (row: TableRow) =>
      collector.add(cellText(row, columns.text, 'text', file), cellText(row, columns.label, 'label', file), row.line);
    sample.forEach(addRow);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) addRow(next.value);
    return { columns, examples: collector.examples, warnings: collector.warnings() };
  } finally {
    // Stopping early (a bad row) must still close the file stream behind the rows.
    await iterator.return?.();
  }
}

/** Keeps examples with a text and a label, and counts the rows without one to say so once. */
export class ExampleCollector {
  readonly examples: Example[] = [];
  private skipped = 0;
  private firstSkipped = '';

  /** `unit` names what one example is in this format, for the warning. */
  constructor(private readonly unit: 'row' | 'file' = 'row') {}

  add(text: string, label: string, line: number, file?: string): void {
    const example: Example = { text: text.trim(), label: label.trim(), line };
    if (file !== undefined) example.file = file;
    if (example.text !== '' && example.label !== '') {
      this.examples.push(example);
    } else if (this.skipped++ === 0) {
      this.firstSkipped = file ?? `line ${line}`;
    }
  }

  warnings(): string[] {
    if (this.skipped === 0) return [];
    const count = this.skipped === 1 ? `1 ${this.unit}` : `${this.skipped} ${this.unit}s`;
    return [`Skipped ${count} with an empty text or label (the first: ${this.firstSkipped}).`];
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
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
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
  throw new TextcatError(`the ${role} field "${column}" is ${what}; expected a string or a number`, file, row.line);
}
