// Reads a labeled dataset (CSV, TSV, JSONL, JSON, fastText or a folder per class) into examples.
// Every problem with the user's data comes out as a TextcatError naming the file and line; the
// format readers live in ./datasetFormats/, this module picks one and checks what it returns.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { TextcatError, type ColumnChoice, type DatasetFormat, type Example, type LoadedDataset, type ReadDatasetOptions } from './types';
import { delimitedRows } from './datasetFormats/delimited';
import { ByteInspector, inspectedChunks, stripBom } from './datasetFormats/encoding';
import { FASTTEXT_PREFIX, readFastText } from './datasetFormats/fasttext';
import { FASTTEXT_EXTENSIONS, FORMAT_BY_EXTENSION } from './datasetFormats/fileTypes';
import { readFolder } from './datasetFormats/folder';
import { jsonArrayRows, jsonLinesRows } from './datasetFormats/json';
import { tableToExamples } from './datasetFormats/table';

/** Enough of a file's start to find its first non-empty line. */
const SNIFF_BYTES = 64 * 1024;
/** Classes named one by one in the "only one example" warning before we just count the rest. */
const LISTED_CLASSES = 5;

interface ParsedDataset {
  columns: ColumnChoice;
  examples: Example[];
  warnings: string[];
  sha256: string;
}

export async function readDataset(path: string, options: ReadDatasetOptions = {}): Promise<LoadedDataset> {
  try {
    const format = options.format ?? (await detectFormat(path));
    const parsed = format === 'folder' ? await parseFolder(path) : await parseFile(path, format, options);
    const warnings = [...parsed.warnings, ...validateExamples(parsed.examples, path)];
    return { path, format, columns: parsed.columns, examples: parsed.examples, warnings, sha256: parsed.sha256 };
  } catch (error) {
    throw asTextcatError(error, path);
  }
}

export async function detectFormat(path: string): Promise<DatasetFormat> {
  try {
    if ((await stat(path)).isDirectory()) return 'folder';
    const extension = extname(path).toLowerCase();
    const byExtension = FORMAT_BY_EXTENSION[extension];
    if (byExtension) return byExtension;
    if (FASTTEXT_EXTENSIONS.has(extension)) {
      if ((await firstNonEmptyLine(path)).startsWith(FASTTEXT_PREFIX)) return 'fasttext';
      throw new TextcatError(
        `is a ${extension} file whose first line does not start with ${FASTTEXT_PREFIX}, so it is not in fastText format`,
        path,
      );
    }
    throw new TextcatError(
      `has an unknown dataset type "${extension || '(no extension)'}"; use .csv, .tsv, .jsonl, .json, fastText .txt or a folder per class`,
      path,
    );
  } catch (error) {
    throw asTextcatError(error, path);
  }
}

/** Throws when there is nothing to train on; returns warnings for what merely looks wrong. */
export function validateExamples(examples: Example[], file: string): string[] {
  if (examples.length === 0) throw new TextcatError('has no examples', file);
  const counts = new Map<string, number>();
  for (const { label } of examples) counts.set(label, (counts.get(label) ?? 0) + 1);
  if (counts.size === 1) {
    const [label] = counts.keys();
    throw new TextcatError(`has only one class (${JSON.stringify(label)}); a classifier needs at least two`, file);
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
  const inspector = new ByteInspector(path);
  const chunks = inspectedChunks(createReadStream(path), inspector);
  const result = await parseChunks(chunks, format, options, path);
  return { ...result, sha256: inspector.sha256 };
}

async function parseChunks(
  chunks: AsyncIterable<Uint8Array>,
  format: Exclude<DatasetFormat, 'folder'>,
  options: ReadDatasetOptions,
  path: string,
): Promise<Omit<ParsedDataset, 'sha256'>> {
  switch (format) {
    case 'csv':
      return tableToExamples(delimitedRows(chunks, ',', path), options, path);
    case 'tsv':
      return tableToExamples(delimitedRows(chunks, '\t', path), options, path);
    case 'jsonl':
      return tableToExamples(jsonLinesRows(chunks, path), options, path);
    case 'json':
      return tableToExamples(jsonArrayRows(chunks, path), options, path);
    case 'fasttext':
      return { ...(await readFastText(chunks)), columns: formatColumns() };
  }
}

async function parseFolder(path: string): Promise<ParsedDataset> {
  return { ...(await readFolder(path)), columns: formatColumns() };
}

/** fastText and folders say where text and label are by their shape, not by column names. */
function formatColumns(): ColumnChoice {
  return { text: 'text', label: 'label', source: 'format', confident: true, available: ['text', 'label'] };
}

async function firstNonEmptyLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
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
  if (error instanceof TextcatError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new TextcatError('does not exist', path);
  if (code === 'EACCES' || code === 'EPERM') return new TextcatError('cannot be read (permission denied)', path);
  if (code === 'EISDIR') return new TextcatError('is a folder; read it with the "folder" format', path);
  return error;
}
