// Output written as bytes into one growing buffer instead of as strings: `textcat predict --json` writes about 150
// bytes for every line of a log, and building them as strings (a template per line, six numbers, the join of a
// batch, then its UTF-8 encoding) was about a third of a million-line run's time, most of it on the thread that
// also reads the input.

const encoder = new TextEncoder();

export class OutputBytes {
  private buffer: Uint8Array;
  private length = 0;

  constructor(expected = 1 << 16) {
    this.buffer = new Uint8Array(expected);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.length + bytes, 2 * this.buffer.length));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(code: number): void {
    this.room(1);
    this.buffer[this.length++] = code;
  }

  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.room(text.length * 3); // a UTF-16 unit is at most 3 bytes of UTF-8 (a pair of them, 4)
    this.length += encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /** A non-negative integer below 2^53, in decimal. */
  integer(n: number): void {
    let width = 1;
    for (let p = 10; p <= n; p *= 10) width++;
    this.digits(n, width);
  }

  /**
   * "0." and the digits of `value` / 10^places (value below 10^places), zero-padded on the left to `places` and
   * without trailing zeros: 0.5 is (5, 1) or (500000, 6), written "0.5". `value` must not be 0.
   */
  fraction(value: number, places: number): void {
    while (value % 10 === 0) {
      value /= 10;
      places--;
    }
    this.byte(48);
    this.byte(46);
    this.digits(value, places);
  }

  /** The last `width` decimal digits of a non-negative integer, zero-padded on the left. */
  private digits(value: number, width: number): void {
    this.room(width);
    for (let at = this.length + width - 1; at >= this.length; at--, value = (value - (value % 10)) / 10)
      this.buffer[at] = 48 + (value % 10);
    this.length += width;
  }

  /** The bytes written so far (a view of the buffer, valid until the next write). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** A string's UTF-8 bytes, for pieces written many times (keys, labels). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
