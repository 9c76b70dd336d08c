// How labels look in the editor. One decoration type per visual style, as Error Lens does: one per class of the
// current model (its palette color), made when the model's classes are known and disposed when the model
// changes, and one dim style for labels under textcat.labels.minConfidence.
import * as vscode from 'vscode';
import { labelColor, LOW_CONFIDENCE_COLOR_ID } from './labelPalette';

/** One label to draw: after `range`, the text `text`, in its class's style or the dim one. */
export interface LabelDecoration {
  readonly range: vscode.Range;
  readonly label: string;
  readonly text: string;
  readonly dimmed: boolean;
}

const AFTER_LINE = { margin: '0 0 0 2em' };

export class LabelDecorations implements vscode.Disposable {
  private byLabel = new Map<string, vscode.TextEditorDecorationType>();
  private readonly dim = vscode.window.createTextEditorDecorationType({
    after: { ...AFTER_LINE, color: new vscode.ThemeColor(LOW_CONFIDENCE_COLOR_ID), fontStyle: 'italic' },
  });

  /** A new model: its classes take the palette's colors in order. Disposing the old types clears every editor. */
  reset(labels: readonly string[]): void {
    this.byLabel.forEach((t) => t.dispose());
    this.byLabel = new Map();
    labels.forEach((label) => this.typeOf(label));
  }

  /** Replaces what the editor shows with `labels`. */
  draw(editor: vscode.TextEditor, labels: readonly LabelDecoration[]): void {
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>(this.types().map((t) => [t, []]));
    for (const { range, label, text, dimmed } of labels) {
      const type = dimmed ? this.dim : this.typeOf(label);
      if (!byType.has(type)) byType.set(type, []);
      byType.get(type)!.push({ range, renderOptions: { after: { contentText: text } } });
    }
    byType.forEach((options, type) => editor.setDecorations(type, options));
  }

  clear(editor: vscode.TextEditor): void {
    this.types().forEach((t) => editor.setDecorations(t, []));
  }

  private types(): vscode.TextEditorDecorationType[] {
    return [...this.byLabel.values(), this.dim];
  }

  private typeOf(label: string): vscode.TextEditorDecorationType {
    let type = this.byLabel.get(label);
    if (!type) {
      type = vscode.window.createTextEditorDecorationType({ after: { ...AFTER_LINE, color: labelColor(this.byLabel.size) } });
      this.byLabel.set(label, type);
    }
    return type;
  }

  dispose(): void {
    this.types().forEach((t) => t.dispose());
  }
}
