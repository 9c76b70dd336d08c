// Checks on the raw bytes of a dataset, done while they stream past once: the sha256, "is this text
// at all" and "is this UTF-8". Readers never see bytes that failed a check, so a GBK file gives one
// clear message instead of a parse error about mojibake further down.

import { createHash, type Hash } from 'node:crypto';
import chardet from 'chardet';
import { TextcatError } from '../types';

/** How far into a file we look for NUL bytes; the same window git uses to call a file binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;
const NEWLINE = 0x0a;

export class ByteInspector {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytesSeen = 0;
  private linesBefore = 0;
  private digest: string | undefined;
  private readonly hash: Hash;
  /** A shared hash belongs to whoever passed it in (a folder of files), who digests it. */
  private readonly ownsHash: boolean;

  constructor(
    readonly file: string,
    sharedHash?: Hash,
  ) {
    this.hash = sharedHash ?? createHash('sha256');
    this.ownsHash = sharedHash === undefined;
  }

  /** Only valid once every chunk went through `inspect` and `finish` was called. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('ByteInspector.sha256 read before finish()');
    return this.digest;
  }

  inspect(chunk: Uint8Array): void {
    if (this.bytesSeen < BINARY_SNIFF_BYTES) this.checkNotBinary(chunk.subarray(0, BINARY_SNIFF_BYTES - this.bytesSeen));
    this.checkUtf8(chunk);
    this.hash.update(chunk);
    this.bytesSeen += chunk.length;
    this.linesBefore += countNewlines(chunk);
  }

  /** Ends the UTF-8 check (a multi-byte character cut off by the end of the file fails here). */
  finish(): void {
    try {
      this.decoder.decode();
    } catch {
      throw notUtf8(this.file, this.linesBefore + 1, null);
    }
    if (this.ownsHash) this.digest = this.hash.digest('hex');
  }

  private checkNotBinary(head: Uint8Array): void {
    if (!head.includes(0)) return;
    const encoding = chardet.detect(head);
    // UTF-16 and UTF-32 text is full of NULs too, but it is text the user can convert.
    if (encoding && /^UTF-(16|32)/i.test(encoding)) throw notUtf8(this.file, undefined, encoding);
    throw new TextcatError('looks like a binary file (it contains NUL bytes), not a text dataset', this.file);
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

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}
