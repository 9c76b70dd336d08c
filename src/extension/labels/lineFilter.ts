// "Show Only Lines of Class…", "Hide Lines of Class…", "Show All Lines": the editor as a filter. Lines are
// hidden by folding (VS Code's manual folding ranges, which win over the language's own ranges where they
// overlap), so the real file stays open and editable and the line numbers stay true. The folds are made by
// selecting them and running editor.createFoldingRangeFromSelection (a thousand a command; VS Code takes a few
// milliseconds a fold, so the part in view is folded first and the rest in the background, which the status bar
// item shows and a new filter, an edit, Show All Lines or leaving the editor stops), and
// removed with editor.removeManualFoldingRanges over the whole file: once a filter has folded a file, applying
// it again or Show All Lines also removes manual folding ranges a person made in that file. Both commands act on
// the active editor, so a filter of a document that is not active is applied when it next becomes active.
//
// The filter belongs to the document: it is applied again (debounced) after an edit, once the edited lines are
// classified, and after a new model when one of its classes is still there; it ends when the document closes.
// The cursor's lines always stay in view (VS Code would unfold a range holding the cursor anyway). A status bar
// item says what is shown and hides it on click; the context key textcat.linesFiltered says a filter is on.
import * as vscode from 'vscode';
import { requireModel } from '../model/requireModel';
import { showWarning } from '../notify';
import type { LineFilterService, LineFilterState, Services } from '../services';
import { foldable, MAX_FOLDS, removeFolds } from './editorFolds';
import { foldVisibleFirst } from './filterFolding';
import { filterFolds, type FilterMode } from './filterFolds';
import { filterStatus } from './filterStatus';
import { rulerShows } from './labelDensity';
import { countLines, givenLabels, pickClasses } from './linesPerClass';

type Deps = Pick<Services, 'settings' | 'predictor' | 'lineClasses' | 'log'>;

/** `folded`: its folds are in the file (removed before folding again); `applied`: the apply that folds it now. */
type Filter = Omit<LineFilterState, 'folding'> & { due?: ReturnType<typeof setTimeout>; stale: boolean; folded: boolean } & {
  folding?: { done: number; total: number };
  applied?: number;
};

const CONTEXT_KEY = 'textcat.linesFiltered';
const REAPPLY_AFTER_EDIT_MS = 800;

export class LineFilter implements LineFilterService, vscode.Disposable {
  private readonly filters = new Map<string, Filter>();
  private readonly item = vscode.window.createStatusBarItem('textcat.filter', vscode.StatusBarAlignment.Right, 99);
  /** Bumped by every apply: an older one still classifying or folding gives up. */
  private generation = 0;
  /** The folding under way (one at a time: it acts on the active editor), until it ends or stops. */
  private running: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable;

