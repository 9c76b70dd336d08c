// The bounded background pass behind the overview ruler: once an editor's visible labels are drawn, the rest of
// its document (its first BACKGROUND_LINES lines) is classified a chunk at a time, one editor at a time, with a
// pause between chunks so the visible lines' requests go first. It stops when the editor is hidden, its labels
// are turned off, the model changes, or everything is known; a failure is logged (the visible labels report
// their own). Predictions of the pass are not kept in the Predictor's cache (they would flush the visible lines').
import * as vscode from 'vscode';
import { errorMessage } from '../../core/format/errorText';
import { UNKNOWN, unknownLines } from '../model/documentClasses';
import { CHUNK_LINES } from '../model/lineClasses';
import type { Services } from '../services';

/** How many lines of a document (from the top) the pass classifies at most: a few seconds of the worker. */
export const BACKGROUND_LINES = 20_000;
const PAUSE_MS = 30;
/** Chunks in a row that taught nothing (the document keeps changing under the pass) before it gives up. */
const MAX_STALLS = 3;

type Deps = Pick<Services, 'lineClasses' | 'log'>;

export class BackgroundPass implements vscode.Disposable {
  private readonly waiting = new Set<vscode.TextEditor>();
  private current: { editor: vscode.TextEditor; cancel: vscode.CancellationTokenSource } | undefined;

  /** `stillWanted`: whether the editor still shows labels (checked between chunks). */
  constructor(
    private readonly s: Deps,
    private readonly stillWanted: (editor: vscode.TextEditor) => boolean,
  ) {}

  /** Classifies the rest of the editor's document, unless that is done or under way. */
  request(editor: vscode.TextEditor): void {
    if (this.current?.editor === editor) return;
    this.waiting.add(editor);
    void this.drain();
  }

  /** Stops the pass (of one editor, or all: a new model). */
  stop(editor?: vscode.TextEditor): void {
    if (editor) this.waiting.delete(editor);
    else this.waiting.clear();
    if (!editor || this.current?.editor === editor) this.current?.cancel.cancel();
  }

  private async drain(): Promise<void> {
    if (this.current) return;
    for (const editor of this.waiting) {
      this.waiting.delete(editor);
      const cancel = new vscode.CancellationTokenSource();
      this.current = { editor, cancel };
      try {
        await this.run(editor, cancel.token);
      } catch (error) {
        if (!cancel.token.isCancellationRequested)
          this.s.log.warn(`background labels of ${editor.document.uri.fsPath}: ${errorMessage(error)}`);
      } finally {
        cancel.dispose();
        this.current = undefined;
      }
    }
  }

  private async run(editor: vscode.TextEditor, token: vscode.CancellationToken): Promise<void> {
    const document = editor.document;
    for (let stalls = 0; stalls < MAX_STALLS;) {
      if (token.isCancellationRequested || document.isClosed || !this.stillWanted(editor)) return;
      const lines = unknownLines(this.s.lineClasses.of(document), BACKGROUND_LINES, CHUNK_LINES);
      if (!lines.length || !(await this.s.lineClasses.classify(document, lines, token))) return;
      stalls = this.s.lineClasses.of(document).classOf(lines[0]) === UNKNOWN ? stalls + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }

  dispose(): void {
    this.stop();
  }
}
