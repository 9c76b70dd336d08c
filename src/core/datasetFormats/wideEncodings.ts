// UTF-16 and UTF-32 text is full of NUL bytes, like binary data, but it is text the user can convert. Told
// apart from the start of a file: by its byte order mark, or by how its NULs fall (every other byte for
// UTF-16 of mostly Latin text, three bytes of four for UTF-32). A file of NULs, or of text then NULs, is neither.

export type WideEncoding = 'UTF-32LE' | 'UTF-32BE' | 'UTF-16LE' | 'UTF-16BE';

/** Bytes of the start looked at; enough for the pattern, small enough to be free. */
const SAMPLE_BYTES = 4096;
/** Real text has few NUL characters: above this share of zero code units it is binary. */
const MAX_ZERO_UNITS = 0.1;
/** UTF-16 whose NULs we see is mostly characters below U+0100 (that is where the zero bytes come from). */
const MIN_LATIN_UNITS = 0.3;

export function detectWideEncoding(head: Uint8Array): WideEncoding | undefined {
  return byBom(head) ?? (head.includes(0) ? byPattern(head.subarray(0, SAMPLE_BYTES)) : undefined);
}

function byBom(b: Uint8Array): WideEncoding | undefined {
  // UTF-32LE's mark starts like UTF-16LE's, so it is tried first.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32LE';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32BE';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16LE';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE';
  return undefined;
}

function byPattern(sample: Uint8Array): WideEncoding | undefined {
  for (const littleEndian of [true, false]) {
    if (looksLikeUtf32(sample, littleEndian)) return littleEndian ? 'UTF-32LE' : 'UTF-32BE';
  }
  for (const littleEndian of [true, false]) {
    if (looksLikeUtf16(sample, littleEndian)) return littleEndian ? 'UTF-16LE' : 'UTF-16BE';
  }
  return undefined;
}

function looksLikeUtf32(bytes: Uint8Array, littleEndian: boolean): boolean {
  const units = Math.floor(bytes.length / 4);
  if (units === 0) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, units * 4);
  let zeros = 0;
  for (let i = 0; i < units; i++) {
    const unit = view.getUint32(4 * i, littleEndian);
    if (unit > 0x10ffff || (unit >= 0xd800 && unit <= 0xdfff)) return false;
    if (unit === 0) zeros++;
  }
  return zeros / units <= MAX_ZERO_UNITS;
}

function looksLikeUtf16(bytes: Uint8Array, littleEndian: boolean): boolean {
  const units = Math.floor(bytes.length / 2);
  if (units === 0) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, units * 2);
  let zeros = 0;
  let latin = 0;
  for (let i = 0; i < units; i++) {
    const unit = view.getUint16(2 * i, littleEndian);
    if (unit === 0) zeros++;
    else if (unit < 0x100) latin++;
    // A low surrogate must follow a high one (the sample may cut a pair at its end).
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const next = i + 1 < units ? view.getUint16(2 * (i + 1), littleEndian) : undefined;
    if (isHigh && next !== undefined && !(next >= 0xdc00 && next <= 0xdfff)) return false;
    if (unit >= 0xdc00 && unit <= 0xdfff && !(i > 0 && isHighSurrogate(view.getUint16(2 * (i - 1), littleEndian)))) return false;
  }
  return zeros / units <= MAX_ZERO_UNITS && latin / units >= MIN_LATIN_UNITS;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
