// Inline labels: the predicted class after each non-empty line of the visible editors.
//
// Visible ranges (plus a margin) → the Predictor (one batched request for the lines not cached) → decorations.
// Refreshes are debounced on scroll and edit and run one at a time (RefreshQueue). A refresh never draws what
// the worker answered for an older view: it draws the editor's current lines from the cache, and asks again
// for whatever is still missing. How labels look is LabelDecorations'; what a retrain changed, RetrainHighlights'.
import * as vscode from 'vscode';
import type { ModelManifest } from '../../protocol/types';
import { reportError } from '../errors';
import { requireModel } from '../model/requireModel';
import type { LineLabel, LineLabelsService, Services } from '../services';
import { LabelDecorations } from './labelDecorations';
import { labelText } from './labelFormat';
import { RefreshQueue } from './refreshQueue';
import { RetrainHighlights } from './retrainHighlights';
import { visibleLines } from './visibleLines';

export class LineLabels implements LineLabelsService, vscode.Disposable {
  private readonly decorations = new LabelDecorations();
  private readonly highlights = new RetrainHighlights();
  readonly onDidChangeAfterRetrain = this.highlights.onDidChange;
  private readonly queue = new RefreshQueue((editor) => this.refresh(editor));
  /** On/off chosen with the toggle command, by document; otherwise the settings decide. */
  private readonly overrides = new Map<string, boolean>();
  private readonly shown = new Map<vscode.TextEditor, readonly LineLabel[]>();
  /** A failure is shown once per model, not on every scroll. */
  private failureShown = false;
  private readonly subscriptions: vscode.Disposable;

  constructor(private readonly s: Pick<Services, 'settings' | 'predictor' | 'log'>) {
    this.decorations.reset(s.predictor.labels);
    this.subscriptions = vscode.Disposable.from(
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of this.shown.keys()) if (!editors.includes(editor)) this.shown.delete(editor);
        editors.forEach((e) => this.queue.schedule(e, 0));
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor }) => this.queue.schedule(textEditor)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length) this.scheduleDocument(document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.overrides.delete(document.uri.toString())),
      s.settings.onDidChange(() => this.scheduleAll()),
      s.predictor.onDidChangeModel((manifest) => this.useModel(manifest)),
    );
    this.scheduleAll();
  }

  shownLabels(editor: vscode.TextEditor): readonly LineLabel[] {
    return this.shown.get(editor) ?? [];
  }

  /** Whether labels are on for the document (a model is needed too). */
  isEnabled(document: vscode.TextDocument): boolean {
    const chosen = this.overrides.get(document.uri.toString());
    if (chosen !== undefined) return chosen;
    const { enabled, include } = this.s.settings.current.labels;
    return enabled && include.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
  }

  toggle(): boolean {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !requireModel(this.s.predictor)) return false;
    const next = !this.isEnabled(editor.document);
    this.overrides.set(editor.document.uri.toString(), next);
    this.scheduleDocument(editor.document, 0);
    return next;
  }

  show(document: vscode.TextDocument): void {
    this.overrides.set(document.uri.toString(), true);
    this.scheduleDocument(document, 0);
  }

  private useModel(manifest: ModelManifest | undefined): void {
    this.highlights.modelChanging(manifest, this.shown);
    this.decorations.reset(this.s.predictor.labels);
    this.shown.clear();
    this.failureShown = false;
    this.scheduleAll();
  }

  private scheduleAll(): void {
    vscode.window.visibleTextEditors.forEach((e) => this.queue.schedule(e, 0));
  }

  private scheduleDocument(document: vscode.TextDocument, delay?: number): void {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.queue.schedule(editor, delay);
  }

  private isShowing(editor: vscode.TextEditor): boolean {
    return vscode.window.visibleTextEditors.includes(editor) && this.s.predictor.hasModel() && this.isEnabled(editor.document);
  }

  private async refresh(editor: vscode.TextEditor): Promise<void> {
    if (!vscode.window.visibleTextEditors.includes(editor)) return;
    if (!this.isShowing(editor)) return this.clear(editor);
    const missing = visibleLines(editor)
      .map(({ text }) => text)
      .filter((text) => !this.s.predictor.cached(text, true));
    if (missing.length) {
      try {
        await this.s.predictor.classify(missing, { remember: true });
      } catch (error) {
        if (!this.failureShown) void reportError(this.s.log, vscode.l10n.t('Line labels'), error);
        this.failureShown = true;
        return;
      }
      if (!this.isShowing(editor)) return;
    }
    this.render(editor);
  }

  /** Draws the editor's current visible lines from the cache; lines still missing are asked for next. */
  private render(editor: vscode.TextEditor): void {
    const { showConfidence, minConfidence, lowConfidence } = this.s.settings.current.labels;
    const drawn: (LineLabel & { range: vscode.Range })[] = [];
    let missing = false;
    for (const { line, text, range } of visibleLines(editor)) {
      const prediction = this.s.predictor.cached(text, true);
      if (!prediction) missing = true;
      const dimmed = prediction !== undefined && prediction.confidence < minConfidence;
      if (!prediction || (dimmed && lowConfidence === 'hide')) continue;
      const { label, confidence } = prediction;
      drawn.push({ line, range, label, confidence, dimmed, text: labelText(prediction, showConfidence) });
    }
    this.decorations.draw(editor, drawn);
    const labels = drawn.map(({ line, label, confidence, text, dimmed }) => ({ line, label, confidence, text, dimmed }));
    this.shown.set(editor, labels);
    if (missing) this.queue.schedule(editor);
    else this.highlights.drawn(editor, labels);
  }

  private clear(editor: vscode.TextEditor): void {
    this.decorations.clear(editor);
    this.shown.delete(editor);
    this.highlights.cleared(editor); // nothing drawn: nothing to compare
  }

  dispose(): void {
    this.queue.dispose();
    this.subscriptions.dispose();
    this.decorations.dispose();
    this.highlights.dispose();
  }
}
