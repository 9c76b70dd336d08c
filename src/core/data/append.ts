// Adds one labeled example to a dataset in its own format, without rewriting a byte of what is there:
// every write is an append (O_APPEND, so two appends at once do not clobber each other) or a new file
// (folder datasets). The file is read fresh each time (header, line endings, last byte), so edits made
// on disk since training are taken into account. A multi-label dataset's row takes several labels (or none)
// written as its reader reads them back (datasetFormats/collector.ts).

import { constants, createReadStream, lstatSync, type Stats } from 'node:fs';
import { mkdir, open, realpath, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { cleanLabels, DEFAULT_LABEL_SEPARATOR } from '../datasetFormats/collector';
import { uniqueNames } from '../datasetFormats/delimited';
import { stripBom } from '../datasetFormats/encoding';
import { FASTTEXT_PREFIX } from '../datasetFormats/fasttext';
import { FASTTEXT_EXTENSIONS, FORMAT_BY_EXTENSION } from '../datasetFormats/fileTypes';
import { csvRecord } from '../format/csv';
import { TextcatError, type DatasetFormat } from '../types';

/** Where a dataset is and which columns hold text and label: the part of a manifest's DatasetInfo we need. */
export interface AppendTarget {
  path: string;
  format: DatasetFormat;
  columns: { text: string; label: string };
  /** A multi-label dataset: a row takes a list of labels, possibly empty (DatasetInfo.multiLabel). */
  multiLabel?: boolean;
  /** What joins a multi-label row's labels in its label cell (DatasetInfo.labelSeparator; CSV/TSV default "|"). */
  labelSeparator?: string;
}

export interface AppendedExample {
  /** The file written: the dataset itself, or the (first) new file of a folder dataset. */
  file: string;
  /** A folder dataset's example with several labels: the new file in each class folder, `file` first. */
  files?: string[];
  /** 1-based line where the new example starts (1 for a folder dataset's new file). */
  line: number;
  /** Changes made to fit the format (a fastText label's spaces), phrased for a user; usually empty. */
  notes: string[];
}

const CRLF = '\r\n';
const LF = '\n';
const NEWLINE = 0x0a;
/** How far into the file we look for the first line break, to learn the file's line-ending style. */
const HEAD_BYTES = 64 * 1024;
/** Names Windows refuses for files and folders, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Throws the TextcatError appendExample would throw for this format before touching anything. */
export function assertAppendable(dataset: AppendTarget): void {
  if (dataset.format === 'json') {
    throw new TextcatError(
      'appending to a JSON array would rewrite the file; convert it to JSONL (one object per line) to add examples',
      dataset.path,
    );
  }
}

/**
 * Throws unless `dataset.path` is what its format says: an existing folder for a folder dataset, otherwise an
 * existing regular file whose ending names the format (a .csv for CSV, a .txt or .ft for fastText…). An append
 * never creates a file, and never writes into one that is not a dataset (a manifest naming `.bashrc` as CSV).
 */
export function assertDatasetFile(dataset: AppendTarget): void {
  let stats: Stats;
  try {
    stats = lstatSync(dataset.path);
  } catch (error) {
    throw asTextcatError(error, dataset.path);
  }
  if (dataset.format === 'folder') {
    if (!stats.isDirectory()) throw new TextcatError('is not a folder, so it cannot take a new example of a folder dataset', dataset.path);
    return;
  }
  if (!stats.isFile())
    throw new TextcatError(
      `is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; Textcat appends only to a dataset file`,
      dataset.path,
    );
  const ending = extname(dataset.path).toLowerCase();
  const named = FORMAT_BY_EXTENSION[ending] ?? (FASTTEXT_EXTENSIONS.has(ending) ? 'fasttext' : undefined);
  if (named !== dataset.format) {
    throw new TextcatError(
      `is not a ${dataset.format} dataset file by its name (${ending || 'no ending'}); Textcat appends only to dataset files`,
      dataset.path,
    );
  }
}

/**
 * Appends `text` with its label: one string, or (multi-label datasets) a list of labels, which may be empty (a
 * negative for every class) except in a folder dataset, where each label is a class folder. A single-label
 * dataset takes exactly one label, given as a string or a list of one.
 */
export async function appendExample(dataset: AppendTarget, text: string, label: string | readonly string[]): Promise<AppendedExample> {
  assertAppendable(dataset);
  assertDatasetFile(dataset);
  if (text.trim() === '') throw new TextcatError('cannot add an example with an empty text', dataset.path);
  const labels = rowLabels(dataset, label);
  try {
    switch (dataset.format) {
      case 'csv':
        return await appendDelimited(dataset, text, labelCellText(dataset, labels), ',');
      case 'tsv':
        return await appendDelimited(dataset, text, labelCellText(dataset, labels), '\t');
      case 'jsonl':
        return await appendLine(
          dataset.path,
          JSON.stringify({ [dataset.columns.text]: text, [dataset.columns.label]: jsonLabel(dataset, labels) }),
          [],
        );
      case 'fasttext':
        return await appendFastText(dataset.path, text, labels);
      case 'folder':
        return await writeFolderExample(dataset.path, text, labels);
      case 'json':
        throw new Error('unreachable: refused by assertAppendable');
    }
  } catch (error) {
    throw asTextcatError(error, dataset.path);
  }
}

/** The row's labels as given (single-label, the one label untouched), or cleaned as the reader cleans them. */
function rowLabels(dataset: AppendTarget, label: string | readonly string[]): string[] {
  if (dataset.multiLabel === true) {
    const labels = cleanLabels(typeof label === 'string' ? [label] : label);
    if (labels.length === 0 && dataset.format === 'folder') {
      throw new TextcatError('cannot add an example with no label to a folder dataset: each label is a class folder', dataset.path);
    }
    return labels;
  }
  const given = typeof label === 'string' ? [label] : label.filter((l) => l.trim() !== '');
  if (given.length > 1) {
    throw new TextcatError(
      `cannot add an example with ${given.length} labels: the dataset is single-label, one label per example`,
      dataset.path,
    );
  }
  if (given.length === 0 || given[0].trim() === '') throw new TextcatError('cannot add an example with an empty label', dataset.path);
  return given;
}

/** A multi-label row's separator: the dataset's own, "|" for a delimited one that names none. */
function separatorOf(dataset: AppendTarget): string | undefined {
  if (dataset.multiLabel !== true) return undefined;
  const named = dataset.labelSeparator !== undefined && dataset.labelSeparator !== '' ? dataset.labelSeparator : undefined;
  return named ?? (dataset.format === 'csv' || dataset.format === 'tsv' ? DEFAULT_LABEL_SEPARATOR : undefined);
}

/** The labels joined by the separator; a label holding it would read back as two, so it is refused. */
function joinedLabels(dataset: AppendTarget, labels: readonly string[], separator: string): string {
  const split = labels.find((l) => l.includes(separator));
  if (split !== undefined) {
    throw new TextcatError(
      `cannot write the label ${JSON.stringify(split)}: it contains ${JSON.stringify(separator)}, which separates this dataset's labels`,
      dataset.path,
    );
  }
  return labels.join(separator);
}

function labelCellText(dataset: AppendTarget, labels: readonly string[]): string {
  const separator = separatorOf(dataset);
  return separator === undefined ? labels[0] : joinedLabels(dataset, labels, separator);
}

/** JSONL: one label as a string (single-label), a multi-label row's labels as a list, or joined when the dataset joins them. */
function jsonLabel(dataset: AppendTarget, labels: readonly string[]): string | readonly string[] {
  if (dataset.multiLabel !== true) return labels[0];
  const separator = separatorOf(dataset);
  return separator === undefined ? labels : joinedLabels(dataset, labels, separator);
}

// ---- CSV / TSV ----

async function appendDelimited(dataset: AppendTarget, text: string, label: string, delimiter: ',' | '\t'): Promise<AppendedExample> {
  const header = await readHeader(dataset.path, delimiter);
  const textIndex = header.indexOf(dataset.columns.text);
  const labelIndex = header.indexOf(dataset.columns.label);
  const missing = [textIndex === -1 && dataset.columns.text, labelIndex === -1 && dataset.columns.label].filter(
    (c): c is string => typeof c === 'string',
  );
  if (missing.length > 0) {
    const columns = missing.map((c) => `"${c}"`).join(' and ');
    throw new TextcatError(
      `the header no longer has the column ${columns} the model was trained with (it has ${header.map((c) => `"${c}"`).join(', ')})`,
      dataset.path,
      1,
    );
  }
  const fields = header.map(() => '');
  fields[textIndex] = text;
  fields[labelIndex] = label;
  return appendLine(dataset.path, csvRecord(fields, delimiter), []);
}

/** One field as it is written into a delimited dataset (core/format/csv.ts's rule). */
export function quoteField(field: string, delimiter: ',' | '\t'): string {
  return csvRecord([field], delimiter);
}

/** The first non-blank record, named as the reader names columns (blank and repeated names made unique). */
async function readHeader(path: string, delimiter: ',' | '\t'): Promise<string[]> {
  // The same parser options as the reader (datasetFormats/delimited.ts), so both see the same header.
  const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  // pipeline hands a read error (no such file) to the parser, so the loop below throws it.
  const source = createReadStream(path);
  pipeline(source, parser, () => {});
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (record.some((field) => field.trim() !== '')) return uniqueNames(record);
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
  throw new TextcatError('is empty; it needs a header line before examples can be added', path);
}

// ---- fastText ----

async function appendFastText(path: string, text: string, labels: readonly string[]): Promise<AppendedExample> {
  const notes: string[] = [];
  const safeLabels: string[] = [];
  for (const label of labels) {
    const safeLabel = label.trim().replace(/\s+/g, '_');
    if (safeLabel !== label.trim()) notes.push(`fastText labels cannot hold spaces: "${label.trim()}" was written as "${safeLabel}".`);
    if (!safeLabels.includes(safeLabel)) safeLabels.push(safeLabel);
  }
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (flat !== text.trim()) notes.push('fastText keeps one example per line: the line breaks in the text were written as spaces.');
  // The reader strips every leading __label__ token from the text; such a text would lose its start.
  if (flat.startsWith(FASTTEXT_PREFIX))
    throw new TextcatError(`cannot add a text that starts with ${FASTTEXT_PREFIX}: fastText would read it as a label`, path);
  // A multi-label row with no label is its text alone: the reader takes a line without __label__ as one with none.
  return appendLine(path, [...safeLabels.map((label) => FASTTEXT_PREFIX + label), flat].join(' '), notes);
}

// ---- line-based files (CSV, TSV, JSONL, fastText) ----

/**
 * Appends `row` as the file's new last line, in the file's line-ending style; when the file does not end
 * with a line break, one goes first (in the same write, so the row never glues onto the last line).
 */
async function appendLine(path: string, row: string, notes: string[]): Promise<AppendedExample> {
  const shape = await fileShape(path);
  const eol = shape.eol;
  const lead = shape.size > 0 && !shape.endsWithNewline ? eol : '';
  const line = shape.newlines + (lead ? 1 : 0) + 1;
  // O_NOFOLLOW: a dataset swapped for a symbolic link after it was checked is not followed.
  const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0));
  try {
    await handle.writeFile(lead + row + eol, 'utf8');
  } finally {
    await handle.close();
  }
  return { file: path, line, notes };
}

