// Folding lines of an editor through VS Code's own commands, the only way an extension can fold a range the
// language does not offer: editor.createFoldingRangeFromSelection folds every selection of the editor as a manual
// folding range (which wins over the language's own ranges where they overlap), and
// editor.removeManualFoldingRanges removes the manual ranges that meet the selection. Both act on the active
// editor; the cursor goes back where it was after each.
import * as vscode from 'vscode';
import type { Fold } from './filterFolds';

/**
 * Selections per command. VS Code keeps at most editor.multiCursorLimit selections (10,000 by default), and the
 * command moves the cursor once per selection: each move reaches the extension host as an event, handled in one
 * go per command, so smaller batches keep the host's pauses short.
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

/**
 * Folds the ranges: each is a selection from its first line to the end of its last, and the command folds every
 * selection of the editor, FOLDS_PER_COMMAND at a time; then the cursor goes back where it was.
 */
export async function addFolds(editor: vscode.TextEditor, folds: readonly Fold[], onBatch?: (done: number) => void): Promise<void> {
  if (!folds.length) return;
  const saved = editor.selections;
  const lastLine = editor.document.lineCount - 1;
  // To the start of the next line: the command counts a selection ending in column 1 as ending on the line before.
  const selectionOf = ({ start, end }: Fold) =>
    end < lastLine
      ? new vscode.Selection(start, 0, end + 1, 0)
      : new vscode.Selection(start, 0, end, editor.document.lineAt(end).range.end.character);
  for (let first = 0; first < folds.length; first += FOLDS_PER_COMMAND) {
    editor.selections = folds.slice(first, first + FOLDS_PER_COMMAND).map(selectionOf);
    await vscode.commands.executeCommand('editor.createFoldingRangeFromSelection');
    onBatch?.(Math.min(folds.length, first + FOLDS_PER_COMMAND));
  }
  editor.selections = saved;
}
