// Checks on the raw bytes of a dataset, done while they stream past once: the sha256, "is this text
// at all" and "is this UTF-8". Readers never see bytes that failed a check, so a GBK file gives one
// clear message instead of a parse error about mojibake further down.

import { createHash, type Hash } from 'node:crypto';
import chardet from 'chardet';
import { TextcatError } from '../types';
import { mebibytes } from './limits';
import { detectWideEncoding } from './wideEncodings';

const NEWLINE = 0x0a;

export interface InspectOptions {
  /** A shared hash belongs to whoever passed it in (a folder of files), who digests it. */
  sharedHash?: Hash;
  /** Longest line allowed, in bytes (undefined: no limit, for formats read whole such as a JSON array). */
  maxLineBytes?: number;
  /** What one line is, for the message when it is too long. */
  lineUnit?: string;
  /** False for text read leniently (lines to predict), where bad UTF-8 becomes U+FFFD instead of an error. */
  checkUtf8?: boolean;
}

export class ByteInspector {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytesSeen = 0;
  private linesBefore = 0;
  private lineBytes = 0;
  private digest: string | undefined;
  private readonly hash: Hash;
  private readonly ownsHash: boolean;

  constructor(
    readonly file: string,
    private readonly options: InspectOptions = {},
  ) {
    this.hash = options.sharedHash ?? createHash('sha256');
    this.ownsHash = options.sharedHash === undefined;
  }

  /** Only valid once every chunk went through `inspect` and `finish` was called. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('ByteInspector.sha256 read before finish()');
    return this.digest;
  }

  inspect(chunk: Uint8Array): void {
    if (this.bytesSeen === 0) this.checkStart(chunk);
    this.checkNoNul(chunk);
    if (this.options.checkUtf8 !== false) this.checkUtf8(chunk);
    this.countLines(chunk);
    this.hash.update(chunk);
    this.bytesSeen += chunk.length;
  }

  /** Ends the UTF-8 check (a multi-byte character cut off by the end of the file fails here). */
  finish(): void {
    try {
      if (this.options.checkUtf8 !== false) this.decoder.decode();
    } catch {
      throw notUtf8(this.file, this.linesBefore + 1, null);
    }
    if (this.ownsHash) this.digest = this.hash.digest('hex');
  }

  /** UTF-16 and UTF-32 are named as such (by their mark, or their pattern of NULs) before anything else. */
  private checkStart(head: Uint8Array): void {
    const wide = detectWideEncoding(head);
    if (wide) throw notUtf8(this.file, undefined, wide);
  }

  /** Any NUL stops reading at once: a text dataset has none, and a 2 GB sparse file should not be read to its end. */
  private checkNoNul(chunk: Uint8Array): void {
    const at = chunk.indexOf(0);
    if (at === -1) return;
    const line = this.linesBefore + countNewlines(chunk.subarray(0, at)) + 1;
    throw new TextcatError('looks like a binary file (it contains a NUL byte), not text', this.file, line);
  }

  private checkUtf8(chunk: Uint8Array): void {
    try {
      // stream: true keeps a character split across two chunks pending instead of failing on it.
      this.decoder.decode(chunk, { stream: true });
    } catch {
      const offset = firstInvalidUtf8Offset(chunk);
      const line = this.linesBefore + countNewlines(chunk.subarray(0, offset)) + 1;
      throw notUtf8(this.file, line, chardet.detect(chunk));
    }
  }

  /** Counts lines, and stops at one longer than the limit (a file without line breaks, or not text at all). */
  private countLines(chunk: Uint8Array): void {
    const max = this.options.maxLineBytes ?? Infinity;
    let from = 0;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) {
      if (this.lineBytes + (i - from) > max) throw this.lineTooLong(max);
      this.linesBefore++;
      this.lineBytes = 0;
      from = i + 1;
    }
    this.lineBytes += chunk.length - from;
    if (this.lineBytes > max) throw this.lineTooLong(max);
  }

  private lineTooLong(max: number): TextcatError {
    const line = this.linesBefore + 1;
    const unit = this.options.lineUnit ?? 'line';
    return new TextcatError(
      `${unit} ${line} is longer than ${mebibytes(max)}, the most Textcat reads in one ${unit}; is this a text dataset with one example per ${unit}?`,
      this.file,
      line,
    );
  }
}

/** Passes chunks through unchanged after `inspector` has seen them, then finishes it. */
export async function* inspectedChunks(source: AsyncIterable<Uint8Array>, inspector: ByteInspector): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    inspector.inspect(chunk);
    yield chunk;
  }
  inspector.finish();
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function notUtf8(file: string, line: number | undefined, detected: string | null): TextcatError {
  const known = detected && !/^(UTF-8|ASCII)$/i.test(detected) ? detected : undefined;
  const looksLike = known ? ` (it looks like ${known})` : '';
  const from = known ?? '<its encoding>';
  return new TextcatError(`is not UTF-8${looksLike}; convert it to UTF-8, e.g. iconv -f ${from} -t UTF-8 input > output`, file, line);
}

/**
 * Where the first byte that breaks UTF-8 is, found by bisecting on prefixes (only on the error path,
 * so clarity beats speed). Leading continuation bytes belong to a character begun in the previous
 * chunk, which that chunk's decoder already accepted, so they are skipped.
 */
function firstInvalidUtf8Offset(chunk: Uint8Array): number {
  let start = 0;
  while (start < 3 && start < chunk.length && (chunk[start] & 0xc0) === 0x80) start++;
  const body = chunk.subarray(start);
  let valid = 0;
  let invalid = body.length;
  while (invalid - valid > 1) {
    const middle = (valid + invalid) >> 1;
    if (isValidUtf8Prefix(body.subarray(0, middle))) valid = middle;
    else invalid = middle;
  }
  return start + valid;
}

function isValidUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}