interface FileShape {
  size: number;
  eol: string;
  endsWithNewline: boolean;
  /** Line breaks in the file, so the new row's line number is this plus one. */
  newlines: number;
}

async function fileShape(path: string): Promise<FileShape> {
  const { size } = await stat(path);
  if (size === 0) return { size, eol: LF, endsWithNewline: false, newlines: 0 };
  const handle = await open(path, 'r');
  let eol = LF;
  let endsWithNewline: boolean;
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    const first = head.indexOf(NEWLINE);
    if (first > 0 && head[first - 1] === 0x0d) eol = CRLF;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    endsWithNewline = last[0] === NEWLINE;
  } finally {
    await handle.close();
  }
  return { size, eol, endsWithNewline, newlines: await countNewlines(path) };
}

async function countNewlines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) count++;
  }
  return count;
}

// ---- folder of class subfolders ----

/**
 * One new file in the label's class folder; with several labels, a file of the same name in each label's folder,
 * which the reader takes as one example with those labels (datasetFormats/folder.ts).
 */
async function writeFolderExample(root: string, text: string, labels: readonly string[]): Promise<AppendedExample> {
  const names = labels.map((label) => label.trim());
  for (const name of names) {
    const problem = unsafeFolderName(name);
    if (problem) throw new TextcatError(`cannot use the label ${JSON.stringify(name)} as a class folder name: ${problem}`, root);
  }
  if (!(await stat(root)).isDirectory()) throw new TextcatError('is not a folder', root);
  const folders: string[] = [];
  const real = new Map<string, string>();
  for (const name of names) {
    const folder = await classFolder(root, name);
    // Two labels of one folder (Joy and joy where case is ignored) would take the same file name twice.
    const same = real.get(folder.real);
    if (same !== undefined)
      throw new TextcatError(`the labels ${JSON.stringify(same)} and ${JSON.stringify(name)} are the same class folder here`, root);
    real.set(folder.real, name);
    folders.push(folder.path);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // 'wx' fails on an existing name instead of overwriting it; the counter then picks the next one.
  for (let n = 1; ; n++) {
    const files = folders.map((folder) => join(folder, `${stamp}-${n}.txt`));
    if (await writeNewFiles(files, stripBom(text))) {
      const notes = files.length > 1 ? [`Written as ${files.length} files of the same name, one in each label's class folder.`] : [];
      return { file: files[0], ...(files.length > 1 ? { files } : {}), line: 1, notes };
    }
  }
}

/** `root`/`name`, made when missing; a class folder that is a symbolic link out of the dataset (a cloned repository can commit one) takes nothing. */
async function classFolder(root: string, name: string): Promise<{ path: string; real: string }> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  const [realRoot, realFolder] = await Promise.all([realpath(root), realpath(folder)]);
  if (dirname(realFolder) !== realRoot)
    throw new TextcatError(`resolves to ${realFolder}, outside the dataset folder; Textcat does not write there`, folder);
  return { path: folder, real: realFolder };
}

