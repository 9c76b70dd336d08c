// How labels look in the editor. One decoration type per visual style, as Error Lens does: one per class of the
// current model (its palette color by the class's place in the model's list), made when a label of that class is
// first drawn (a model of many classes costs nothing until its classes show) and disposed when the model
// changes, one dim style for labels under textcat.labels.minConfidence, and, at the start of the lines, one
// empty placeholder of the same width for the lines without a label, so every line's text starts in the same
// column (as GitLens's blame column does).
import * as vscode from 'vscode';
import type { LabelPosition } from '../model/settings';
import { labelColor, LOW_CONFIDENCE_COLOR_ID } from './labelPalette';

/** One label to draw on the line of `range`, in its class's style or the dim one. */
export interface LabelDecoration {
  readonly range: vscode.Range;
  readonly label: string;
  readonly text: string;
  readonly dimmed: boolean;
}

/** Where labels go, and at the start the width of their column (in columns of the editor's font). */
export interface LabelLayout {
  readonly position: LabelPosition;
  readonly columns: number;
}

type Attachment = vscode.ThemableDecorationAttachmentRenderOptions;

export class LabelDecorations implements vscode.Disposable {
  private layout: LabelLayout = { position: 'start', columns: 1 };
  private byLabel = new Map<string, vscode.TextEditorDecorationType>();
  /** Each class's place in the model's label list, which picks its color. */
  private colorIndex = new Map<string, number>();
  private dim = this.createType({ color: new vscode.ThemeColor(LOW_CONFIDENCE_COLOR_ID), fontStyle: 'italic' });
  private placeholder = this.createType({});

  /** A new model or layout: its classes take the palette's colors in order. Disposing the old types clears every editor. */
  reset(labels: readonly string[], layout: LabelLayout): void {
    this.types().forEach((t) => t.dispose());
    this.layout = layout;
    this.byLabel = new Map();
    this.dim = this.createType({ color: new vscode.ThemeColor(LOW_CONFIDENCE_COLOR_ID), fontStyle: 'italic' });
    this.placeholder = this.createType({});
    this.colorIndex = new Map(labels.map((label, i) => [label, i]));
  }

  /**
   * Replaces what the editor shows with `labels`; at the start of the lines, `unlabeled` lines (blank, hidden
   * or not classified yet) get the empty placeholder.
   */
  draw(editor: vscode.TextEditor, labels: readonly LabelDecoration[], unlabeled: readonly vscode.Range[]): void {
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>(this.types().map((t) => [t, []]));
    const attachment = this.layout.position === 'start' ? 'before' : 'after';
    for (const { range, label, text, dimmed } of labels) {
      const type = dimmed ? this.dim : this.typeOf(label);
      if (!byType.has(type)) byType.set(type, []);
      byType.get(type)!.push({ range: this.anchor(range), renderOptions: { [attachment]: { contentText: text } } });
    }
    if (this.layout.position === 'start') {
      byType.set(
        this.placeholder,
        unlabeled.map((range) => ({ range: this.anchor(range), renderOptions: { before: { contentText: '' } } })),
      );
    }
    byType.forEach((options, type) => editor.setDecorations(type, options));
  }

  clear(editor: vscode.TextEditor): void {
    this.types().forEach((t) => editor.setDecorations(t, []));
  }

  /** At the start, the empty range before the line's first character; at the end, the line itself. */
  private anchor(range: vscode.Range): vscode.Range {
    return this.layout.position === 'start' ? new vscode.Range(range.start.line, 0, range.start.line, 0) : range;
  }

  private types(): vscode.TextEditorDecorationType[] {
    return [...this.byLabel.values(), this.dim, this.placeholder];
  }

  private typeOf(label: string): vscode.TextEditorDecorationType {
    let type = this.byLabel.get(label);
    if (!type) {
      type = this.createType({ color: labelColor(this.colorIndex.get(label) ?? this.colorIndex.size) });
      this.byLabel.set(label, type);
    }
    return type;
  }

  /**
   * At the start: a box of the column's width (VS Code makes a before/after with a width an inline-block), then
   * one column of space before the text. At the end: after the text, with a gap.
   */
  private createType(style: Attachment): vscode.TextEditorDecorationType {
    if (this.layout.position === 'end') return vscode.window.createTextEditorDecorationType({ after: { ...style, margin: '0 0 0 2em' } });
    return vscode.window.createTextEditorDecorationType({
      before: { ...style, width: `${this.layout.columns}ch`, margin: '0 1ch 0 0' },
    });
  }

  dispose(): void {
    this.types().forEach((t) => t.dispose());
  }
}
