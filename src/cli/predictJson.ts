// `textcat predict --json`: one object per text, built as text rather than through JSON.stringify of a fresh
// object, since at hundreds of thousands of lines the objects and the number formatting were a main-thread cost.
// The text is exactly what JSON.stringify gave (test/unit/predictJson.test.ts compares the two).
import type { Prediction } from '../core/jobs';
import type { InputText } from './predictInput';

/**
 * The text JSON.stringify gives `Number(x.toFixed(6))`, the rounding the output promises. For x in [0, 1] that
 * is the 6-digit decimal without trailing zeros ("0" and "1" at the ends): no shorter numeral names the same
 * double, since two such decimals are 1e-6 apart. x·1e6 is within 1.2e-10 of its exact value, so its rounding is
 * toFixed's except within that of a half; there, and outside [0, 1], toFixed itself decides.
 */
export function roundedNumber(x: number): string {
  if (!(x >= 0 && x <= 1)) return jsonNumber(Number(x.toFixed(6)));
  const scaled = x * 1e6;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  if (Math.abs(fraction - 0.5) < 1e-9) return jsonNumber(Number(x.toFixed(6)));
  const micros = fraction < 0.5 ? whole : whole + 1;
  if (micros === 0) return '0';
  if (micros === 1e6) return '1';
  let digits = String(micros).padStart(6, '0');
  let end = 6;
  while (digits.charCodeAt(end - 1) === 48) end--;
  if (end < 6) digits = digits.slice(0, end);
  return `0.${digits}`;
}

/** A number as JSON.stringify writes it (non-finite numbers become null). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * One JSON line per prediction: {"file"?, "line", "record"?, "label", "confidence", "probabilities", "labels"?}.
 * The probabilities' keys keep the order an object gives them (integer-like labels first, ascending), as before.
 */
export function jsonLines(labels: readonly string[], named: boolean): (item: InputText, p: Prediction) => string {
  const quoted = new Map(labels.map((l) => [l, JSON.stringify(l)]));
  const quote = (label: string) => quoted.get(label) ?? JSON.stringify(label);
  const keyOrder = Object.keys(Object.fromEntries(labels.map((l) => [l, 0])));
  const columns = keyOrder.map((key) => ({ key: `${JSON.stringify(key)}:`, index: labels.lastIndexOf(key) }));
  return (item, p) => {
    let out = named ? `{"file":${JSON.stringify(item.source)},` : '{';
    out += `"line":${jsonNumber(item.line)}`;
    if (item.element) out += `,"record":${jsonNumber(item.element.index)}`;
    out += `,"label":${quote(p.label)},"confidence":${roundedNumber(p.confidence)},"probabilities":{`;
    for (let c = 0; c < columns.length; c++) out += `${c ? ',' : ''}${columns[c].key}${roundedNumber(p.probabilities[columns[c].index])}`;
    out += '}';
    if (p.labels) {
      const given = p.labels.map((l) => `{"label":${quote(l)},"probability":${roundedNumber(p.probabilities[labels.indexOf(l)])}}`);
      out += `,"labels":[${given.join(',')}]`;
    }
    return `${out}}`;
  };
}
