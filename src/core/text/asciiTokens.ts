// The tokenizer's fast path (docs/tokenizer.md, step 3): for stretches of ASCII, a hand-written scanner gives
// exactly the segments and word-like statuses of `Intl.Segmenter('en', { granularity: 'word' | 'grapheme' })`,
// without calling into ICU. Everything that is not ASCII still goes through the segmenter; the differential test
// (test/unit/tokenizerFastPath.test.ts) compares the two paths on the vectors, a fuzzer and every shared dataset.
//
// Why it is exact. NFKC leaves ASCII as it is, and lowercasing ASCII only maps A–Z to a–z. On ASCII the word break
// rules of UAX #29 as ICU 77+ implements them (word.txt; no ASCII character is Extend, Format, ZWJ, Katakana,
// Hebrew_Letter or Regional_Indicator) reduce to these classes and rules:
//   Letter A–Z a–z · Numeric 0–9 · MidLetter `:` · MidNumLetQ `.` `'` · MidNum `,` `;` · ExtendNumLet `_` ·
//   WSegSpace U+0020 · CR, LF, Newline (U+000B, U+000C) · Other (everything else, the tab included).
//   Letter|Numeric × Letter|Numeric (WB5, 8, 9, 10); Letter × (MidLetter|MidNumLetQ) Letter and
//   Letter (MidLetter|MidNumLetQ) × Letter (WB6, 7); Numeric × (MidNum|MidNumLetQ) Numeric and its mirror
//   (WB11, 12); (Letter|Numeric|ExtendNumLet) × ExtendNumLet and ExtendNumLet × (Letter|Numeric) (WB13a, b);
//   whitespace joins only whitespace (WB3, 3d); every other pair breaks (WB999).
// A segment is word-like when ICU's rule status at its end is a number or letter status: any segment that holds a
// letter or digit, or joined characters (`__` matches `$ExtendNumLet $ExtendNumLet {200}`); a lone character
// that no rule joins (`_`, `.`, `@`…) has status 0. Graphemes of ASCII are single characters (CR LF is one,
// whitespace, dropped anyway).
//
// Where a stretch may end. The line is already cut into pieces at points where no rule joins across
// (tokenizer.ts `nextCut`); inside a piece the scanner and the segmenter meet only at the same kind of point:
// before ASCII whitespace whose preceding code point is not whitespace, a format character or a Prepend letter.
// So the tokens of the stretches, concatenated, are those of the whole piece.

const LETTER = 1;
const DIGIT = 2;
const MID_LETTER = 3; // `:`
const MID_NUM_LET = 4; // `.` `'`
const MID_NUM = 5; // `,` `;`
const UNDERSCORE = 6;
const SPACE = 7; // any ASCII whitespace: whitespace segments are never tokens, so how they group does not matter
const OTHER = 8;

/** Word-break class of each ASCII code unit. */
const WORD_CLASS = new Uint8Array(128).fill(OTHER);
for (let c = 0x41; c <= 0x5a; c++) WORD_CLASS[c] = WORD_CLASS[c + 0x20] = LETTER;
for (let c = 0x30; c <= 0x39; c++) WORD_CLASS[c] = DIGIT;
WORD_CLASS[0x3a] = MID_LETTER;
WORD_CLASS[0x2e] = WORD_CLASS[0x27] = MID_NUM_LET;
WORD_CLASS[0x2c] = WORD_CLASS[0x3b] = MID_NUM;
WORD_CLASS[0x5f] = UNDERSCORE;
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) WORD_CLASS[c] = SPACE;

/** ASCII punctuation (`\p{P}`): dropped in char mode unless keepPunctuation. */
const PUNCTUATION = new Uint8Array(128);
for (let c = 0; c < 128; c++) PUNCTUATION[c] = /\p{P}/u.test(String.fromCharCode(c)) ? 1 : 0;

function isWordChar(k: number): boolean {
  return k === LETTER || k === DIGIT;
}

