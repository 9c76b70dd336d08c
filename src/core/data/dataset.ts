// Reads a labeled dataset (CSV, TSV, JSONL, JSON, fastText or a folder per class) into examples.
// Every problem with the user's data comes out as a TextcatError naming the file and line; the
// format readers live in ./datasetFormats/, this module picks one and checks what it returns.

import { createReadStream, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { MAX_CLASSES } from '../defaults';
import { describeFileType, errnoCode, fileSystemError } from '../fsErrors';
import {
  DATASET_FORMATS,
  isMultiLabel,
  TextcatError,
  type ColumnChoice,
  type DatasetFormat,
  type Example,
  type LoadedDataset,
  type ReadDatasetOptions,
} from '../types';
import { DEFAULT_LABEL_SEPARATOR } from '../datasetFormats/collector';
import { ByteInspector, inspectedChunks, stripBom } from '../datasetFormats/encoding';
import { FASTTEXT_PREFIX, readFastText } from '../datasetFormats/fasttext';
import { FASTTEXT_EXTENSIONS, FORMAT_BY_EXTENSION } from '../datasetFormats/fileTypes';
import { readFolder } from '../datasetFormats/folder';
import { MAX_LINE_BYTES } from '../datasetFormats/limits';
import { detectWideEncoding } from '../datasetFormats/wideEncodings';
import { tableToExamples } from '../datasetFormats/table';
import { tableRows } from '../datasetFormats/tableRows';

/** Bytes read at a time; also how far past a file's start a NUL is found before anything is parsed. */
const CHUNK_BYTES = 64 * 1024;
/** Enough of a file's start to find its first non-empty line. */
const SNIFF_BYTES = 64 * 1024;
/** Classes named one by one in the "only one example" warning before we just count the rest. */
const LISTED_CLASSES = 5;

interface ParsedDataset {
  columns: ColumnChoice;
  examples: Example[];
  warnings: string[];
  sha256: string;
  labelSeparator?: string;
}

export async function readDataset(path: string, options: ReadDatasetOptions = {}): Promise<LoadedDataset> {
  try {
    if (options.labelSeparator === '') throw new TextcatError('cannot be read with an empty label separator', path);
    const format = options.format === undefined ? await detectFormat(path) : checkFormat(options.format, path);
    const parsed = format === 'folder' ? await parseFolder(path, options) : await parseFile(path, format, options);
    const warnings = [...parsed.warnings, ...validateExamples(parsed.examples, path)];
    const multiLabel = isMultiLabel(parsed.examples);
    return {
      path,
      format,
      columns: parsed.columns,
      examples: parsed.examples,
      warnings,
      sha256: parsed.sha256,
      multiLabel,
      ...(multiLabel && parsed.labelSeparator !== undefined ? { labelSeparator: parsed.labelSeparator } : {}),
    };
  } catch (error) {
    throw asTextcatError(error, path);
  }
}

export async function detectFormat(path: string): Promise<DatasetFormat> {
  try {
    if ((await datasetStats(path)).isDirectory()) return 'folder';
    const extension = extname(path).toLowerCase();
    // Own keys only: a file named x.constructor is not a dataset.
    const byExtension = Object.hasOwn(FORMAT_BY_EXTENSION, extension) ? FORMAT_BY_EXTENSION[extension] : undefined;
    if (byExtension) return byExtension;
    if (FASTTEXT_EXTENSIONS.has(extension)) {
      if (await isPipe(path)) throw new TextcatError(PIPE_NEEDS_FORMAT, path);
      const first = await firstNonEmptyLine(path);
      // Not plain text (UTF-16, binary): reading it as fastText gives the message that says what it is.
      if (first === undefined || first.startsWith(FASTTEXT_PREFIX)) return 'fasttext';
      throw new TextcatError(
        `is a ${extension} file whose first line does not start with ${FASTTEXT_PREFIX}, so it is not in fastText format`,
        path,
      );
    }
    if (await isPipe(path)) throw new TextcatError(PIPE_NEEDS_FORMAT, path);
    throw new TextcatError(
      `has an unknown dataset type "${extension || '(no extension)'}"; use .csv, .tsv, .jsonl, .json, fastText .txt or a folder per class`,
      path,
    );
  } catch (error) {
    throw asTextcatError(error, path);
  }
}

/** A format named by the caller (a CLI flag, a setting) must be one we read. */
function checkFormat(format: string, path: string): DatasetFormat {
  const known = DATASET_FORMATS.find((f) => f === format);
  if (known === undefined) throw new TextcatError(`cannot be read as "${format}": the formats are ${DATASET_FORMATS.join(', ')}`, path);
  return known;
}

/** A pipe can be read only once, so its format cannot be guessed from its first line: it must be named. */
const PIPE_NEEDS_FORMAT =
  'is a pipe whose format is not known from its name; give it with --format (csv, tsv, jsonl, json, fasttext): a pipe can be read only once';

async function isPipe(path: string): Promise<boolean> {
  return (await stat(path)).isFIFO();
}

/**
 * A dataset is a regular file, a folder or a pipe (a FIFO, `<(zcat x.csv.gz)`, stdin): /dev/zero or a socket is
 * refused by its type before a byte is read (a device never ends). A pipe is read once, in the single pass
 * that parses it and computes its sha256; its format comes from its name or the caller, never from a peek.
 */
async function datasetStats(path: string): Promise<Stats> {
  const stats = await stat(path);
  if (!stats.isFile() && !stats.isDirectory() && !stats.isFIFO()) {
    throw new TextcatError(`is ${describeFileType(stats)}, not a dataset; give a regular file or a folder`, path);
  }
  return stats;
}

/** Throws when there is nothing to train on; returns warnings for what merely looks wrong. */
export function validateExamples(examples: Example[], file: string): string[] {
  if (examples.length === 0) throw new TextcatError('has no examples', file);
  if (isMultiLabel(examples)) return validateMultiLabel(examples, file);
  const counts = new Map<string, number>();
  for (const { label } of examples) counts.set(label, (counts.get(label) ?? 0) + 1);
  if (counts.size === 1) {
    const [label] = counts.keys();
    throw new TextcatError(`has only one class (${JSON.stringify(label)}); a classifier needs at least two`, file);
  }
  if (counts.size > MAX_CLASSES) {
    throw new TextcatError(
      `has ${counts.size} classes, more than the ${MAX_CLASSES} Textcat trains (is the label column an id or free text?)`,
      file,
    );
  }
  return singleExampleWarnings(counts);
}

/** As for single-label, over every label of every row; the class cap names the line where it is passed. */
function validateMultiLabel(examples: Example[], file: string): string[] {
  const counts = new Map<string, number>();
  for (const example of examples) {
    for (const label of example.labels ?? []) {
      const count = counts.get(label);
      if (count === undefined && counts.size === MAX_CLASSES) {
        throw new TextcatError(
          `has more than ${MAX_CLASSES} different labels by this ${example.file ? 'file' : 'line'}, more than the ${MAX_CLASSES} classes Textcat trains (is the label column an id or free text, or are labels split on the wrong separator?)`,
          example.file ?? file,
          example.line,
        );
      }
      counts.set(label, (count ?? 0) + 1);
    }
  }
  if (counts.size === 0) throw new TextcatError('has no labels: every row of this multi-label dataset has an empty label list', file);
  if (counts.size === 1) {
    const [label] = counts.keys();
    throw new TextcatError(
      `has only one class (${JSON.stringify(label)}) among its labels; a classifier needs at least two (rows with no label do not make a class)`,
      file,
    );
  }
  return singleExampleWarnings(counts);
}

function singleExampleWarnings(counts: Map<string, number>): string[] {
  const singles = [...counts].filter(([, count]) => count === 1).map(([label]) => JSON.stringify(label));
  if (singles.length === 0) return [];
  const listed = singles.slice(0, LISTED_CLASSES).join(', ');
  const more = singles.length > LISTED_CLASSES ? ` and ${singles.length - LISTED_CLASSES} more` : '';
  const subject = singles.length === 1 ? `Class ${listed} has` : `Classes ${listed}${more} have`;
  // Why it matters: the class cannot be in both the training and the validation split.
  return [`${subject} only one example, too few to both learn and check it.`];
}

async function parseFile(path: string, format: Exclude<DatasetFormat, 'folder'>, options: ReadDatasetOptions): Promise<ParsedDataset> {
  if ((await datasetStats(path)).isDirectory()) throw new TextcatError('is a folder; read it with the "folder" format', path);
  // A JSON array may be one long line; it has a limit on its whole size instead (json.ts).
  const inspector = new ByteInspector(path, { maxLineBytes: format === 'json' ? undefined : MAX_LINE_BYTES });
  const chunks = inspectedChunks(createReadStream(path, { highWaterMark: CHUNK_BYTES }), inspector);
  const result = await parseChunks(chunks, format, options, path);
  return { ...result, sha256: inspector.sha256 };
}

/**
 * What splits a label cell into labels: a delimited file's labels are joined by "|" unless told otherwise; in
 * JSON a list holds several labels, so a string is split only on a separator the caller names.
 */
function labelSeparatorFor(format: 'csv' | 'tsv' | 'jsonl' | 'json', options: ReadDatasetOptions): string | undefined {
  if (options.multiLabel === false) return undefined;
  return format === 'csv' || format === 'tsv' ? (options.labelSeparator ?? DEFAULT_LABEL_SEPARATOR) : options.labelSeparator;
}

async function parseChunks(
  chunks: AsyncIterable<Uint8Array>,
  format: Exclude<DatasetFormat, 'folder'>,
  options: ReadDatasetOptions,
  path: string,
): Promise<Omit<ParsedDataset, 'sha256'>> {
  switch (format) {
    case 'csv':
    case 'tsv':
    case 'jsonl':
    case 'json':
      return tableToExamples(tableRows(chunks, format, path), options, path, labelSeparatorFor(format, options));
    case 'fasttext':
      return { ...(await readFastText(chunks, options)), columns: formatColumns() };
    default:
      throw new TextcatError(`cannot be read as "${String(format)}"`, path);
  }
}

async function parseFolder(path: string, options: ReadDatasetOptions): Promise<ParsedDataset> {
  return { ...(await readFolder(path, options)), columns: formatColumns() };
}

/** fastText and folders say where text and label are by their shape, not by column names. */
function formatColumns(): ColumnChoice {
  return { text: 'text', label: 'label', source: 'format', confident: true, available: ['text', 'label'] };
}

/** undefined when the start holds NUL bytes or a UTF-16/32 mark. */
async function firstNonEmptyLine(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.includes(0) || detectWideEncoding(bytes)) return undefined;
    const head = stripBom(buffer.subarray(0, bytesRead).toString('utf8'));
    return (
      head
        .split('\n')
        .find((line) => line.trim() !== '')
        ?.trim() ?? ''
    );
  } finally {
    await handle.close();
  }
}

/** File-system failures become user messages; anything else is a bug and keeps its stack. */
function asTextcatError(error: unknown, path: string): unknown {
  if (errnoCode(error) === 'EISDIR') return new TextcatError('is a folder; read it with the "folder" format', path);
  return fileSystemError(error, path);
}
