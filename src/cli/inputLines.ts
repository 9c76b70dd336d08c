// The lines `textcat predict` labels: files, pipes (`<(grep …)`) or standard input, read as a stream with the
// same limits as a dataset (no NUL, no line over 8 MiB, UTF-16/32 named), so /dev/zero or a binary stops at
// once. Bad UTF-8 is kept as U+FFFD: a log file in another encoding still gets labels.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ByteInspector, inspectedChunks } from '../core/datasetFormats/encoding';
import { MAX_LINE_BYTES } from '../core/datasetFormats/limits';
import { numberedLines } from '../core/datasetFormats/lines';
import { describeFileType, fileSystemError } from '../core/fsErrors';
import { TextcatError } from '../core/types';

export interface InputLine {
  source: string;
  line: number;
  text: string;
}

export const STDIN = '-';

export async function* inputLines(sources: readonly string[]): AsyncGenerator<InputLine> {
  for (const source of sources.length ? sources : [STDIN]) {
    const shown = source === STDIN ? 'standard input' : source;
    const inspector = new ByteInspector(shown, { maxLineBytes: MAX_LINE_BYTES, checkUtf8: false });
    try {
      for await (const { text, line } of numberedLines(inspectedChunks(openSource(source), inspector))) yield { source, line, text };
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
