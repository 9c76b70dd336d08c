// CSV and TSV (RFC 4180 quoting for both) through csv-parse's streaming parser. The first record is
// the header. Rows report the line they start on, which csv-parse does not give directly.

import { Readable, pipeline } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import { TextcatError } from '../types';
import { MAX_COLUMNS, MAX_RECORD_CHARS, mebibytes } from './limits';
import type { TableRow } from './table';

export type Delimiter = ',' | '\t';

interface ParsedRecord {
  record: string[];
  info: Info;
}

export async function* delimitedRows(chunks: AsyncIterable<Uint8Array>, delimiter: Delimiter, file: string): AsyncGenerator<TableRow> {
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    // We check the field count ourselves to name the line the row starts on.
    relax_column_count: true,
    // A stray quote inside an unquoted field (`5" screen`) is common in real data; keep it as text.
    relax_quotes: true,
    skip_empty_lines: true,
    // An unclosed quote would otherwise read the rest of the file into one field.
    max_record_size: MAX_RECORD_CHARS,
  });
  // Errors from the source (encoding checks) and the parser both come out of the loop below.
  pipeline(Readable.from(chunks), parser, () => {});
  const lines = new LineTracker();
  let header: Header | undefined;
  let rowCount = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      const line = lines.recordStart(info.empty_lines, record);
      if (isBlank(record)) continue;
      if (header === undefined) {
        if (record.length > MAX_COLUMNS) throw tooManyColumns(record.length, delimiter, file, line);
        header = new Header(record);
        continue;
      }
      if (record.length !== header.names.length) throw raggedRow(record, header, delimiter, file, line);
      rowCount++;
      yield new DelimitedRow(line, record, header);
    }
  } catch (error) {
    throw error instanceof CsvError ? fromCsvError(error, lines, file) : error;
  }
  if (header === undefined) throw new TextcatError('is empty', file);
  if (rowCount === 0) throw new TextcatError('has a header but no rows', file);
}

/**
 * Start lines from what was consumed: csv-parse's own `info.lines` is the line a record ends on
 * (and counts a CRLF inside quotes twice), so we add up the line breaks inside each record instead,
 * plus the empty lines it skipped.
 */
class LineTracker {
  private nextStart = 1;
  private emptyLinesSeen = 0;

  /** Where the next record starts, given csv-parse's running count of skipped empty lines. */
  pendingStart(emptyLines: number): number {
    return this.nextStart + (emptyLines - this.emptyLinesSeen);
  }

  recordStart(emptyLines: number, record: string[]): number {
    const start = this.pendingStart(emptyLines);
    this.emptyLinesSeen = emptyLines;
    this.nextStart = start + 1 + record.reduce((sum, field) => sum + lineBreaks(field), 0);
    return start;
  }
}

class Header {
  readonly names: string[];
  private readonly indexByName: Map<string, number>;

  constructor(record: string[]) {
    this.names = uniqueNames(record);
    this.indexByName = new Map(this.names.map((name, index) => [name, index]));
  }

  indexOf(column: string): number | undefined {
    return this.indexByName.get(column);
  }
}

class DelimitedRow implements TableRow {
  constructor(
    readonly line: number,
    private readonly record: string[],
    private readonly header: Header,
  ) {}

  get columns(): readonly string[] {
    return this.header.names;
  }

  get(column: string): unknown {
    const index = this.header.indexOf(column);
    return index === undefined ? undefined : this.record[index];
  }
}

/** Blank header cells get a name and repeated ones a suffix, so every column can be chosen. */
export function uniqueNames(record: string[]): string[] {
  const seen = new Map<string, number>();
  return record.map((raw, index) => {
    const name = raw.trim() || `column ${index + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

function isBlank(record: string[]): boolean {
  return record.every((field) => field.trim() === '');
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function raggedRow(record: string[], header: Header, delimiter: Delimiter, file: string, line: number): TextcatError {
  const separator = delimiter === ',' ? 'a comma' : 'a tab';
  return new TextcatError(
    `has ${record.length} fields but the header has ${header.names.length}; ` +
      `if a text contains ${separator}, put the text in double quotes`,
    file,
    line,
  );
}

function tooManyColumns(count: number, delimiter: Delimiter, file: string, line: number): TextcatError {
  const separator = delimiter === ',' ? 'commas' : 'tabs';
  return new TextcatError(
    `has ${count} columns, more than the ${MAX_COLUMNS} Textcat reads; a text dataset needs a text column and a label column (is this file separated by ${separator}?)`,
    file,
    line,
  );
}

function fromCsvError(error: CsvError, lines: LineTracker, file: string): TextcatError {
  const emptyLines = typeof error.empty_lines === 'number' ? error.empty_lines : 0;
  const line = lines.pendingStart(emptyLines);
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new TextcatError(
      'a quoted field that starts on this line is never closed; inside quotes, write a quote as two ("")',
      file,
      line,
    );
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new TextcatError(
      `the record that starts on this line is longer than ${mebibytes(MAX_RECORD_CHARS)}, the most Textcat reads in one record; if a quote is never closed, close it (inside quotes, write a quote as two "")`,
      file,
      line,
    );
  }
  return new TextcatError(error.message, file, line);
}
