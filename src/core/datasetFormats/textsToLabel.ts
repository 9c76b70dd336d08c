// The texts a model labels (`textcat predict`), read by training's own readers: a table's text column, chosen
// as training chooses it (so the header and the label column are never labeled), fastText lines without
// their labels, or plain text line by line. Each text keeps the line it starts on in the file.

import { extname } from 'node:path';
import { TextcatError, type ReadDatasetOptions } from '../types';
import { chooseTextColumn, type TextColumnChoice } from './columns';
import { FASTTEXT_PREFIX, splitFastTextLine } from './fasttext';
import { FORMAT_BY_EXTENSION } from './fileTypes';
import { numberedLineBatches } from './lines';
import { cellText, columnsOf, sampleValue, takeSample, type ArrayElement, type TableRow } from './table';
import { isTableFormat, tableRows, TABLE_FORMATS, type TableFormat } from './tableRows';

export const TEXT_FORMATS = [...TABLE_FORMATS, 'fasttext', 'lines'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

export interface TextToLabel {
  /** 1-based line where the text starts (a CSV record may span several). */
  line: number;
  text: string;
  /** JSON arrays only: the element's position, which names it when elements share lines. */
  element?: ArrayElement;
}

/** How an input was read, known once its first rows are seen. */
export interface TextsLayout {
  format: TextFormat;
  /** Tables only: the column labeled and how it was chosen. */
  columns?: TextColumnChoice;
  /** The column holding labels ("label" for fastText) when the input is a labeled dataset, which `eval` scores. */
  labelColumn?: string;
}

export interface ReadTextsOptions extends Pick<ReadDatasetOptions, 'textColumn' | 'labelColumn'> {
  /** The model's classes: a column whose values are mostly these holds labels, whatever its name. */
  knownLabels?: ReadonlySet<string>;
  onLayout?: (layout: TextsLayout) => void;
}

/**
 * The format a path is read in: a table by its extension, as training reads it; anything else (a log, a .txt,
 * standard input) is plain text, `undefined`, which `readTextBatches` reads as fastText when its first line is.
 */
export function textFormatOf(path: string): TableFormat | undefined {
  const extension = extname(path).toLowerCase();
  const format = Object.hasOwn(FORMAT_BY_EXTENSION, extension) ? FORMAT_BY_EXTENSION[extension] : undefined;
  return isTableFormat(format) ? format : undefined;
}

/**
 * The texts to label, several at a time: plain text a read chunk's lines at a time, a table's texts in arrays of up
 * to TABLE_BATCH (a reader of millions of lines, textcat predict, takes them without a promise per line). `format`
 * undefined: plain text, read as fastText when its first non-blank line starts with __label__.
 */
export function readTextBatches(
  chunks: AsyncIterable<Uint8Array>,
  format: TextFormat | undefined,
  options: ReadTextsOptions,
  file: string,
): AsyncGenerator<TextToLabel[]> {
  return isTableFormat(format)
    ? inBatches(tableTexts(tableRows(chunks, format, file), format, options, file), TABLE_BATCH)
    : lineTexts(chunks, format, options);
}

const TABLE_BATCH = 1024;

async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* tableTexts(
  rows: AsyncIterable<TableRow>,
  format: TableFormat,
  options: ReadTextsOptions,
  file: string,
): AsyncGenerator<TextToLabel> {
  const iterator = rows[Symbol.asyncIterator]();
  try {
    const sample = await takeSample(iterator);
    if (sample.length === 0) throw new TextcatError('has no rows', file);
    const valuesOf = (column: string) => sample.map((row) => sampleValue(row.get(column)));
    const columns = chooseTextColumn(columnsOf(sample, file), valuesOf, options, file);
    const labeled = columns.label && (columns.label.named || mostlyKnown(valuesOf(columns.label.column), options.knownLabels));
    options.onLayout?.({ format, columns, labelColumn: labeled ? columns.label?.column : undefined });
    const toLabel = (row: TableRow): TextToLabel => ({
      line: row.line,
      text: cellText(row, columns.text, 'text', file),
      element: row.element,
    });
    for (const row of sample) yield toLabel(row);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield toLabel(next.value);
  } finally {
    await iterator.return?.();
  }
}

/** Plain lines as they are, or fastText lines without their labels (blank lines come through, numbered). */
async function* lineTexts(
  chunks: AsyncIterable<Uint8Array>,
  format: 'fasttext' | 'lines' | undefined,
  options: ReadTextsOptions,
): AsyncGenerator<TextToLabel[]> {
  let fastText = format === 'fasttext';
  let laidOut = false;
  for await (const batch of numberedLineBatches(chunks)) {
    // The lines before the first non-blank one come through as they are (they are blank).
    let from = 0;
    if (!laidOut) {
      const first = batch.findIndex(({ text }) => text.trim() !== '');
      if (first < 0) {
        yield batch;
        continue;
      }
      const labeled = batch[first].text.trim().startsWith(FASTTEXT_PREFIX);
      fastText ||= format === undefined && labeled;
      options.onLayout?.({ format: fastText ? 'fasttext' : 'lines', labelColumn: fastText && labeled ? 'label' : undefined });
      laidOut = true;
      from = first;
    }
    yield fastText ? batch.map(({ line, text }, i) => ({ line, text: i < from ? text : splitFastTextLine(text).text })) : batch;
  }
}

/** At least half of the non-empty sampled values are classes the model knows. */
function mostlyKnown(values: readonly string[], known: ReadonlySet<string> | undefined): boolean {
  const present = values.filter((value) => value !== '');
  if (!known || present.length === 0) return false;
  return present.filter((value) => known.has(value)).length * 2 >= present.length;
}
