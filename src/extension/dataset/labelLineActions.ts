// The light bulb on a labeled line: "Label as <class>" for the three classes the model ranks next after its
// prediction, and "Label line as…" for the full quick pick (multi-label lines: see multiLabelActions). Each runs
// textcat.labelLine with the line.
//
// Kind: quickfix.textcat. Relabeling corrects what the model got wrong, which is what Quick Fix (Ctrl+.) is
// for; it does not change the document, so it does not belong in the Refactor menu. A sub-kind lets a
// keybinding or `editor.codeActionsOnSave`-style filter name exactly these actions.
import * as vscode from 'vscode';
import { percent } from '../../core/format/percent';
import type { Services } from '../services';

export const LABEL_ACTION_KIND = vscode.CodeActionKind.QuickFix.append('textcat');
/** Classes offered one click away; the rest are in "Label line as…". */
const OTHER_CLASSES = 3;

type Deps = Pick<Services, 'predictor' | 'lineLabels'>;

export function registerLabelLineActions(s: Deps): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { scheme: 'file' },
    { provideCodeActions: (document, range, context, token) => labelLineActions(s, document, range, context, token) },
    { providedCodeActionKinds: [LABEL_ACTION_KIND] },
  );
}

async function labelLineActions(
  s: Deps,
  document: vscode.TextDocument,
  range: vscode.Range,
  context: vscode.CodeActionContext,
  token: vscode.CancellationToken,
): Promise<vscode.CodeAction[]> {
  if (context.only && !context.only.contains(LABEL_ACTION_KIND)) return [];
  const line = range.start.line;
  // Only lines that show a label: the user sees what is being corrected.
  const shown = vscode.window.visibleTextEditors
    .filter((e) => e.document === document)
    .flatMap((e) => s.lineLabels.shownLabels(e))
    .find((l) => l.line === line);
  if (!shown) return [];
  if (shown.labels) return multiLabelActions(document, line, shown.labels);
  // The prediction is cached (the line shows its label), so ranking costs no worker request.
  const others = (await s.predictor.rankedFor(document.lineAt(line).text)).filter((c) => c.label !== shown.label);
  if (token.isCancellationRequested) return [];
  return [
    ...others
      .slice(0, OTHER_CLASSES)
      .map(({ label, p }) =>
        action(p === undefined ? vscode.l10n.t('Label as {0}', label) : vscode.l10n.t('Label as {0} ({1})', label, percent(p)), [
          document.uri,
          line,
          label,
        ]),
      ),
    action(vscode.l10n.t('Label line as…'), [document.uri, line]),
  ];
}

function action(title: string, args: unknown[]): vscode.CodeAction {
  const a = new vscode.CodeAction(title, LABEL_ACTION_KIND);
  a.command = { command: 'textcat.labelLine', title, arguments: args };
  return a;
}

/**
 * A multi-label line: confirm the classes it shows (one click adds the row with exactly those), or choose them in
 * the multi-select. A "Label as <class>" per class would replace the line's set by one class, which is rarely the
 * correction wanted.
 */
function multiLabelActions(document: vscode.TextDocument, line: number, labels: readonly string[]): vscode.CodeAction[] {
  const confirm = labels.length ? vscode.l10n.t('Label as {0}', labels.join(', ')) : vscode.l10n.t('Label as no class');
  return [action(confirm, [document.uri, line, [...labels]]), action(vscode.l10n.t('Label line as…'), [document.uri, line])];
}