/** Whether the class at `i` joins the word that ends just before it (prev: class at i-1, next: class at i+1, 0 past the end). */
function joins(prevPrev: number, prev: number, k: number, next: number): boolean {
  if (isWordChar(prev) && isWordChar(k)) return true;
  if (k === UNDERSCORE) return isWordChar(prev) || prev === UNDERSCORE;
  if (prev === UNDERSCORE) return isWordChar(k);
  if (prev === LETTER && (k === MID_LETTER || k === MID_NUM_LET)) return next === LETTER;
  if (prev === DIGIT && (k === MID_NUM || k === MID_NUM_LET)) return next === DIGIT;
  if (k === LETTER && (prev === MID_LETTER || prev === MID_NUM_LET)) return prevPrev === LETTER;
  if (k === DIGIT && (prev === MID_NUM || prev === MID_NUM_LET)) return prevPrev === DIGIT;
  return false;
}

/**
 * Pushes the word-mode tokens of `text[start, end)` (ASCII only) onto `out`: word-like segments, and with
 * `keepPunctuation` every other segment that is not whitespace.
 */
export function asciiWordTokens(text: string, start: number, end: number, keepPunctuation: boolean, out: string[]): void {
  let i = start;
  while (i < end) {
    const k = WORD_CLASS[text.charCodeAt(i)];
    if (k === SPACE) {
      i++;
      continue;
    }
    const first = i;
    let prevPrev = 0;
    let prev = k;
    i++;
    for (; i < end; i++) {
      const next = i + 1 < end ? WORD_CLASS[text.charCodeAt(i + 1)] : 0;
      const cur = WORD_CLASS[text.charCodeAt(i)];
      if (!joins(prevPrev, prev, cur, next)) break;
      prevPrev = prev;
      prev = cur;
    }
    if (i - first > 1 || isWordChar(k) || keepPunctuation) out.push(text.slice(first, i));
  }
}

/** Pushes the char-mode tokens of `text[start, end)` (ASCII only): each character but whitespace, punctuation only when kept. */
export function asciiCharTokens(text: string, start: number, end: number, keepPunctuation: boolean, out: string[]): void {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (WORD_CLASS[c] === SPACE || (!keepPunctuation && PUNCTUATION[c])) continue;
    out.push(text[i]);
  }
}

/** After these a stretch may not end (tokenizer.ts NO_CUT_AFTER): whitespace, Prepend letters, format characters. */
const NO_CUT_AFTER = /[\s\u0D4E\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\p{Cf}]/u;

/**
 * Splits `piece` into stretches, alternately ASCII and not, that meet only where no segmentation rule joins
 * across: before ASCII whitespace whose preceding code point may end a stretch. Calls `ascii(start, end)` or
 * `other(start, end)` for each, in order.
 */
export function forEachStretch(
  piece: string,
  ascii: (start: number, end: number) => void,
  other: (start: number, end: number) => void,
): void {
  const n = piece.length;
  let stretchStart = 0;
  let stretchAscii = true;
  let unitStart = 0;
  let unitAscii = true;
  // The unit [unitStart, unitEnd) is complete: it joins the stretch when of its kind, else starts the next one.
  const endUnit = (unitEnd: number): void => {
    if (unitStart === stretchStart) stretchAscii = unitAscii;
    else if (unitAscii !== stretchAscii) {
      (stretchAscii ? ascii : other)(stretchStart, unitStart);
      stretchStart = unitStart;
      stretchAscii = unitAscii;
    }
    unitStart = unitEnd;
    unitAscii = true;
  };
  for (let i = 0; i < n; i++) {
    const c = piece.charCodeAt(i);
    if (c >= 0x80) {
      unitAscii = false;
      continue;
    }
    if (WORD_CLASS[c] !== SPACE || i === 0) continue;
    const before = piece.charCodeAt(i - 1);
    if (before < 0x80 ? WORD_CLASS[before] !== SPACE : !NO_CUT_AFTER.test(codePointBefore(piece, i))) endUnit(i);
  }
  endUnit(n);
  if (stretchStart < n) (stretchAscii ? ascii : other)(stretchStart, n);
}

function codePointBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2 ? text.slice(index - 2, index) : text.slice(index - 1, index);
}
