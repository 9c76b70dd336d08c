// What the current model said about each line of the open documents that show labels: its class (an index into
// the model's labels; a multi-label model's full list too) and confidence, kept in two typed arrays per document
// (6 bytes a line). Filled from the labels drawn, the background pass, the searches of "Go to Next Line of
// Class" and the filter; edits shift the lines after them and forget the edited ones; a new model forgets
// everything. Lines are asked of the Predictor in bounded chunks, never the whole document at once, and a
// cancelled token stops between chunks.
import * as vscode from 'vscode';
import type { Prediction } from '../../protocol/types';
import type { CancellationSignal } from '../../worker/client';
import { BLANK, DocumentClasses, NO_CLASS, UNKNOWN } from './documentClasses';
import type { Predictor } from './predictor';

export { BLANK, DocumentClasses, UNKNOWN } from './documentClasses';

/** Lines asked of the worker in one request. */
export const CHUNK_LINES = 500;

export class LineClasses implements vscode.Disposable {
  private readonly documents = new Map<string, DocumentClasses>();
  private classIndex = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires when lines of a document got their class. */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable;

  constructor(private readonly predictor: Predictor) {
    this.useLabels(predictor.labels);
    this.subscriptions = vscode.Disposable.from(
      predictor.onDidChangeModel(() => {
        this.documents.clear();
        this.useLabels(predictor.labels);
      }),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => this.edited(document, contentChanges)),
      vscode.workspace.onDidCloseTextDocument((document) => this.documents.delete(document.uri.toString())),
    );
  }

  /** The lines of `document` as known so far (created empty on first use). */
  of(document: vscode.TextDocument): DocumentClasses {
    const key = document.uri.toString();
    let classes = this.documents.get(key);
    if (!classes || classes.lineCount !== document.lineCount) {
      classes = new DocumentClasses(document.lineCount);
      this.documents.set(key, classes);
    }
    return classes;
  }

  /** Records predictions for lines of the document as it is now (the visible labels). */
  record(document: vscode.TextDocument, lines: readonly { line: number; prediction: Prediction }[]): void {
    const classes = this.of(document);
    for (const { line, prediction } of lines) {
      if (prediction.labels) {
        // Multi-label: every class over its threshold, each of which the line shows whatever minConfidence says
        // (the thresholds decide), hence confidence 1; none over: classified, of no class.
        const [first, ...others] = prediction.labels.map((label) => this.indexOf(label));
        classes.set(line, first ?? NO_CLASS, 1, others);
      } else classes.set(line, this.indexOf(prediction.label), prediction.confidence);
    }
    if (lines.length) this.emitter.fire(document);
  }

  /**
   * Classifies the given lines that are still unknown, CHUNK_LINES at a time (blank ones are marked without
   * asking). Answers for a document edited meanwhile are dropped; false when there is no model.
   */
  async classify(document: vscode.TextDocument, lines: readonly number[], token?: CancellationSignal): Promise<boolean> {
    const classes = this.of(document);
    const todo: number[] = [];
    for (const line of lines) {
      if (classes.classOf(line) !== UNKNOWN) continue;
      if (document.lineAt(line).isEmptyOrWhitespace) classes.set(line, BLANK, 0);
      else todo.push(line);
    }
    for (let start = 0; start < todo.length; start += CHUNK_LINES) {
      if (token?.isCancellationRequested) return true;
      const chunk = todo.slice(start, start + CHUNK_LINES);
      const version = document.version;
      const result = await this.predictor.classify(
        chunk.map((line) => document.lineAt(line).text),
        { remember: false, token },
      );
      if (!result) return false;
      if (document.version !== version) return true; // the lines moved: the next pass asks again
      this.record(
        document,
        chunk.map((line, i) => ({ line, prediction: result.predictions[i] })),
      );
    }
    return true;
  }

  private useLabels(labels: readonly string[]): void {
    this.classIndex = new Map(labels.map((label, i) => [label, i]));
  }

  /** The label's index among the model's classes (the Predictor learns them from the worker's first answer). */
  private indexOf(label: string): number {
    if (!this.classIndex.has(label)) this.useLabels(this.predictor.labels);
    return this.classIndex.get(label) ?? BLANK; // never UNKNOWN: that would ask again forever
  }

  /** Later changes first, so the line numbers of the earlier ones still hold. */
  private edited(document: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    const classes = this.documents.get(document.uri.toString());
    if (!classes || !changes.length) return;
    for (const change of [...changes].sort((a, b) => b.range.start.compareTo(a.range.start))) {
      const added = change.text.split('\n').length - 1;
      classes.splice(change.range.start.line, change.range.end.line - change.range.start.line, added);
    }
    if (classes.lineCount !== document.lineCount) this.documents.delete(document.uri.toString());
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.emitter.dispose();
  }
}
