// Marks on the overview ruler (the scrollbar) in each class's color, so the scrollbar shows where each class is.
// One decoration type per class, made when the class first has a mark; the marks come from what LineClasses knows of the
// document (the lines drawn, the background pass, the searches), at most MAX_MARK_ROWS runs per class.
import * as vscode from 'vscode';
import { markRuns, type DocumentClasses, type Shows } from '../model/documentClasses';
import { labelColor } from './labelPalette';

/** More runs than this per class would not show: the ruler has fewer pixels. */
export const MAX_MARK_ROWS = 2_000;

/** The ruler is redrawn at most this often per editor while the background pass fills it. */
const THROTTLE_MS = 250;

export class OverviewMarks implements vscode.Disposable {
  /** One type per class, made when the class first has a mark (a model of a thousand classes costs nothing until they show). */
  private types: (vscode.TextEditorDecorationType | undefined)[] = [];
  private readonly due = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();

  /** A new model: its classes take the palette's colors by their place. Disposing the old types clears every editor. */
  reset(labels: readonly string[]): void {
    this.types.forEach((t) => t?.dispose());
    this.types = new Array<undefined>(labels.length).fill(undefined);
  }

  draw(editor: vscode.TextEditor, classes: DocumentClasses, shows: Shows): void {
    const runs = markRuns(classes, this.types.length, shows, MAX_MARK_ROWS);
    runs.forEach((classRuns, c) => {
      if (classRuns.length === 0 && !this.types[c]) return;
      const type = (this.types[c] ??= vscode.window.createTextEditorDecorationType({
        overviewRulerColor: labelColor(c),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      }));
      editor.setDecorations(
        type,
        classRuns.map((r) => new vscode.Range(r.start, 0, r.end, 0)),
      );
    });
  }

  /** Calls `redraw` once THROTTLE_MS from now, however often the editor asks before then. */
  redrawSoon(editor: vscode.TextEditor, redraw: () => void): void {
    if (this.due.has(editor)) return;
    this.due.set(
      editor,
      setTimeout(() => {
        this.due.delete(editor);
        redraw();
      }, THROTTLE_MS),
    );
  }

  clear(editor: vscode.TextEditor): void {
    this.types.forEach((t) => t && editor.setDecorations(t, []));
  }

  /** The editor is gone: no redraw is due any more. */
  forget(editor: vscode.TextEditor): void {
    clearTimeout(this.due.get(editor));
    this.due.delete(editor);
  }

  dispose(): void {
    this.due.forEach((timer) => clearTimeout(timer));
    this.types.forEach((t) => t?.dispose());
  }
}
