// CSV as Textcat writes it (exported predictions, lines appended to a dataset, test fixtures): RFC 4180 by
// csv-stringify, the sibling of the csv-parse that reads datasets, so what one writes the other reads back.
import { stringify } from 'csv-stringify/sync';

export type CsvDelimiter = ',' | '\t';
type Field = string | number;

/**
 * A field is quoted when it holds the delimiter, a quote or a line break (csv-stringify's rule), or starts or
 * ends with white space, which is data too and would be lost by a reader that trims unquoted fields.
 */
const EDGE_SPACE = /^\s|\s$/;

/** One record without a line ending (the caller ends the line, e.g. in the style of the file it appends to). */
export function csvRecord(fields: readonly Field[], delimiter: CsvDelimiter = ','): string {
  return stringify([[...fields]], { delimiter, quoted_match: EDGE_SPACE, eof: false });
}

/** Records, each ending with `eol`. */
export function csvRecords(records: readonly (readonly Field[])[], eol: '\n' | '\r\n' = '\n', delimiter: CsvDelimiter = ','): string {
  return stringify(
    records.map((r) => [...r]),
    { delimiter, record_delimiter: eol, quoted_match: EDGE_SPACE },
  );
}
