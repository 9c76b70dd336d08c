// How labels look in the editor. One decoration type per visual style, as Error Lens does: one per class of the
// current model (its palette color by the class's place in the model's list), made when a label of that class is
// first drawn (a model of many classes costs nothing until its classes show) and disposed when the model
// changes, one dim style for labels under textcat.labels.minConfidence, and, at the start of the lines, one
// empty placeholder of the same width for the lines without a label, so every line's text starts in the same
// column (as GitLens's blame column does). A line of a multi-label model shows chips instead: see drawChips.
import * as vscode from 'vscode';
import type { LabelPosition } from '../model/settings';
import { displayWidth, type Chip } from './labelLayout';
import { labelColor, LOW_CONFIDENCE_COLOR_ID } from './labelPalette';

/** One label to draw on the line of `range`, in its class's style or the dim one. */
export interface LabelDecoration {
  readonly range: vscode.Range;
  readonly label: string;
  readonly text: string;
  readonly dimmed: boolean;
  /** A multi-label line: its chips (at most two, see fitChips), drawn instead of `text`. */
  readonly chips?: readonly Chip[];
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
  /** Multi-label lines: every chip's text, color and width are the line's own (see chipOptions). */
  private chips = vscode.window.createTextEditorDecorationType({});

  /** A new model or layout: its classes take the palette's colors in order. Disposing the old types clears every editor. */
  reset(labels: readonly string[], layout: LabelLayout): void {
    this.types().forEach((t) => t.dispose());
    this.layout = layout;
    this.byLabel = new Map();
    this.dim = this.createType({ color: new vscode.ThemeColor(LOW_CONFIDENCE_COLOR_ID), fontStyle: 'italic' });
    this.placeholder = this.createType({});
    this.chips = vscode.window.createTextEditorDecorationType({});
    this.colorIndex = new Map(labels.map((label, i) => [label, i]));
  }

  /**
   * Replaces what the editor shows with `labels`; at the start of the lines, `unlabeled` lines (blank, hidden
   * or not classified yet) get the empty placeholder.
   */
  draw(editor: vscode.TextEditor, labels: readonly LabelDecoration[], unlabeled: readonly vscode.Range[]): void {
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>(this.types().map((t) => [t, []]));
    const attachment = this.layout.position === 'start' ? 'before' : 'after';
    const chipLines: vscode.DecorationOptions[] = [];
    for (const { range, label, text, dimmed, chips } of labels) {
      if (chips?.length) {
        chipLines.push(this.chipOptions(range, chips));
        continue;
      }
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
    byType.set(this.chips, chipLines);
    byType.forEach((options, type) => editor.setDecorations(type, options));
  }

  /**
   * The chips of one line as one decoration: the first chip is its `before`, the second (a class, "+N") its
   * `after`, on an empty range, so both come before the text at the start (after it at the end), in that order.
   * One decoration per line, not one per class: VS Code orders the attachments of different decoration types at
   * the same position by their generated CSS class names, not by anything we choose, so chips of several types
   * could swap places; the before and after of one decoration always keep their order. That is why a line shows
   * at most two chips (fitChips). At the start, the two boxes together are exactly the column's width.
   */
  private chipOptions(range: vscode.Range, chips: readonly Chip[]): vscode.DecorationOptions {
    const start = this.layout.position === 'start';
    const anchor = start ? new vscode.Range(range.start.line, 0, range.start.line, 0) : new vscode.Range(range.end, range.end);
    const [first, second] = chips;
    const firstColumns = second ? displayWidth(first.text) : this.layout.columns;
    const box = (chip: Chip, columns: number, margin: string): Attachment & { contentText: string } => ({
      contentText: chip.text,
      color: this.colorOf(chip),
      ...(chip.label === undefined ? { fontStyle: 'italic' } : {}),
      ...(start ? { width: `${columns}ch` } : {}),
      margin,
    });
    return {
      range: anchor,
      renderOptions: {
        before: box(first, firstColumns, start ? '0 1ch 0 0' : '0 0 0 2em'),
        ...(second ? { after: box(second, this.layout.columns - firstColumns - 1, start ? '0 1ch 0 0' : '0 0 0 1ch') } : {}),
      },
    };
  }

  /** A class chip in its class's color; "+N" and "—" in the quiet low-confidence color. */
  private colorOf(chip: Chip): vscode.ThemeColor {
    if (chip.label === undefined) return new vscode.ThemeColor(LOW_CONFIDENCE_COLOR_ID);
    return labelColor(this.colorIndex.get(chip.label) ?? this.colorIndex.size);
  }

  clear(editor: vscode.TextEditor): void {
    this.types().forEach((t) => editor.setDecorations(t, []));
  }

  /** At the start, the empty range before the line's first character; at the end, the line itself. */
  private anchor(range: vscode.Range): vscode.Range {
    return this.layout.position === 'start' ? new vscode.Range(range.start.line, 0, range.start.line, 0) : range;
  }

  private types(): vscode.TextEditorDecorationType[] {
    return [...this.byLabel.values(), this.dim, this.placeholder, this.chips];
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
