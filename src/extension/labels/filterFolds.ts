// Which lines the filter hides and the folds that hide them. Plain data, no vscode, computed from the line
// classes already known in one pass over two typed arrays, so a 100,000-line log costs a few milliseconds.
//
// A folded range keeps its first line in view, so a run of hidden lines a…b is folded from the visible line
// above it (a-1…b). The first line of a file has no line above it: a run that starts there keeps line 0 in view
// (the fold starts on it), and the caller says so.
import { UNKNOWN, type DocumentClasses, type Shows } from '../model/documentClasses';

/** "only": show the lines of the chosen classes; "hide": hide them. */
export type FilterMode = 'only' | 'hide';

/** A range to fold: `start` stays in view, start+1…end (inclusive, 0-based) are hidden. */
export interface Fold {
  readonly start: number;
  readonly end: number;
}

export interface FilterFolds {
  readonly folds: Fold[];
  /** Lines the folds hide. */
  readonly hiddenLines: number;
  /** The filter would hide the first line, which no fold can: it stays in view. */
  readonly firstLineKept: boolean;
  /** Lines not classified yet: they stay in view (the filter does not hide what it does not know). */
  readonly unknownLines: number;
}

/**
 * Whether the filter hides `line`: in "only" mode, a line none of whose shown classes is chosen (blank lines
 * too); in "hide" mode, a line with a chosen class. Unknown lines are never hidden.
 */
export function hides(classes: DocumentClasses, line: number, mode: FilterMode, chosen: ReadonlySet<number>, shows: Shows): boolean {
  if (classes.classOf(line) === UNKNOWN) return false;
  const confidence = classes.confidenceOf(line);
  const matches = classes.classesOf(line).some((c) => chosen.has(c) && shows(c, confidence));
  return mode === 'only' ? !matches : matches;
}

/** The folds that hide what the filter hides, leaving the lines of `keep` (the cursor's) in view. */
export function filterFolds(
  classes: DocumentClasses,
  mode: FilterMode,
  chosen: ReadonlySet<number>,
  shows: Shows,
  keep: ReadonlySet<number> = new Set(),
): FilterFolds {
  const folds: Fold[] = [];
  let hiddenLines = 0;
  let unknownLines = 0;
  let firstLineKept = false;
  let runStart = -1;
  const close = (end: number) => {
    if (runStart < 0) return;
    if (runStart === 0) firstLineKept = true;
    const start = Math.max(0, runStart - 1);
    if (end > start) {
      folds.push({ start, end });
      hiddenLines += end - start;
    }
    runStart = -1;
  };
  for (let line = 0; line < classes.lineCount; line++) {
    if (classes.classOf(line) === UNKNOWN) unknownLines++;
    const hidden = !keep.has(line) && hides(classes, line, mode, chosen, shows);
    if (hidden && runStart < 0) runStart = line;
    else if (!hidden) close(line - 1);
  }
  close(classes.lineCount - 1);
  return { folds, hiddenLines, firstLineKept, unknownLines };
}
