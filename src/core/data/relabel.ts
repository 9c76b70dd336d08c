// Relabel as…: the label of one row of a dataset changed in place, as the smallest edit — that row's label field
// and nothing else — so the file's encoding, line endings, the quoting of every other field and the JSON layout stay
// as the user wrote them. Pure: the caller reads the file, applies the edit (a WorkspaceEdit in the editor, so it can
// be undone; an atomic rewrite in the CLI, below) and is told, before anything is written, when the row is no longer
// the one the finding was about (the file changed since it was read).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, findNodeAtLocation, type Node } from 'jsonc-parser';
import { uniqueNames } from '../datasetFormats/delimited';
import { FASTTEXT_PREFIX } from '../datasetFormats/fasttext';
import { TextcatError, type DatasetFormat } from '../types';
import { quoteField, unsafeFolderName } from './append';

/** The row as it was read (Example's fields), to find it again and to check it is still the same. */
export interface RowToRelabel {
  line: number;
  text: string;
  label: string;
  /** Folder datasets: the example's file. */
  file?: string;
}

export interface RelabelTarget {
  path: string;
  format: DatasetFormat;
  columns: { text: string; label: string };
}

export type RelabelEdit =
  /** Replace content[start, end) (UTF-16 offsets into the file's text) with `replacement`. */
  | { kind: 'replace'; start: number; end: number; replacement: string }
  /** Folder datasets: the example's file moves to the new class's folder. */
  | { kind: 'move'; from: string; to: string };

/** The edit that gives `row` the label `to`; `content` is the file's text (unused for a folder dataset). */
export function relabelEdit(content: string, dataset: RelabelTarget, row: RowToRelabel, to: string): RelabelEdit {
  const label = to.trim();
  if (label === '') throw new TextcatError('the new label is empty', dataset.path, row.line);
  switch (dataset.format) {
    case 'csv':
      return delimitedEdit(content, dataset, row, label, ',');
    case 'tsv':
      return delimitedEdit(content, dataset, row, label, '\t');
    case 'jsonl':
      return jsonLineEdit(content, dataset, row, label);
    case 'json':
      return jsonArrayEdit(content, dataset, row, label);
    case 'fasttext':
      return fastTextEdit(content, dataset, row, label);
    case 'folder':
      return folderMove(dataset, row, label);
  }
}

function changed(dataset: RelabelTarget, row: RowToRelabel, what: string): TextcatError {
  return new TextcatError(`${what}: the file changed since it was read; read it again (nothing was changed)`, dataset.path, row.line);
}

/** Offset of the first character of 1-based physical line `line` ("\n", "\r\n" and lone "\r" end a line, as the readers count). */
function lineStart(content: string, line: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const next = content.slice(offset).search(/\r\n|\r|\n/);
    if (next < 0) return -1;
    offset += next + (content.startsWith('\r\n', offset + next) ? 2 : 1);
  }
  return offset;
}

function lineEnd(content: string, start: number): number {
  const next = content.slice(start).search(/\r\n|\r|\n/);
  return next < 0 ? content.length : start + next;
}

// ---- CSV / TSV ----

interface FieldSpan {
  value: string;
  start: number;
  end: number;
}

/**
 * One record's fields from `offset`, as csv-parse reads them with the readers' options (RFC 4180 quotes, a quote
 * inside an unquoted field kept as text): each field's value and its span in `content`; and where the next record starts.
 */
