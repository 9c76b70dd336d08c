// Folding lines of an editor through VS Code's own commands, the only way an extension can fold a range the
// language does not offer: editor.createFoldingRangeFromSelection folds every selection of the editor as a manual
// folding range (which wins over the language's own ranges where they overlap), and
// editor.removeManualFoldingRanges removes the manual ranges that meet the selection. Both act on the active
// editor; the cursor goes back where it was after each.
//
// Where VS Code's time goes (its folding contribution, measured in docs/performance.md): the command moves the
// cursor to each selection in turn (one selection event a fold, each sent to the extension host), then merges the
// new ranges with every range the editor has and redraws all their decorations and hidden areas. The cost is
// per fold whatever the batch size (a few milliseconds on a loaded machine) and grows with the ranges already
// made, so 50,000 folds take minutes. A folding range provider with one editor.fold is only a few times faster and is capped by
// editor.foldingMaximumRegions (5,000 by default: the rest would stay in view), and manual ranges are not capped
// by that setting, only by the 65,535 ranges an editor holds, so the filter stays with manual ranges.
import * as vscode from 'vscode';
import type { Fold } from './filterFolds';
import { batches } from './foldPlan';

/**
 * Selections per command. VS Code keeps at most editor.multiCursorLimit selections (10,000 by default), and the
 * command moves the cursor once per selection: each move reaches the extension host as an event, handled in one
 * go per command, so smaller batches keep the host's pauses short (5,000 a command made folds no more than about
 * 1.5× faster in the probe, for pauses five times as long).
 */
export const FOLDS_PER_COMMAND = 1_000;
/** VS Code keeps at most 65,535 folding ranges in an editor (its own included): the filter stops short of that. */
export const MAX_FOLDS = 60_000;

/**
 * The folds as the command can make them: a selection that ends in column 1 counts as ending on the line
 * before, so a fold cannot take in an empty last line (a file that ends with a newline): it stays in view.
 */
export function foldable(document: vscode.TextDocument, folds: Fold[]): Fold[] {
  const lastLine = document.lineCount - 1;
  const last = folds[folds.length - 1];
  if (!last || last.end < lastLine || document.lineAt(lastLine).text.length > 0) return folds;
  return last.end - 1 > last.start ? [...folds.slice(0, -1), { start: last.start, end: last.end - 1 }] : folds.slice(0, -1);
}

/** Removes the manual folding ranges of the whole file (the filter's, and any a person made there). */
export async function removeFolds(editor: vscode.TextEditor): Promise<void> {
  const saved = editor.selections;
  const last = editor.document.lineAt(editor.document.lineCount - 1);
  editor.selections = [new vscode.Selection(0, 0, last.lineNumber, last.range.end.character)];
  await vscode.commands.executeCommand('editor.removeManualFoldingRanges');
  editor.selections = saved;
}

/** What addFolds is told and tells while it works. */
export interface FoldProgress {
  /** After each command, with the folds made so far. */
  readonly onBatch?: (done: number) => void;
  /** Asked before each command: true stops the folding there (a new filter, Show All Lines, an edit…). */
  readonly cancelled?: () => boolean;
  /**
   * Asked before each command: a fold already made, still folded and in view, to make again last (which changes
   * nothing). VS Code scrolls to the last fold a command makes when it is out of view; without one, the view is
   * scrolled back after the command.
   */
  readonly anchor?: () => Fold | undefined;
}

/**
 * Folds the ranges: each is a selection from its first line to the end of its last, and the command folds every
 * selection of the editor, FOLDS_PER_COMMAND at a time. The person's cursor is put back after each command, so
 * they can move it while the rest is folded. Resolves with whether every fold was made (false when cancelled).
 */
export async function addFolds(editor: vscode.TextEditor, folds: readonly Fold[], progress: FoldProgress = {}): Promise<boolean> {
  const lastLine = editor.document.lineCount - 1;
  // To the start of the next line: the command counts a selection ending in column 1 as ending on the line before.
  const selectionOf = ({ start, end }: Fold) =>
    end < lastLine
      ? new vscode.Selection(start, 0, end + 1, 0)
      : new vscode.Selection(start, 0, end, editor.document.lineAt(end).range.end.character);
  let done = 0;
  for (const batch of batches(folds, FOLDS_PER_COMMAND)) {
    if (progress.cancelled?.()) return false;
    const saved = editor.selections;
    const top = editor.visibleRanges[0]?.start;
    const anchor = progress.anchor?.();
    editor.selections = (anchor ? [...batch, anchor] : batch).map(selectionOf);
    try {
      await vscode.commands.executeCommand('editor.createFoldingRangeFromSelection');
    } finally {
      editor.selections = saved;
      if (!anchor && top) editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
    }
    done += batch.length;
    progress.onBatch?.(done);
  }
  return true;
}
