// The light bulb on a labeled line: "Label as <class>" for the three classes the model ranks next after
// its prediction, and "Label line as…" for the full quick pick. Each runs textcat.labelLine with the line.
//
// Kind: quickfix.textcat. Relabeling corrects what the model got wrong, which is what Quick Fix (Ctrl+.)
// is for; it does not change the document, so it does not belong in the Refactor menu. A sub-kind lets a
// keybinding or `editor.codeActionsOnSave`-style filter name exactly these actions.
import * as vscode from 'vscode';
import { percent } from './labelFormat';
import type { LineLabels } from './lineLabels';

export const LABEL_ACTION_KIND = vscode.CodeActionKind.QuickFix.append('textcat');
/** Classes offered one click away; the rest are in "Label line as…". */
const OTHER_CLASSES = 3;

export class LabelLineActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [LABEL_ACTION_KIND] };

  constructor(private readonly lineLabels: LineLabels) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.contains(LABEL_ACTION_KIND)) return [];
    const line = range.start.line;
    // Only lines that show a label: the user sees what is being corrected.
    const shown = vscode.window.visibleTextEditors
      .filter((e) => e.document === document)
      .flatMap((e) => this.lineLabels.labelsFor(e))
      .find((l) => l.line === line);
    if (!shown) return [];
    const others = await this.othersRanked(document.lineAt(line).text, shown.label);
    if (token.isCancellationRequested) return [];
    const action = (title: string, args: unknown[]): vscode.CodeAction => {
      const a = new vscode.CodeAction(title, LABEL_ACTION_KIND);
      a.command = { command: 'textcat.labelLine', title, arguments: args };
      return a;
    };
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

  /** The classes other than the shown one, most likely first (the prediction is cached, so this is cheap). */
  private async othersRanked(text: string, shownLabel: string): Promise<{ label: string; p?: number }[]> {
    try {
      const result = await this.lineLabels.classify([text], { remember: true });
      if (result) {
        const probabilities = result.predictions[0].probabilities;
        return result.labels
          .map((label, i) => ({ label, p: probabilities[i] ?? 0 }))
          .filter((c) => c.label !== shownLabel)
          .sort((a, b) => b.p - a.p);
      }
    } catch {
      // No probabilities (the worker failed): still offer the classes, in the model's order.
    }
    return this.lineLabels
      .modelLabels()
      .filter((label) => label !== shownLabel)
      .map((label) => ({ label }));
  }
}