function recordAt(content: string, offset: number, delimiter: string): { fields: FieldSpan[]; next: number } {
  const fields: FieldSpan[] = [];
  let i = offset;
  for (;;) {
    const start = i;
    let value = '';
    if (content[i] === '"') {
      i++;
      for (;;) {
        if (i >= content.length) break;
        if (content[i] === '"') {
          if (content[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += content[i++];
      }
      // Text after a closing quote (relaxed) belongs to the field.
      while (i < content.length && content[i] !== delimiter && content[i] !== '\n' && content[i] !== '\r') value += content[i++];
    } else {
      while (i < content.length && content[i] !== delimiter && content[i] !== '\n' && content[i] !== '\r') value += content[i++];
    }
    fields.push({ value, start, end: i });
    if (content[i] === delimiter) {
      i++;
      continue;
    }
    const next = content.startsWith('\r\n', i) ? i + 2 : i < content.length ? i + 1 : i;
    return { fields, next };
  }
}

function delimitedEdit(content: string, dataset: RelabelTarget, row: RowToRelabel, label: string, delimiter: ',' | '\t'): RelabelEdit {
  // The header: the first record that is not blank (the BOM is not part of its first name).
  let offset = content.startsWith('\ufeff') ? 1 : 0;
  let header: FieldSpan[] | undefined;
  while (offset < content.length) {
    const { fields, next } = recordAt(content, offset, delimiter);
    offset = next;
    if (fields.some((f) => f.value.trim() !== '')) {
      header = fields;
      break;
    }
  }
  const names = uniqueNames((header ?? []).map((f) => f.value));
  const textIndex = names.indexOf(dataset.columns.text);
  const labelIndex = names.indexOf(dataset.columns.label);
  if (textIndex < 0 || labelIndex < 0)
    throw changed(dataset, row, `the header no longer has the columns "${dataset.columns.text}" and "${dataset.columns.label}"`);
  const start = lineStart(content, row.line);
  if (start < 0) throw changed(dataset, row, `there is no line ${row.line}`);
  const { fields } = recordAt(content, start, delimiter);
  if (fields[textIndex]?.value.trim() !== row.text || fields[labelIndex]?.value.trim() !== row.label) {
    throw changed(dataset, row, `line ${row.line} no longer holds that row`);
  }
  const field = fields[labelIndex];
  return { kind: 'replace', start: field.start, end: field.end, replacement: quoteField(label, delimiter) };
}

// ---- JSON Lines and JSON arrays ----

function stringAt(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

function objectEdit(
  object: Node | undefined,
  base: number,
  dataset: RelabelTarget,
  row: RowToRelabel,
  label: string,
): RelabelEdit | undefined {
  if (object?.type !== 'object') return undefined;
  const text = stringAt(findNodeAtLocation(object, [dataset.columns.text]));
  const value = findNodeAtLocation(object, [dataset.columns.label]);
  if (text?.trim() !== row.text || stringAt(value)?.trim() !== row.label || !value) return undefined;
  return { kind: 'replace', start: base + value.offset, end: base + value.offset + value.length, replacement: JSON.stringify(label) };
}

function jsonLineEdit(content: string, dataset: RelabelTarget, row: RowToRelabel, label: string): RelabelEdit {
  const start = lineStart(content, row.line);
  if (start < 0) throw changed(dataset, row, `there is no line ${row.line}`);
  const text = content.slice(start, lineEnd(content, start));
  const edit = objectEdit(parseTree(text), start, dataset, row, label);
  if (!edit) throw changed(dataset, row, `line ${row.line} no longer holds that row (or its label is not a string)`);
  return edit;
}

function jsonArrayEdit(content: string, dataset: RelabelTarget, row: RowToRelabel, label: string): RelabelEdit {
  const tree = parseTree(content);
  if (tree?.type !== 'array') throw changed(dataset, row, 'it no longer holds a JSON array');
  const lineOf = (offset: number) => (content.slice(0, offset).match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
  // Elements on the row's line, then any element: a one-line array numbers its elements by position, not line.
  const candidates = [...(tree.children ?? [])].sort(
    (a, b) => Number(lineOf(b.offset) === row.line) - Number(lineOf(a.offset) === row.line),
  );
  for (const element of candidates) {
    const edit = objectEdit(element, 0, dataset, row, label);
    if (edit) return edit;
  }
  throw changed(dataset, row, 'no element holds that row any more');
}

// ---- fastText ----

function fastTextEdit(content: string, dataset: RelabelTarget, row: RowToRelabel, label: string): RelabelEdit {
  if (/\s/.test(label)) throw new TextcatError(`a fastText label cannot contain spaces: "${label}"`, dataset.path, row.line);
  const start = lineStart(content, row.line);
  if (start < 0) throw changed(dataset, row, `there is no line ${row.line}`);
  const line = content.slice(start, lineEnd(content, start));
  const match = new RegExp(`^(\\s*${FASTTEXT_PREFIX})(\\S*)`).exec(line);
  if (!match || match[2] !== row.label) throw changed(dataset, row, `line ${row.line} no longer starts with __label__${row.label}`);
  const from = start + match[1].length;
  return { kind: 'replace', start: from, end: from + match[2].length, replacement: label };
}

// ---- a folder per class ----

function folderMove(dataset: RelabelTarget, row: RowToRelabel, label: string): RelabelEdit {
  const unsafe = unsafeFolderName(label);
  if (unsafe) throw new TextcatError(`"${label}" cannot be a class folder: ${unsafe}`, dataset.path);
  if (!row.file) throw changed(dataset, row, 'the example has no file');
  const from = path.resolve(dataset.path, row.file);
  if (path.dirname(path.dirname(from)) !== path.resolve(dataset.path) || path.basename(path.dirname(from)) !== row.label) {
    throw new TextcatError(`is not in the class folder "${row.label}" of the dataset`, from);
  }
  return { kind: 'move', from, to: path.join(path.resolve(dataset.path), label, path.basename(from)) };
}

// ---- applying an edit to a file (the CLI) ----

/**
 * Applies an edit to the file on disk, atomically: the new content is written to a temporary file beside it (same
 * mode), flushed, then renamed over the original, so a killed process leaves the old file or the new one, never
 * half of each. Only UTF-8 files (with or without BOM): the bytes outside the edit are kept as they were.
 * A move refuses to replace a file already in the target folder.
 */
export function applyRelabelToFile(file: string, edit: RelabelEdit): void {
  if (edit.kind === 'move') {
    fs.mkdirSync(path.dirname(edit.to), { recursive: true });
    if (fs.existsSync(edit.to)) throw new TextcatError('already exists in the new class folder; nothing was moved', edit.to);
    fs.renameSync(edit.from, edit.to);
    return;
  }
  const bytes = fs.readFileSync(file);
  const content = bytes.toString('utf8');
  if (!Buffer.from(content, 'utf8').equals(bytes))
    throw new TextcatError('is not UTF-8; relabel it in the editor, which keeps its encoding', file);
  const updated = content.slice(0, edit.start) + edit.replacement + content.slice(edit.end);
  removeTemporariesOfDeadRuns(file);
  const temporary = path.join(path.dirname(file), `${temporaryPrefix(file)}${process.pid}-${Date.now()}`);
  const mode = fs.statSync(file).mode;
  const fd = fs.openSync(temporary, 'wx', mode);
  try {
    fs.writeSync(fd, updated);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** What the temporary copy of `file` is named, up to the writing process's id and a time. */
function temporaryPrefix(file: string): string {
  return `.${path.basename(file)}.relabel-`;
}

/**
 * A relabel killed between writing its temporary copy and the rename (SIGKILL, a power cut) leaves that copy
 * beside the dataset; the original is whole. The next relabel of the same file removes such copies, but only
 * those whose process is gone, so a relabel running now is never disturbed.
 */
function removeTemporariesOfDeadRuns(file: string): void {
  const prefix = temporaryPrefix(file);
  const folder = path.dirname(file);
  for (const name of fs.readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-\d+$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    fs.rmSync(path.join(folder, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
