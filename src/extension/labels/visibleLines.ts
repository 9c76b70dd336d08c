// Which lines of an editor get labels: the non-empty lines of its visible ranges plus a margin, so a short
// scroll shows labels at once (and, for the start column's placeholders, the blank ones too). Nothing here walks
// the whole document.
import type * as vscode from 'vscode';

/** Lines above and below the visible ones classified ahead. */
const MARGIN_LINES = 50;
/** A safety cap for editors with many visible ranges (folding, tall windows). */
const MAX_LINES_PER_REFRESH = 2_000;

export interface VisibleLine {
  /** 0-based. */
  readonly line: number;
  readonly text: string;
  readonly range: vscode.Range;
}

/** The non-empty lines (with `blank`, every line) of the visible ranges plus the margin, each once, in order. */
export function visibleLines(editor: vscode.TextEditor, options: { blank?: boolean } = {}): VisibleLine[] {
  const document = editor.document;
  const last = document.lineCount - 1;
  const spans = editor.visibleRanges
    .map((r) => [Math.max(0, r.start.line - MARGIN_LINES), Math.min(last, r.end.line + MARGIN_LINES)] as const)
    .sort((a, b) => a[0] - b[0]);
  const result: VisibleLine[] = [];
  let next = 0;
  for (const [start, end] of spans) {
    for (let i = Math.max(start, next); i <= end && result.length < MAX_LINES_PER_REFRESH; i++) {
      const line = document.lineAt(i);
      if (options.blank || !line.isEmptyOrWhitespace) result.push({ line: i, text: line.text, range: line.range });
    }
    next = Math.max(next, end + 1);
  }
  return result;
}
