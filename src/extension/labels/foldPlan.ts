// In which order the filter's folds are made. VS Code makes them at a roughly fixed cost a fold (see
// editorFolds.ts and docs/performance.md), so tens of thousands take minutes: the folds a person sees come
// first, so the screen shows the filter at once, and the rest follow in the background, nearest first.
// Plain data, no vscode.
//
// Nothing is left to merge: filterFolds makes one fold per run of hidden lines, and two folds cannot become one
// without hiding the line between them, which the filter shows.
import type { Fold } from './filterFolds';

/**
 * The folds in the order to make them: `screen` (the part in view) first, then `rest`. The screen's last fold is
 * the first one at or after the top line: VS Code scrolls to the last fold a command makes when it is out of view.
 */
export interface FoldPlan {
  readonly screen: Fold[];
  readonly rest: Fold[];
}

/**
 * `folds` (sorted, not overlapping) split into those that fill a screen of `screenLines` shown lines from line
 * `top` (once folded, lines from further down move up into view, so the screen takes as many folds as it needs
 * to show that many lines; a screen more below and above it is taken too, for a scroll), then the rest: those
 * below the screen first (a log is read downwards), then those above it, nearest first.
 */
export function visibleFirst(folds: readonly Fold[], top: number, screenLines: number): FoldPlan {
  const first = firstEndingAtOrAfter(folds, Math.max(0, top - screenLines));
  let shown = 0;
  let line = folds[first]?.start ?? 0;
  let last = first;
  for (; last < folds.length && shown < 3 * screenLines; last++) {
    shown += Math.max(0, folds[last].start - line) + 1; // the lines between the folds, and the fold's own first line
    line = folds[last].end + 1;
  }
  const screen = folds.slice(first, last);
  const atTop = screen.findIndex((f) => f.start >= top);
  if (atTop >= 0) screen.push(...screen.splice(atTop, 1));
  return {
    screen,
    rest: [...folds.slice(last), ...folds.slice(0, first).reverse()],
  };
}

/** The index of the first fold whose last line is at or after `line` (binary search; folds.length if none). */
function firstEndingAtOrAfter(folds: readonly Fold[], line: number): number {
  let low = 0;
  let high = folds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (folds[middle].end < line) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `folds` cut into batches of at most `size`, in order. */
export function batches<T>(folds: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let first = 0; first < folds.length; first += size) result.push(folds.slice(first, first + size));
  return result;
}
