// "Go to Next / Previous Line of Class…": walks the lines of one class as F8 walks problems, from the cursor,
// wrapping around the document. Lines not classified yet are classified ahead through LineClasses, a chunk at a
// time in the direction of travel, so the first match is found without reading the whole file; a search that
// takes a while shows a cancellable progress, and gives up after MAX_SEARCH_LINES (the next run continues from
// what it learned). Which lines count is what the editor shows: the class's labels, dimmed ones too unless
// textcat.labels.lowConfidence hides them; a line of a multi-label model counts for every class it shows.
import * as vscode from 'vscode';
import { showError, showInfo, showWarning, withNotificationProgress } from '../notify';
import { UNKNOWN } from '../model/documentClasses';
import { CHUNK_LINES } from '../model/lineClasses';
import { requireModel } from '../model/requireModel';
import type { Services } from '../services';

/** Lines one search classifies at most. */
export const MAX_SEARCH_LINES = 100_000;
/** A search still running after this long shows its progress (and a Cancel button). */
const PROGRESS_AFTER_MS = 400;
const LAST_CLASS_KEY = 'textcat.lastNavigatedClass';

type Deps = Pick<Services, 'context' | 'settings' | 'predictor' | 'lineClasses' | 'log'>;
export type Direction = 1 | -1;

/** What a search found: the line, none in the document, or none within the lines it may classify. */
type Found = { line: number } | { none: 'document' | 'limit' | 'cancelled' };

/**
 * textcat.nextLineOfClass / textcat.previousLineOfClass. `arg`: the class (a string or `{ label }`), else a quick
 * pick asks. Resolves with the 0-based line the cursor moved to, or undefined.
 */
export async function goToLineOfClass(s: Deps, direction: Direction, arg?: unknown): Promise<number | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void showWarning(vscode.l10n.t('Open a file to walk the lines of a class.'));
    return undefined;
  }
  if (!requireModel(s.predictor)) return undefined;
  const label = givenLabel(arg) ?? (await pickClass(s, editor, direction));
  if (label === undefined) return undefined;
  const target = s.predictor.labels.indexOf(label);
  if (target < 0) {
    void showError(vscode.l10n.t('The model has no class "{0}".', label));
    return undefined;
  }
  await s.context.workspaceState.update(LAST_CLASS_KEY, label);
  const found = await withDelayedProgress(label, (token) =>
    search(s, editor.document, editor.selection.active.line, direction, target, token),
  );
  if ('line' in found) {
    const at = new vscode.Position(found.line, 0);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return found.line;
  }
  if (found.none === 'document') void showInfo(vscode.l10n.t('Textcat: no line of {0} in this file.', label));
  if (found.none === 'limit')
    void showInfo(
      vscode.l10n.t('Textcat: no line of {0} in the next {1} lines; run the command again to look further.', label, MAX_SEARCH_LINES),
    );
  return undefined;
}

function givenLabel(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const label = (arg as { label?: unknown } | undefined)?.label;
  return typeof label === 'string' ? label : undefined;
}

/** The model's classes; first the one walked last, else the current line's, so Enter walks on. */
async function pickClass(s: Deps, editor: vscode.TextEditor, direction: Direction): Promise<string | undefined> {
  const labels = s.predictor.labels;
  const cached = s.predictor.cached(editor.document.lineAt(editor.selection.active.line).text);
  const current = cached?.labels ? cached.labels[0] : cached?.label;
  const last = s.context.workspaceState.get<string>(LAST_CLASS_KEY);
  const first = last !== undefined && labels.includes(last) ? last : current;
  const ordered = first === undefined ? labels : [first, ...labels.filter((l) => l !== first)];
  const describe = (label: string) =>
    label === last ? vscode.l10n.t('last walked') : label === current ? vscode.l10n.t('class of the current line') : undefined;
  const picked = await vscode.window.showQuickPick(
    ordered.map((label) => ({ label, description: describe(label) })),
    {
      title: direction === 1 ? vscode.l10n.t('Textcat: Go to Next Line of Class') : vscode.l10n.t('Textcat: Go to Previous Line of Class'),
      placeHolder: vscode.l10n.t('Which class?'),
    },
  );
  return picked?.label;
}

/** The search, silent at first; after PROGRESS_AFTER_MS, a notification whose Cancel stops it. */
async function withDelayedProgress(label: string, run: (token: vscode.CancellationToken) => Promise<Found>): Promise<Found> {
  const cancel = new vscode.CancellationTokenSource();
  const searching = run(cancel.token);
  const title = vscode.l10n.t('Textcat: looking for a line of {0}…', label);
  const timer = setTimeout(() => {
    void withNotificationProgress({ title, cancellable: true }, (_, token) => {
      token.onCancellationRequested(() => cancel.cancel());
      return searching.catch(() => undefined);
    });
  }, PROGRESS_AFTER_MS);
  try {
    return await searching;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}

/** The next line of class `target` from `from` (excluded) in `direction`, wrapping; the line itself comes last. */
async function search(
  s: Deps,
  document: vscode.TextDocument,
  from: number,
  direction: Direction,
  target: number,
  token: vscode.CancellationToken,
): Promise<Found> {
  const { minConfidence, lowConfidence } = s.settings.current.labels;
  const count = document.lineCount;
  const lineAt = (step: number) => (((from + direction * step) % count) + count) % count;
  let classified = 0;
  for (let step = 1; step <= count; step++) {
    const line = lineAt(step);
    let classes = s.lineClasses.of(document);
    if (classes.classOf(line) === UNKNOWN) {
      if (classified >= MAX_SEARCH_LINES) return { none: 'limit' };
      const ahead = Array.from({ length: Math.min(CHUNK_LINES, count - step + 1) }, (_, i) => lineAt(step + i));
      if (!(await s.lineClasses.classify(document, ahead, token))) return { none: 'cancelled' }; // the model went away
      if (token.isCancellationRequested) return { none: 'cancelled' };
      classified += ahead.length;
      classes = s.lineClasses.of(document);
      if (classes.classOf(line) === UNKNOWN) return { none: 'cancelled' }; // the document changed under the search
    }
    if (classes.has(line, target) && (classes.confidenceOf(line) >= minConfidence || lowConfidence === 'dim')) return { line };
  }
  return { none: 'document' };
}
