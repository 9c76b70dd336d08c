// Marks on the overview ruler (the scrollbar) in each class's color, so the scrollbar shows where each class is.
// One decoration type per class, made when the model changes; the marks come from what LineClasses knows of the
// document (the lines drawn, the background pass, the searches), at most MAX_MARK_ROWS runs per class.
import * as vscode from 'vscode';
import { markRuns, type DocumentClasses, type Shows } from '../model/documentClasses';
import { labelColor } from './labelPalette';

/** More runs than this per class would not show: the ruler has fewer pixels. */
export const MAX_MARK_ROWS = 2_000;

export class OverviewMarks implements vscode.Disposable {
  private types: vscode.TextEditorDecorationType[] = [];

  /** A new model: one type per class, in its palette color. Disposing the old types clears every editor. */
  reset(labels: readonly string[]): void {
    this.types.forEach((t) => t.dispose());
    this.types = labels.map((_, i) =>
      vscode.window.createTextEditorDecorationType({
        overviewRulerColor: labelColor(i),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      }),
    );
  }

  draw(editor: vscode.TextEditor, classes: DocumentClasses, shows: Shows): void {
    const runs = markRuns(classes, this.types.length, shows, MAX_MARK_ROWS);
    this.types.forEach((type, c) =>
      editor.setDecorations(
        type,
        runs[c].map((r) => new vscode.Range(r.start, 0, r.end, 0)),
      ),
    );
  }

  clear(editor: vscode.TextEditor): void {
    this.types.forEach((t) => editor.setDecorations(t, []));
  }

  dispose(): void {
    this.types.forEach((t) => t.dispose());
  }
}
