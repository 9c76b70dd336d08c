// After a retrain, the lines of the visible editors whose label changed are highlighted once. When the model
// changes, what the editors showed (line, text, label) is kept; once the new model has drawn an editor in full,
// the lines with the same text and another label are marked. When every such editor is compared (or gone),
// onDidChange fires with all the changed lines.
import * as vscode from 'vscode';
import type { ModelSummary } from '../../protocol/types';
import type { ChangedLine, LineLabel } from '../services';

/** How long the changed lines stay highlighted (an edit clears them sooner). */
const HIGHLIGHT_MS = 4_000;
/** Labels drawn before a retrain are compared with the new model's only if it arrives within this time. */
const COMPARE_WITHIN_MS = 120_000;
export const CHANGED_LABEL_COLOR_ID = 'textcat.changedLabelBackground';

type Drawn = Map<number, { text: string; label: string }>;

export class RetrainHighlights implements vscode.Disposable {
  /** What the editors showed before the model changed, by document; kept through a moment of "no model". */
  private snapshot: { at: number; documents: Map<string, Drawn> } | undefined;
  /** Documents still to compare with the new model's labels, what they showed before, and what changed so far. */
  private comparing: { pending: Set<string>; before: Map<string, Drawn>; changed: ChangedLine[] } | undefined;
  private readonly highlighted = new Set<vscode.TextEditor>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly type = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor(CHANGED_LABEL_COLOR_ID),
    isWholeLine: true,
  });
  private readonly emitter = new vscode.EventEmitter<readonly ChangedLine[]>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable;

  constructor() {
    this.subscriptions = vscode.Disposable.from(
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        const visible = new Set(editors.map((e) => e.document.uri.toString()));
        this.finish([...(this.comparing?.pending ?? [])].filter((uri) => !visible.has(uri)));
      }),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length) [...this.highlighted].filter((e) => e.document === document).forEach((e) => this.unmark(e));
      }),
    );
  }

  /**
   * Before the model changes: keeps what the editors show. A retrain may pass through "no model" (the folder is
   * replaced by a rename), so the snapshot waits for the next model that arrives soon enough.
   */
  modelChanging(next: ModelSummary | undefined, shown: ReadonlyMap<vscode.TextEditor, readonly LineLabel[]>): void {
    const documents = new Map<string, Drawn>();
    for (const [editor, labels] of shown) {
      if (labels.length) documents.set(editor.document.uri.toString(), new Map(labels.map((l) => [l.line, lineOf(editor, l)] as const)));
    }
    if (documents.size) this.snapshot = { at: Date.now(), documents };
    const before = this.snapshot;
    if (!next || !before) return;
    this.snapshot = undefined;
    if (Date.now() - before.at > COMPARE_WITHIN_MS) return;
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    const pending = new Set([...before.documents.keys()].filter((uri) => visible.has(uri)));
    this.comparing = pending.size ? { pending, before: before.documents, changed: [] } : undefined;
  }

  /** The new model has drawn this editor in full: marks its lines whose label changed (same text). */
  drawn(editor: vscode.TextEditor, labels: readonly LineLabel[]): void {
    const uri = editor.document.uri.toString();
    const before = this.comparing?.pending.has(uri) ? this.comparing.before.get(uri) : undefined;
    if (!before) return;
    const changed = labels
      .filter((l) => {
        const old = before.get(l.line);
        return old && old.label !== classesShown(l) && old.text === editor.document.lineAt(l.line).text;
      })
      .map((l) => ({ uri, line: l.line, before: before.get(l.line)!.label, after: classesShown(l) }));
    this.comparing?.changed.push(...changed);
    if (changed.length) this.mark(editor, changed);
    this.finish([uri]);
  }

  /** The editor shows no labels: nothing to compare there. */
  cleared(editor: vscode.TextEditor): void {
    this.finish([editor.document.uri.toString()]);
  }

  private mark(editor: vscode.TextEditor, changed: readonly ChangedLine[]): void {
    editor.setDecorations(
      this.type,
      changed.map((c) => editor.document.lineAt(c.line).range),
    );
    this.highlighted.add(editor);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => [...this.highlighted].forEach((e) => this.unmark(e)), HIGHLIGHT_MS);
  }

  private unmark(editor: vscode.TextEditor): void {
    editor.setDecorations(this.type, []);
    this.highlighted.delete(editor);
  }

  /** Marks documents compared; when none is left, tells once what changed. */
  private finish(uris: readonly string[]): void {
    const comparing = this.comparing;
    if (!comparing) return;
    uris.forEach((u) => comparing.pending.delete(u));
    if (comparing.pending.size) return;
    this.comparing = undefined;
    this.emitter.fire(comparing.changed);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.dispose();
    this.type.dispose();
    this.emitter.dispose();
  }
}

function lineOf(editor: vscode.TextEditor, label: LineLabel): { text: string; label: string } {
  return { text: editor.document.lineAt(label.line).text, label: classesShown(label) };
}

/** What a line's label says: its class, or a multi-label line's classes joined as Example.label joins them (a new set is a change). */
function classesShown(label: LineLabel): string {
  return label.labels ? label.labels.join(', ') : label.label;
}

/** Says in the status bar (and the log) how many visible labels the new model changed. */
export function announceRetrainChanges(log: vscode.LogOutputChannel, changed: readonly ChangedLine[]): void {
  const n = changed.length;
  log.info(`retrain: ${n} visible line label(s) changed`);
  vscode.window.setStatusBarMessage(
    n === 1
      ? vscode.l10n.t('Textcat: the new model changed 1 line label')
      : vscode.l10n.t('Textcat: the new model changed {0} line labels', n),
    5_000,
  );
}
