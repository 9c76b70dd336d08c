// How wide a label is and what it shows when it has to fit a column. Labels drawn at the start of the lines share
// one fixed width (in `ch`, the width of a digit in the editor's monospace font), so the text after them stays
// aligned; a class name too long for it is cut with "…", and the hover shows it in full.
import { percent } from '../../core/format/percent';

/** The widest class name the start column makes room for, in columns; longer ones are cut. */
export const MAX_LABEL_COLUMNS = 18;
/** " 100%": the confidence after the label. */
const CONFIDENCE_COLUMNS = 5;

/** Characters an editor draws two columns wide: CJK ideographs, kana, Hangul, fullwidth forms, most emoji. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
/** Combining marks, variation selectors and joiners take no column of their own. */
const ZERO_WIDTH = /[\p{M}\p{Cf}]/u;

function columnsOf(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Columns `text` takes in a monospace editor. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += columnsOf(char);
  return width;
}

/** `text` cut to at most `columns` columns, ending in "…" when cut. */
export function truncate(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  let width = 0;
  let out = '';
  for (const char of text) {
    const w = columnsOf(char);
    if (width + w > columns - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

/** Columns given to the class name in the start column: the model's longest, up to MAX_LABEL_COLUMNS. */
export function labelColumns(labels: readonly string[]): number {
  let widest = 1;
  for (const label of labels) widest = Math.max(widest, Math.min(MAX_LABEL_COLUMNS, displayWidth(label)));
  return widest; // a loop, not Math.max(...labels): a spread of many arguments overflows the stack
}

/** Width of the start column for a model's labels, in columns. */
export function startColumnWidth(labels: readonly string[], showConfidence: boolean): number {
  return labelColumns(labels) + (showConfidence ? CONFIDENCE_COLUMNS : 0);
}

/** What a start label shows: the class name, cut to `columns`, and its confidence when asked for. */
export function startLabelText(label: string, confidence: number | undefined, columns: number): string {
  const name = truncate(label, columns);
  return confidence === undefined ? name : `${name} ${percent(confidence)}`;
}
