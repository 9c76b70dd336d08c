// Inline labels: the predicted class after each non-empty line of the visible editors.
//
// Visible ranges (plus a margin) → one batched predict in the worker for the lines not in the cache →
// decorations. Refreshes are debounced on scroll and edit and run one at a time; a refresh never draws
// what the worker answered for an older view: it draws the editor's current lines from the cache, and
// asks again for whatever is still missing. Nothing here walks the whole document.
//
// The hover adds, on demand (not for every line), why the model chose the class (occlusion weights from
// the worker, cached like the predictions) and links that correct the label. After a retrain, the lines
// of the visible editors whose label changed are highlighted once.
import * as vscode from 'vscode';
import type { Explanation, ModelManifest, Prediction } from '../protocol';
import { labelColor, LOW_CONFIDENCE_COLOR_ID } from './labelPalette';
import { labelText, lineHover } from './labelFormat';
import { PredictionCache } from './predictionCache';
import { offerTraining } from './training';
import type { Services } from './services';

const DEBOUNCE_MS = 150;
/** Lines above and below the visible ones classified ahead, so a short scroll shows labels at once. */
const MARGIN_LINES = 50;
/** A safety cap for editors with many visible ranges (folding, tall windows). */
const MAX_LINES_PER_REFRESH = 2_000;
const CACHE_SIZE = 30_000;
/** Explanations are asked for one hovered line at a time; a few hundred cover any session. */
const EXPLANATION_CACHE_SIZE = 500;
/** How long the lines whose label changed after a retrain stay highlighted (an edit clears them sooner). */
const CHANGED_HIGHLIGHT_MS = 4_000;
/** Labels drawn before a retrain are compared with the new model's only if it arrives within this time. */
const RETRAIN_COMPARE_MS = 120_000;
export const CHANGED_LABEL_COLOR_ID = 'textcat.changedLabelBackground';

/** One label as drawn: the test hook and the hover read these. */
export interface LineLabel {
  /** 0-based line number. */
  readonly line: number;
  readonly label: string;
  readonly confidence: number;
  /** The text drawn after the line ("spam 97%"). */
  readonly text: string;
  /** Under textcat.labels.minConfidence, drawn in the dim style (hidden ones are not listed). */
  readonly dimmed: boolean;
}

/** A line whose label a retrain changed (lastChangedLines, the test hook). */
export interface ChangedLine {
  readonly uri: string;
  /** 0-based line number. */
  readonly line: number;
  readonly before: string;
  readonly after: string;
}

/** The model's answer for some texts, in their order; undefined when there is no model. */
export interface Classified {
  readonly labels: readonly string[];
  readonly predictions: readonly Prediction[];
}

