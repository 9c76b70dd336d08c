// How much of a dataset one record may take, so that a hostile or broken file (no line breaks, an unclosed
// quote, 20,000 columns) stops with a message instead of growing memory until the process dies.

/** Longest line (JSONL, fastText, a CSV line) in bytes; far beyond any text a classifier reads, which is its first maxLength tokens. */
export const MAX_LINE_BYTES = 8 * 2 ** 20;
/** Longest CSV/TSV record (its fields together, across quoted line breaks), in characters. */
export const MAX_RECORD_CHARS = 8 * 2 ** 20;
/** Most columns a table may have: a text dataset needs two; column guessing looks at every one. */
export const MAX_COLUMNS = 1000;
/** A JSON array is parsed whole (JSON.parse needs all of it), which takes several times its size in memory. */
export const MAX_JSON_ARRAY_BYTES = 64 * 2 ** 20;
/** One file of a folder dataset is one example. */
export const MAX_EXAMPLE_FILE_BYTES = MAX_LINE_BYTES;

export function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
