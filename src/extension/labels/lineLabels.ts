// Inline labels: the predicted class of each non-empty line of the visible editors, in a fixed-width column
// before the text (textcat.labels.position "start", the default: in view whatever the line's length) or after it.
//
// Visible ranges (plus a margin) → the Predictor (one batched request for the lines not cached) → decorations.
// Refreshes are debounced on scroll and edit and run one at a time (RefreshQueue). A refresh never draws what
// the worker answered for an older view: it draws the editor's current lines from the cache, and asks again
// for whatever is still missing. What is drawn is also recorded in LineClasses, which the overview ruler's
// marks read; once the visible lines are drawn, the background pass classifies the rest of the document for them.
// Which documents are labeled is LabelSwitch's; what each visible line shows, linesToDraw's; how labels look,
// LabelDecorations'; what a retrain changed, RetrainHighlights'; the ruler's marks, OverviewMarks'.
import * as vscode from 'vscode';
import type { ModelSummary } from '../../protocol/types';
import { reportError } from '../errors';
import { requireModel } from '../model/requireModel';
import type { Settings } from '../model/settings';
import type { LineLabel, LineLabelsService, Services } from '../services';
import { BackgroundPass } from './backgroundPass';
import { rulerShows } from './labelDensity';
import { LabelDecorations, type LabelDecoration, type LabelLayout } from './labelDecorations';
import { startColumnWidth } from './labelLayout';
import { LabelSwitch } from './labelSwitch';
import { linesToDraw } from './linesToDraw';
import { OverviewMarks } from './overviewMarks';
import { RefreshQueue } from './refreshQueue';
import { RetrainHighlights } from './retrainHighlights';
import { visibleLines } from './visibleLines';

type Deps = Pick<Services, 'settings' | 'predictor' | 'lineClasses' | 'log'>;

export class LineLabels implements LineLabelsService, vscode.Disposable {
  private readonly decorations = new LabelDecorations();
  private readonly marks = new OverviewMarks();
  private readonly highlights = new RetrainHighlights();
  readonly onDidChangeAfterRetrain = this.highlights.onDidChange;
  private readonly queue = new RefreshQueue((editor) => this.refresh(editor));
  private readonly background: BackgroundPass;
  private readonly switch = new LabelSwitch();
  private readonly shown = new Map<vscode.TextEditor, readonly LineLabel[]>();
  /** The layout the decoration types were made for. */
  private layoutKey = '';
  /** A failure is shown once per model, not on every scroll. */
  private failureShown = false;
  private readonly subscriptions: vscode.Disposable;

  constructor(private readonly s: Deps) {
    this.background = new BackgroundPass(s, (editor) => this.isShowing(editor) && this.s.settings.current.labels.overviewRuler);
    this.resetStyles();
    this.subscriptions = vscode.Disposable.from(
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of this.shown.keys()) if (!editors.includes(editor)) this.forget(editor);
        editors.forEach((e) => this.queue.schedule(e, 0));
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor }) => this.queue.schedule(textEditor)),
      vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => {
        if (this.s.settings.current.labels.show === 'activeLine') this.queue.schedule(textEditor, 0);
      }),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length) this.scheduleDocument(document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.switch.closed(document)),
      s.settings.onDidChange((settings) => {
        if (this.layoutKeyOf(settings) !== this.layoutKey) this.resetStyles();
        this.scheduleAll();
      }),
      s.predictor.onDidChangeModel((manifest) => this.useModel(manifest)),
      s.lineClasses.onDidChange((document) => this.scheduleMarks(document)),
    );
    this.scheduleAll();
  }

  shownLabels(editor: vscode.TextEditor): readonly LineLabel[] {
    return this.shown.get(editor) ?? [];
  }

  /** Whether labels are on for the document (a model is needed too). */
  isEnabled(document: vscode.TextDocument): boolean {
    return this.switch.isOn(document, this.s.settings.current);
  }

  toggle(): boolean {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !requireModel(this.s.predictor)) return false;
    const next = !this.isEnabled(editor.document);
    this.switch.choose(editor.document, next);
    this.scheduleDocument(editor.document, 0);
    return next;
  }

  show(document: vscode.TextDocument): void {
    this.switch.choose(document, true);
    this.scheduleDocument(document, 0);
  }

  private useModel(manifest: ModelSummary | undefined): void {
    this.highlights.modelChanging(manifest, this.shown);
    this.background.stop();
    this.resetStyles();
    this.shown.clear();
    this.failureShown = false;
    this.scheduleAll();
  }

  /** Decoration types for the model's classes and the layout the settings ask for (this clears every editor). */
  private resetStyles(): void {
    const settings = this.s.settings.current;
    this.layoutKey = this.layoutKeyOf(settings);
    this.decorations.reset(this.s.predictor.labels, this.layoutOf(settings));
    this.marks.reset(this.s.predictor.labels);
    this.shown.clear();
  }

  private layoutOf(settings: Settings): LabelLayout {
    const { position, showConfidence } = settings.labels;
    return { position, columns: startColumnWidth(this.s.predictor.labels, showConfidence) };
  }

  private layoutKeyOf(settings: Settings): string {
    return JSON.stringify(this.layoutOf(settings));
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
      this.render(editor, false); // what is known now, placeholders for the rest, so the text does not wait to move
      try {
        await this.s.predictor.classify(missing, { remember: true });
      } catch (error) {
        if (!this.failureShown) void reportError(this.s.log, vscode.l10n.t('Line labels'), error);
        this.failureShown = true;
        return;
      }
      if (!this.isShowing(editor)) return;
    }
    this.render(editor, true);
  }

  /**
   * Draws the editor's current visible lines from the cache. `complete`: after asking for what was missing, so
   * lines still missing are asked for next, and an editor drawn in full has its overview ruler filled in.
   */
  private render(editor: vscode.TextEditor, complete: boolean): void {
    const options = this.s.settings.current.labels;
    const { drawn, unlabeled, known, missing } = linesToDraw(editor, this.s.predictor, options);
    this.decorations.draw(editor, drawn satisfies LabelDecoration[], unlabeled);
    const labels = drawn.map(({ range: _range, ...label }) => label);
    this.shown.set(editor, labels);
    this.s.lineClasses.record(editor.document, known);
    if (!complete) return;
    if (missing) this.queue.schedule(editor);
    else this.highlights.drawn(editor, labels);
    if (options.overviewRuler) this.background.request(editor);
  }

  /** Redraws the overview ruler of the document's labeled editors (throttled). */
  private scheduleMarks(document: vscode.TextDocument): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document === document) this.marks.redrawSoon(editor, () => this.drawMarks(editor));
    }
  }

  private drawMarks(editor: vscode.TextEditor): void {
    const options = this.s.settings.current.labels;
    if (!options.overviewRuler || !this.isShowing(editor)) return this.marks.clear(editor);
    this.marks.draw(editor, this.s.lineClasses.of(editor.document), rulerShows(options, this.s.predictor.labels));
  }

  private clear(editor: vscode.TextEditor): void {
    this.decorations.clear(editor);
    this.marks.clear(editor);
    this.background.stop(editor);
    this.shown.delete(editor);
    this.highlights.cleared(editor); // nothing drawn: nothing to compare
  }

  /** The editor is no longer visible. */
  private forget(editor: vscode.TextEditor): void {
    this.shown.delete(editor);
    this.background.stop(editor);
    this.marks.forget(editor);
  }

  dispose(): void {
    this.queue.dispose();
    this.subscriptions.dispose();
    this.background.dispose();
    this.decorations.dispose();
    this.marks.dispose();
    this.highlights.dispose();
  }
}