export class LineLabels implements vscode.Disposable {
  private readonly cache = new PredictionCache(CACHE_SIZE);
  private readonly explanations = new PredictionCache<Explanation>(EXPLANATION_CACHE_SIZE);
  private readonly changedType = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor(CHANGED_LABEL_COLOR_ID),
    isWholeLine: true,
  });
  /** Labels drawn by the previous model, by document and line, until the new model has drawn its own. */
  private beforeRetrain: { at: number; documents: Map<string, Map<number, { text: string; label: string }>> } | undefined;
  /** Documents still to compare after a retrain, and what was found so far. */
  private comparing: { pending: Set<string>; changed: ChangedLine[] } | undefined;
  private comparingBefore = new Map<string, Map<number, { text: string; label: string }>>();
  private changedEditors = new Set<vscode.TextEditor>();
  private changedTimer: ReturnType<typeof setTimeout> | undefined;
  private lastChanged: readonly ChangedLine[] = [];
  // One decoration type per visual style: one per label of the current model (its palette color),
  // made when the model's labels are known and disposed when the model changes, and one dim style.
  private labelTypes = new Map<string, vscode.TextEditorDecorationType>();
  private readonly dimType = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(LOW_CONFIDENCE_COLOR_ID), fontStyle: 'italic' },
  });
  /** The model's labels in the order of Prediction.probabilities (the worker's reply, else the manifest). */
  private labels: readonly string[] = [];
  /** Bumped on every model change: answers for an older model are dropped, not cached. */
  private modelEpoch = 0;
  private errorShownForEpoch = -1;
  /** On/off chosen with the toggle command, by document; otherwise the settings decide. */
  private readonly overrides = new Map<string, boolean>();
  private readonly shown = new Map<vscode.TextEditor, LineLabel[]>();
  private readonly dirty = new Set<vscode.TextEditor>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.subscriptions = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of this.shown.keys()) if (!editors.includes(editor)) this.shown.delete(editor);
        if (this.comparing)
          this.finishComparing([...this.comparing.pending].filter((uri) => !editors.some((e) => e.document.uri.toString() === uri)));
        editors.forEach((e) => this.schedule(e, 0));
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor }) => this.schedule(textEditor)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length === 0) return;
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.schedule(editor);
        for (const editor of this.changedEditors) if (editor.document === document) this.clearChanged(editor);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.overrides.delete(document.uri.toString())),
      services.settings.onDidChange(() => this.scheduleAll(0)),
      services.model.onDidChangeModel((manifest) => this.useModel(manifest)),
      vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], {
        provideHover: (document, position, token) => this.hover(document, position, token),
      }),
    ];
    this.useModel(services.model.manifest);
  }

  /** What the editor shows now (test hook). */
  labelsFor(editor: vscode.TextEditor): readonly LineLabel[] {
    return this.shown.get(editor) ?? [];
  }

  /** The lines whose label the last retrain changed in the editors visible then (test hook). */
  get lastChangedLines(): readonly ChangedLine[] {
    return this.lastChanged;
  }

  /** Whether labels are on for the document (a model is required too, see isShowing). */
  isEnabled(document: vscode.TextDocument): boolean {
    const chosen = this.overrides.get(document.uri.toString());
    if (chosen !== undefined) return chosen;
    const { enabled, include } = this.services.settings.current.labels;
    return enabled && include.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
  }

  /** Turns labels on or off for the active editor's document; returns whether they are now on. */
  toggle(): boolean {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return false;
    if (!this.hasModel()) {
      offerTraining();
      return false;
    }
    const next = !this.isEnabled(editor.document);
    this.overrides.set(editor.document.uri.toString(), next);
    for (const e of vscode.window.visibleTextEditors) if (e.document === editor.document) this.schedule(e, 0);
    return next;
  }

  /** The current model's labels, in the order of Prediction.probabilities. */
  modelLabels(): readonly string[] {
    return this.labels;
  }

  hasModel(): boolean {
    return this.services.model.manifest !== undefined && this.services.settings.current.modelDir !== undefined;
  }

  /**
   * Predictions for the given texts in one worker request (cached ones are not asked again).
   * `remember: false` keeps a bulk job (export) from flushing the cache of the visible lines.
   */
  async classify(texts: readonly string[], options: { remember: boolean }): Promise<Classified | undefined> {
    let labels: string[] | undefined;
    const predictions = await this.askWorker(texts, this.cache, options.remember, async (dir, missing) => {
      const reply = await this.services.worker.predict(dir, missing);
      labels = reply.labels;
      return reply.predictions;
    });
    if (!predictions) return undefined;
    if (labels) this.labels = labels;
    return { labels: this.labels, predictions };
  }

  /** Why the model labels each text as it does (occlusion weights); cached, asked for in one request. */
  explain(texts: readonly string[]): Promise<Explanation[] | undefined> {
    return this.askWorker(texts, this.explanations, true, (dir, missing) => this.services.worker.explain(dir, missing));
  }

  /** One answer per text: the cached ones, and the rest from one worker request for the current model. */
  private async askWorker<V>(
    texts: readonly string[],
    cache: PredictionCache<V>,
    remember: boolean,
    ask: (modelDir: string, missing: string[]) => Promise<V[]>,
  ): Promise<V[] | undefined> {
    const dir = this.services.settings.current.modelDir;
    if (!dir || !this.hasModel()) return undefined;
    const epoch = this.modelEpoch;
    const keys = texts.map((t) => this.modelInput(t));
    const missing = [...new Set(keys.filter((k) => !cache.peek(k)))];
    const fresh = new Map<string, V>();
    if (missing.length) {
      const answers = await ask(dir.fsPath, missing);
      // The model changed while the worker ran: these answers are the old model's; ask again.
      if (epoch !== this.modelEpoch) return this.askWorker(texts, cache, remember, ask);
      missing.forEach((k, i) => {
        fresh.set(k, answers[i]);
        if (remember) cache.set(k, answers[i]);
      });
    }
    return keys.map((k) => fresh.get(k) ?? cache.peek(k)!);
  }

  private useModel(manifest: ModelManifest | undefined): void {
    this.rememberLabelsBeforeRetrain(manifest);
    this.modelEpoch++;
    this.cache.clear();
    this.explanations.clear();
    this.labelTypes.forEach((t) => t.dispose()); // also removes their decorations from every editor
    this.labelTypes = new Map();
    this.labels = manifest?.labels ?? [];
    this.labels.forEach((label) => this.labelType(label));
    this.shown.clear();
    this.scheduleAll(0);
  }

  private labelType(label: string): vscode.TextEditorDecorationType {
    let type = this.labelTypes.get(label);
    if (!type) {
      type = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', color: labelColor(this.labelTypes.size) } });
      this.labelTypes.set(label, type);
    }
    return type;
  }

  /**
   * Truncates a line before it goes to the worker. The tokenizer keeps only the first maxLength tokens (as in
   * training); this character cap keeps a minified megabyte line from travelling whole, and is far above
   * what maxLength tokens take. It is also the cache key, so keys stay small.
   */
  private modelInput(text: string): string {
    const maxLength = this.services.model.manifest?.options.maxLength ?? 64;
    return text.length > maxLength * 128 ? text.slice(0, maxLength * 128) : text;
  }

  private isShowing(editor: vscode.TextEditor): boolean {
    return this.hasModel() && this.isEnabled(editor.document);
  }

  private scheduleAll(delay = DEBOUNCE_MS): void {
    vscode.window.visibleTextEditors.forEach((e) => this.schedule(e, delay));
  }

  private schedule(editor: vscode.TextEditor, delay = DEBOUNCE_MS): void {
    this.dirty.add(editor);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delay);
  }

  /** Refreshes the editors marked dirty, one at a time, so at most one predict request is in flight. */
  private async drain(): Promise<void> {
    if (this.draining) return; // the running drain re-arms the timer for editors marked meanwhile
    this.draining = true;
    try {
      const editors = [...this.dirty];
      this.dirty.clear();
      for (const editor of editors) await this.refresh(editor);
    } finally {
      this.draining = false;
      if (this.dirty.size && !this.timer) this.schedule([...this.dirty][0]);
    }
  }

  private async refresh(editor: vscode.TextEditor): Promise<void> {
    if (!vscode.window.visibleTextEditors.includes(editor)) return;
    if (!this.isShowing(editor)) return this.clear(editor);
    const missing = visibleLines(editor)
      .map(({ text }) => this.modelInput(text))
      .filter((k) => !this.cache.get(k));
    if (missing.length) {
      const epoch = this.modelEpoch;
      try {
        await this.classify(missing, { remember: true });
      } catch (error) {
        this.reportError(error, epoch);
        return;
      }
      if (!vscode.window.visibleTextEditors.includes(editor) || !this.isShowing(editor)) return;
    }
    this.render(editor);
  }

  /** Draws the editor's current visible lines from the cache; lines still missing are asked for next. */
  private render(editor: vscode.TextEditor): void {
    const { showConfidence, minConfidence, lowConfidence } = this.services.settings.current.labels;
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>(
      [...this.labelTypes.values(), this.dimType].map((t) => [t, []]),
    );
    const drawn: LineLabel[] = [];
    let missing = false;
    for (const { line, text, range } of visibleLines(editor)) {
      const prediction = this.cache.get(this.modelInput(text));
      if (!prediction) {
        missing = true;
        continue;
      }
      const dimmed = prediction.confidence < minConfidence;
      if (dimmed && lowConfidence === 'hide') continue;
      const contentText = labelText(prediction, showConfidence);
      const type = dimmed ? this.dimType : this.labelType(prediction.label);
      if (!byType.has(type)) byType.set(type, []);
      byType.get(type)!.push({ range, renderOptions: { after: { contentText } } });
      drawn.push({ line, label: prediction.label, confidence: prediction.confidence, text: contentText, dimmed });
    }
    byType.forEach((options, type) => editor.setDecorations(type, options));
    this.shown.set(editor, drawn);
    if (missing) this.schedule(editor);
    else this.compareWithPreviousModel(editor, drawn);
  }

  /**
   * On a model change, keeps what the visible editors show (line, text, label) so the new model's labels can
   * be compared with it. A retrain may pass through "no model" (the folder is replaced by a rename), so the
   * snapshot survives an undefined manifest and is used by the next model that arrives soon enough.
   */
  private rememberLabelsBeforeRetrain(next: ModelManifest | undefined): void {
    if (this.shown.size) {
      const documents = new Map<string, Map<number, { text: string; label: string }>>();
      for (const [editor, drawn] of this.shown) {
        if (!drawn.length) continue;
        const lines = new Map(drawn.map((l) => [l.line, { text: editor.document.lineAt(l.line).text, label: l.label }] as const));
        documents.set(editor.document.uri.toString(), lines);
      }
      if (documents.size) this.beforeRetrain = { at: Date.now(), documents };
    }
    const before = this.beforeRetrain;
    if (!next || !before) return;
    this.beforeRetrain = undefined;
    if (Date.now() - before.at > RETRAIN_COMPARE_MS) return;
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    const pending = new Set([...before.documents.keys()].filter((uri) => visible.has(uri)));
    this.comparing = pending.size ? { pending, changed: [] } : undefined;
    this.comparingBefore = before.documents;
  }

  /** Once the new model has drawn an editor in full: highlight its lines whose label changed (same text). */
  private compareWithPreviousModel(editor: vscode.TextEditor, drawn: readonly LineLabel[]): void {
    const uri = editor.document.uri.toString();
    if (!this.comparing?.pending.has(uri)) return;
    const before = this.comparingBefore.get(uri)!;
    const changed: ChangedLine[] = [];
    for (const l of drawn) {
      const old = before.get(l.line);
      if (old && old.label !== l.label && old.text === editor.document.lineAt(l.line).text)
        changed.push({ uri, line: l.line, before: old.label, after: l.label });
    }
    this.comparing.changed.push(...changed);
    if (changed.length) {
      editor.setDecorations(
        this.changedType,
        changed.map((c) => editor.document.lineAt(c.line).range),
      );
      this.changedEditors.add(editor);
      clearTimeout(this.changedTimer);
      this.changedTimer = setTimeout(() => [...this.changedEditors].forEach((e) => this.clearChanged(e)), CHANGED_HIGHLIGHT_MS);
    }
    this.finishComparing([uri]);
  }

  /** Marks documents compared; when none is left, reports the count once in the status bar. */
  private finishComparing(uris: readonly string[]): void {
    const comparing = this.comparing;
    if (!comparing) return;
    uris.forEach((u) => comparing.pending.delete(u));
    if (comparing.pending.size) return;
    this.comparing = undefined;
    this.comparingBefore = new Map();
    this.lastChanged = comparing.changed;
    const n = comparing.changed.length;
    const message =
      n === 1
        ? vscode.l10n.t('Textcat: the new model changed 1 line label')
        : vscode.l10n.t('Textcat: the new model changed {0} line labels', n);
    this.services.log.info(`retrain: ${n} visible line label(s) changed`);
    vscode.window.setStatusBarMessage(message, 5_000);
  }

  private clearChanged(editor: vscode.TextEditor): void {
    editor.setDecorations(this.changedType, []);
    this.changedEditors.delete(editor);
  }

  private clear(editor: vscode.TextEditor): void {
    [...this.labelTypes.values(), this.dimType].forEach((t) => editor.setDecorations(t, []));
    this.shown.delete(editor);
    this.finishComparing([editor.document.uri.toString()]); // nothing drawn: nothing to compare
  }

  private reportError(error: unknown, epoch: number): void {
    const message = error instanceof Error ? error.message : String(error);
    this.services.log.error(`line labels: ${message}`);
    if (this.errorShownForEpoch === epoch) return; // once per model, not on every scroll
    this.errorShownForEpoch = epoch;
    void vscode.window.showErrorMessage(vscode.l10n.t('Textcat could not label lines: {0}', message));
  }

  private async hover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const editor = vscode.window.visibleTextEditors.find(
      (e) => e.document === document && this.shown.get(e)?.some((l) => l.line === position.line),
    );
    if (!editor) return undefined;
    const line = document.lineAt(position.line);
    const prediction = this.cache.peek(this.modelInput(line.text));
    if (!prediction) return undefined;
    const labels = this.labels;
    const { minConfidence, explain } = this.services.settings.current.labels;
    let explanation: Explanation | undefined;
    if (explain) {
      const epoch = this.modelEpoch;
      try {
        explanation = (await this.explain([line.text]))?.[0];
      } catch (error) {
        // The probabilities are still worth showing; the log says why the words are missing.
        this.services.log.warn(`hover explanation: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (token.isCancellationRequested || epoch !== this.modelEpoch) return undefined;
      // The explanation is of the same text and model, so its class is the prediction's; a mismatch (a tie
      // broken differently) would make "why" misleading.
      if (explanation && explanation.label !== prediction.label) explanation = undefined;
    }
    return new vscode.Hover(
      lineHover(labels, prediction, minConfidence, { explanation, correct: { uri: document.uri, line: position.line } }),
      line.range,
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.labelTypes.forEach((t) => t.dispose());
    this.dimType.dispose();
    clearTimeout(this.changedTimer);
    this.changedType.dispose();
  }
}

/** The non-empty lines of the visible ranges plus the margin, each once, in order. */
function visibleLines(editor: vscode.TextEditor): { line: number; text: string; range: vscode.Range }[] {
  const document = editor.document;
  const last = document.lineCount - 1;
  const spans = editor.visibleRanges
    .map((r) => [Math.max(0, r.start.line - MARGIN_LINES), Math.min(last, r.end.line + MARGIN_LINES)] as const)
    .sort((a, b) => a[0] - b[0]);
  const result: { line: number; text: string; range: vscode.Range }[] = [];
  let next = 0;
  for (const [start, end] of spans) {
    for (let i = Math.max(start, next); i <= end && result.length < MAX_LINES_PER_REFRESH; i++) {
      const line = document.lineAt(i);
      if (!line.isEmptyOrWhitespace) result.push({ line: i, text: line.text, range: line.range });
    }
    next = Math.max(next, end + 1);
  }
  return result;
}
