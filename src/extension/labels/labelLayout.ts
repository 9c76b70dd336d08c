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

/** One chip of a multi-label line: a class (drawn in its color), or, without `label`, the quiet "+2" / "—". */
export interface Chip {
  readonly label?: string;
  readonly text: string;
}

/** What a line of a multi-label model with no class over its threshold shows: classified, and nothing applies. */
export const NO_LABEL_MARK = '—';
/** A chip cut shorter than this ("ab…") says nothing; "+1" is shown instead. */
const MIN_CHIP_COLUMNS = 3;

/**
 * The chips of a multi-label line in a column of `columns`: the labels over threshold (most probable first).
 * One label: its chip, cut with "…" to the column. Two: both, side by side with a space, when each keeps at
 * least MIN_CHIP_COLUMNS; else the first and "+1". Three or more: the first and "+N" for the rest (a second
 * class name would be cut to nothing in a column sized for one). None: the quiet "—". The result never takes
 * more than `columns` columns, so the text after it stays aligned; the hover lists every class in full.
 */
export function fitChips(labels: readonly string[], columns: number): Chip[] {
  if (labels.length === 0) return [{ text: NO_LABEL_MARK }];
  const [first, second] = labels;
  if (labels.length === 1) return [{ label: first, text: truncate(first, columns) }];
  if (labels.length === 2) {
    // The most probable class keeps as much of its name as it can; the second keeps at least a readable stub.
    const secondMinimum = Math.min(MIN_CHIP_COLUMNS, displayWidth(second));
    const firstWidth = Math.min(displayWidth(first), columns - 1 - secondMinimum);
    const secondWidth = columns - 1 - firstWidth;
    if (firstWidth >= Math.min(MIN_CHIP_COLUMNS, displayWidth(first)) && secondWidth >= secondMinimum) {
      return [
        { label: first, text: truncate(first, firstWidth) },
        { label: second, text: truncate(second, secondWidth) },
      ];
    }
  }
  const more = `+${labels.length - 1}`;
  return [{ label: first, text: truncate(first, Math.max(1, columns - 1 - more.length)) }, { text: more }];
}
