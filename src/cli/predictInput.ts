// What `textcat predict` labels: files, pipes (`<(grep …)`) or standard input. Tables (CSV, TSV, JSONL, JSON)
// are read by training's readers with its column choice and limits, so only the text column is labeled;
// anything else is plain text, line by line (fastText lines without their labels). Plain text is read
// leniently (bad UTF-8 becomes U+FFFD: a log in another encoding still gets labels), with the same limits as a
// dataset (no NUL, no line over 8 MiB, UTF-16/32 named), so /dev/zero or a binary stops at once.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ByteInspector, inspectedChunks } from '../core/datasetFormats/encoding';
import { MAX_LINE_BYTES } from '../core/datasetFormats/limits';
import { isTableFormat } from '../core/datasetFormats/tableRows';
import {
  readTextBatches,
  textFormatOf,
  type ReadTextsOptions,
  type TextFormat,
  type TextsLayout,
  type TextToLabel,
} from '../core/datasetFormats/textsToLabel';
import { describeFileType, fileSystemError } from '../core/fsErrors';
import { TextcatError } from '../core/types';

export interface InputText extends TextToLabel {
  /** As given on the command line (`-` for standard input). */
  source: string;
}

export interface InputOptions extends Omit<ReadTextsOptions, 'onLayout'> {
  /** undefined: by each file's extension (tables) or its first line (fastText), else line by line. */
  format?: TextFormat;
  onLayout?: (source: string, layout: TextsLayout) => void;
}

export const STDIN = '-';

export function shownName(source: string): string {
  return source === STDIN ? 'standard input' : source;
}

/** The format a source is read in before its content is seen (undefined: plain text or fastText). */
export function inputFormat(source: string, given: TextFormat | undefined): TextFormat | undefined {
  return given ?? (source === STDIN ? undefined : textFormatOf(source));
}

/** Each source's texts, several at a time (readTextBatches), each with its source. */
export async function* inputTexts(sources: readonly string[], options: InputOptions = {}): AsyncGenerator<InputText[]> {
  for (const source of sources.length ? sources : [STDIN]) {
    const shown = shownName(source);
    const format = inputFormat(source, options.format);
    const inspector = new ByteInspector(shown, {
      // A JSON array may be one long line; it has a limit on its whole size instead (json.ts).
      maxLineBytes: format === 'json' ? undefined : MAX_LINE_BYTES,
      // Tables are data, checked as strictly as training checks them.
      checkUtf8: isTableFormat(format),
    });
    const chunks = inspectedChunks(openSource(source), inspector);
    const onLayout = (layout: TextsLayout) => options.onLayout?.(source, layout);
    try {
      for await (const texts of readTextBatches(chunks, format, { ...options, onLayout }, shown))
        yield texts.map((text) => ({ source, ...text }));
    } catch (error) {
      throw fileSystemError(error, shown);
    }
  }
}

function openSource(source: string): AsyncIterable<Uint8Array> {
  if (source === STDIN) return process.stdin;
  checkReadable(source);
  return fs.createReadStream(source, { highWaterMark: 64 * 1024 });
}

/** Regular files, pipes and terminals: a folder, a socket or a device such as /dev/zero is refused by type. */
function checkReadable(source: string): void {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(source);
  } catch (error) {
    throw fileSystemError(error, source);
  }
  if (stats.isFile() || stats.isFIFO()) return;
  if (stats.isCharacterDevice() && isTerminal(source)) return;
  const hint = stats.isDirectory() ? '; give the files in it' : '; give a text file, or - for standard input';
  throw new TextcatError(`is ${describeFileType(stats)}, not a text file${hint}`, source);
}

function isTerminal(source: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(source, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    return tty.isatty(fd);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