/**
 * Writes `text` to every one of `files`, all new: false when one of the names exists already, after removing
 * the ones this call wrote (so a retry under the next name leaves no half example behind).
 */
async function writeNewFiles(files: readonly string[], text: string): Promise<boolean> {
  const written: string[] = [];
  try {
    for (const file of files) {
      await writeFile(file, text, { encoding: 'utf8', flag: 'wx' });
      written.push(file);
    }
    return true;
  } catch (error) {
    await Promise.all(written.map((file) => unlink(file).catch(() => undefined)));
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/** Why `name` cannot be a class folder (undefined when it can). */
export function unsafeFolderName(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  if (name === '.' || name === '..') return 'it names a folder above or this one';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (name.startsWith('.')) return 'it starts with a dot, and hidden folders are not read as classes';
  if (Buffer.byteLength(name, 'utf8') > 255) return 'it is longer than a file name may be';
  if (process.platform === 'win32' && (/[<>:"|?*]/.test(name) || WINDOWS_RESERVED.test(name) || /[. ]$/.test(name))) {
    return 'Windows does not allow it as a folder name';
  }
  return undefined;
}

function asTextcatError(error: unknown, path: string): unknown {
  if (error instanceof TextcatError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new TextcatError('does not exist (was it moved or deleted since training?)', path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new TextcatError('cannot be written (permission denied)', path);
  if (code === 'EISDIR') return new TextcatError('is a folder, not a file', path);
  if (code === 'ELOOP') return new TextcatError('is a symbolic link; Textcat does not follow it to append', path);
  return error;
}
