// How long Train with Autotune may search: a quick pick of the usual budgets, or a duration the user types
// ("90s", "5m", "1h"), checked as `textcat train --autotune` checks it (core/autotune/autotuneSpace.ts parseDuration).
import * as vscode from 'vscode';
import { budgetSeconds } from './autotuneLive';

const MINUTES = [1, 2, 5, 15];

interface BudgetItem extends vscode.QuickPickItem {
  seconds?: number;
}

/** The budget in seconds, or undefined when the user dismissed the pick. */
export async function pickBudget(dataset: string): Promise<number | undefined> {
  const items: BudgetItem[] = [
    ...MINUTES.map((m) => ({
      label: m === 1 ? vscode.l10n.t('1 minute') : vscode.l10n.t('{0} minutes', m),
      description: m === 2 ? vscode.l10n.t('a few trials on most datasets') : undefined,
      seconds: m * 60,
    })),
    { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('e.g. 90s, 10m, 1h') },
  ];
  const title = vscode.l10n.t('Textcat: Train with Autotune on {0}', dataset);
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('How long may the search run? The best model is saved at the end.'),
  });
  if (!picked) return undefined;
  if (picked.seconds !== undefined) return picked.seconds;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('A duration: a number and a unit (s, m or h), from 1s to 168h'),
    placeHolder: '3m',
    validateInput: (text) => (budgetSeconds(text) === undefined ? vscode.l10n.t('Type a duration such as 90s, 5m or 1h.') : undefined),
  });
  return typed === undefined ? undefined : budgetSeconds(typed);
}
