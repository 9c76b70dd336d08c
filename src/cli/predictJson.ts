// `textcat predict --json`: one object per text, written as bytes straight from the rows of probabilities rather
// than through JSON.stringify of a fresh object, since at hundreds of thousands of lines the objects, the number
// formatting and the strings were most of the main thread's time. The text is exactly what JSON.stringify gave
// (test/unit/predictJson.test.ts compares the two).
import type { PredictionRows } from '../core/predict';
import { utf8, type OutputBytes } from './outputBytes';
import type { InputText } from './predictInput';

/**
 * The text JSON.stringify gives `Number(x.toFixed(6))`, the rounding the output promises. For x in [0, 1] that
 * is the 6-digit decimal without trailing zeros ("0" and "1" at the ends): no shorter numeral names the same
 * double, since two such decimals are 1e-6 apart. x·1e6 is within 1.2e-10 of its exact value, so its rounding is
 * toFixed's except within that of a half; there, and outside [0, 1], toFixed itself decides.
 */
export function roundedNumber(x: number): string {
  const micros = roundedMicros(x);
  if (micros === undefined) return jsonNumber(Number(x.toFixed(6)));
  if (micros === 0) return '0';
  if (micros === 1e6) return '1';
  let digits = String(micros).padStart(6, '0');
  let end = 6;
  while (digits.charCodeAt(end - 1) === 48) end--;
  if (end < 6) digits = digits.slice(0, end);
  return `0.${digits}`;
}

/** roundedNumber's text, written as bytes. */
export function writeRounded(out: OutputBytes, x: number): void {
  const micros = roundedMicros(x);
  if (micros === undefined) out.text(roundedNumber(x));
  else if (micros === 0 || micros === 1e6) out.byte(micros === 0 ? 48 : 49);
  else out.fraction(micros, 6);
}

/** x rounded to millionths, as a whole number of them, for x in [0, 1] away from a half; else undefined (toFixed decides). */
function roundedMicros(x: number): number | undefined {
  if (!(x >= 0 && x <= 1)) return undefined;
  const scaled = x * 1e6;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  if (Math.abs(fraction - 0.5) < 1e-9) return undefined;
  return fraction < 0.5 ? whole : whole + 1;
}

/** A number as JSON.stringify writes it (non-finite numbers become null). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * One JSON line per prediction, written as bytes: {"file"?, "line", "record"?, "label", "confidence",
 * "probabilities", "labels"?}, the text JSON.stringify gave for the object. The probabilities' keys keep the order
 * an object gives them (integer-like labels first, ascending), as before.
 */
export function jsonLines(
  labels: readonly string[],
  named: boolean,
): (out: OutputBytes, item: InputText, rows: PredictionRows, i: number) => void {
  const quoted = labels.map((l) => utf8(JSON.stringify(l)));
  const keyOrder = Object.keys(Object.fromEntries(labels.map((l) => [l, 0])));
  const columns = keyOrder.map((key, c) => ({ key: utf8(`${c ? ',' : ''}${JSON.stringify(key)}:`), index: labels.lastIndexOf(key) }));
  const piece = {
    open: utf8('{"line":'),
    file: utf8('{"file":'),
    line: utf8(',"line":'),
    record: utf8(',"record":'),
    label: utf8(',"label":'),
    confidence: utf8(',"confidence":'),
    probabilities: utf8(',"probabilities":{'),
    labels: utf8('},"labels":['),
    given: utf8('{"label":'),
    probability: utf8(',"probability":'),
  };
  const files = new Map<string, Uint8Array>();
  return (out, item, rows, i) => {
    if (named) {
      let file = files.get(item.source);
      if (!file) files.set(item.source, (file = utf8(JSON.stringify(item.source))));
      out.bytes(piece.file);
      out.bytes(file);
      out.bytes(piece.line);
    } else out.bytes(piece.open);
    out.integer(item.line);
    if (item.element) {
      out.bytes(piece.record);
      out.integer(item.element.index);
    }
    const best = rows.best(i);
    out.bytes(piece.label);
    out.bytes(quoted[best]);
    out.bytes(piece.confidence);
    writeRounded(out, rows.probability(i, best));
    out.bytes(piece.probabilities);
    for (const column of columns) {
      out.bytes(column.key);
      writeRounded(out, rows.probability(i, column.index));
    }
    const given = rows.given(i);
    if (!given) return out.bytes(CLOSE);
    out.bytes(piece.labels);
    given.forEach((c, n) => {
      if (n > 0) out.byte(44);
      out.bytes(piece.given);
      out.bytes(quoted[c]);
      out.bytes(piece.probability);
      // As before: the probability of the first class of that name.
      writeRounded(out, rows.probability(i, labels.indexOf(labels[c])));
      out.byte(125);
    });
    out.bytes(CLOSE_LIST);
  };
}

const CLOSE = utf8('}}\n');
const CLOSE_LIST = utf8(']}\n');