  constructor(private readonly s: Deps) {
    this.item.name = vscode.l10n.t('Textcat filter');
    this.item.command = 'textcat.showAllLines';
    this.subscriptions = vscode.Disposable.from(
      vscode.workspace.onDidCloseTextDocument((document) => this.end(document)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length) this.reapplySoon(document);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        this.updateStatus();
        const filter = editor && this.filters.get(key(editor.document));
        if (editor && filter?.stale) void this.apply(editor);
      }),
      s.predictor.onDidChangeModel(() => this.useModel()),
    );
    this.updateStatus();
  }

  stateOf(document: vscode.TextDocument): LineFilterState | undefined {
    const filter = this.filters.get(key(document));
    if (!filter) return undefined;
    const { mode, labels, hiddenLines, firstLineKept, unknownLines, filteredTo, folding } = filter;
    return { mode, labels, hiddenLines, firstLineKept, unknownLines, filteredTo, folding: folding && { ...folding } };
  }

  /**
   * textcat.showOnlyLinesOfClass / textcat.hideLinesOfClass. `arg`: the classes (a string or a list), else a
   * quick pick asks, with each class's lines in this file. Resolves with the filter now on, or undefined.
   */
  async filter(mode: FilterMode, arg?: unknown): Promise<LineFilterState | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void showWarning(vscode.l10n.t('Open a file to filter its lines by class.'));
      return undefined;
    }
    if (!requireModel(this.s.predictor)) return undefined;
    const before = this.filters.get(key(editor.document));
    const labels = givenLabels(arg) ?? (await pickClasses(this.s, editor.document, mode, before?.mode === mode ? before.labels : []));
    if (!labels?.length) return undefined;
    const document = editor.document;
    const current = this.filters.get(key(document));
    this.filters.set(key(document), {
      mode,
      labels,
      hiddenLines: 0,
      firstLineKept: false,
      unknownLines: 0,
      stale: true,
      folded: current?.folded ?? false,
    });
    await this.apply(editor);
    return this.stateOf(document);
  }

  /** textcat.showAllLines: ends the active document's filter and unfolds its lines; whether one was on. */
  async showAll(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const filter = editor && this.filters.get(key(editor.document));
    if (!editor || !filter) return false;
    this.end(editor.document);
    await this.running; // a folding under way stops after its current command: the filter is gone
    if (filter.folded) await removeFolds(editor);
    return true;
  }

  /** Classifies what is not known yet, then folds what the filter hides (in the active editor only). */
  private async apply(editor: vscode.TextEditor): Promise<void> {
    const document = editor.document;
    const generation = ++this.generation;
    if (!(await countLines(this.s, document))) return this.end(document); // no model any more
    const filter = this.filters.get(key(document));
    if (!filter) return;
    if (generation !== this.generation) {
      filter.stale = true; // another apply came after this one: this document's turn comes when it is active
      return;
    }
    if (vscode.window.activeTextEditor !== editor) {
      filter.stale = true; // folding acts on the active editor: done when it is active again
      return;
    }
    const labels = this.s.predictor.labels;
    const chosen = new Set(filter.labels.map((l) => labels.indexOf(l)).filter((i) => i >= 0));
    const shows = rulerShows({ ...this.s.settings.current.labels, show: 'all' }, labels);
    const keep = new Set(editor.selections.map((s) => s.active.line));
    const result = filterFolds(this.s.lineClasses.of(document), filter.mode, chosen, shows, keep);
    const folds = foldable(document, result.folds.slice(0, MAX_FOLDS));
    const cut = folds.length < result.folds.length;
    const hiddenLines = folds.reduce((n, f) => n + f.end - f.start, 0);
    Object.assign(filter, {
      hiddenLines,
      filteredTo: cut ? folds[folds.length - 1].end + 1 : undefined,
      firstLineKept: result.firstLineKept,
      unknownLines: result.unknownLines,
      stale: false,
      applied: generation,
    });
    const stillCurrent = () =>
      generation === this.generation && this.filters.get(key(document)) === filter && vscode.window.activeTextEditor === editor;
    await this.running; // a folding still under way stops after its current command (this apply came after it)
    if (!stillCurrent()) return this.interrupted(filter, generation);
    const removeFirst = filter.folded;
    Object.assign(filter, { folded: true, folding: { done: 0, total: folds.length } });
    this.updateStatus();
    // The part in view first, then the rest in the background (filterFolding.ts): the command resolves once the
    // screen shows the filter.
    let inView!: () => void;
    const shown = new Promise<void>((resolve) => (inView = resolve));
    const where = `filter of ${document.uri.fsPath}`;
    this.running = foldVisibleFirst(editor, folds, {
      removeFirst,
      inView,
      cancelled: () => !stillCurrent(),
      onProgress: (done) => {
        filter.folding = { done, total: folds.length };
        this.updateStatus();
      },
      log: (message) => this.s.log.info(`${where}: ${message}, ${hiddenLines} lines hidden`),
    })
      .then(
        (finished) => (finished ? this.finished(filter) : this.interrupted(filter, generation)),
        (error) => {
          this.s.log.warn(`${where}: folding stopped: ${String(error)}`);
          this.interrupted(filter, generation);
        },
      )
      .finally(inView);
    await shown;
  }

  private finished(filter: Filter): void {
    filter.folding = undefined;
    this.updateStatus();
  }

  /**
   * Folding stopped part-way (another apply, the editor left): the filter is folded again from the start when
   * its editor is active next; a filter that ended (Show All Lines, file closed) is already gone.
   */
  private interrupted(filter: Filter, generation: number): void {
    if (filter.applied !== generation) return; // a newer apply folds this filter now
    filter.folding = undefined;
    filter.stale = true;
    this.updateStatus();
  }

  private reapplySoon(document: vscode.TextDocument): void {
    const filter = this.filters.get(key(document));
    if (!filter) return;
    // Folds still to be made have the lines before the edit: the folding stops now, the filter is applied again.
    if (filter.folding) this.generation++;
    clearTimeout(filter.due);
    filter.due = setTimeout(() => {
      filter.due = undefined;
      const editor = vscode.window.activeTextEditor;
      if (editor?.document === document) void this.apply(editor);
      else filter.stale = true;
    }, REAPPLY_AFTER_EDIT_MS);
  }

  /** A new model: the filters whose classes it still has are applied again, the others end. */
  private useModel(): void {
    const labels = this.s.predictor.labels;
    for (const document of vscode.workspace.textDocuments) {
      const filter = this.filters.get(key(document));
      if (!filter) continue;
      if (!filter.labels.some((l) => labels.includes(l))) {
        this.end(document);
        const editor = vscode.window.activeTextEditor;
        if (filter.folded && editor?.document === document) void this.running.then(() => removeFolds(editor));
        continue;
      }
      filter.stale = true;
      if (vscode.window.activeTextEditor?.document === document) void this.apply(vscode.window.activeTextEditor);
    }
  }

  private end(document: vscode.TextDocument): void {
    const filter = this.filters.get(key(document));
    if (!filter) return;
    clearTimeout(filter.due);
    this.filters.delete(key(document));
    this.updateStatus();
  }

  private updateStatus(): void {
    const editor = vscode.window.activeTextEditor;
    const filter = editor && this.filters.get(key(editor.document));
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, filter !== undefined);
    if (!filter) return this.item.hide();
    Object.assign(this.item, filterStatus(filter, MAX_FOLDS));
    this.item.show();
  }

  dispose(): void {
    for (const filter of this.filters.values()) clearTimeout(filter.due);
    this.subscriptions.dispose();
    this.item.dispose();
  }
}

const key = (document: vscode.TextDocument) => document.uri.toString();
