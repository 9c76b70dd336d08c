// When the worker's guess of the text and label columns is unsure, the user picks them: the guess first.
import * as vscode from 'vscode';
import type { ColumnChoice } from '../../protocol/types';

/** The text column and then the label column; undefined if dismissed. */
export async function pickColumns(columns: ColumnChoice, dataset: string): Promise<{ text: string; label: string } | undefined> {
  const ordered = (first: string) => [first, ...columns.available.filter((c) => c !== first)];
  const guessed = (c: string, guess: string) => (c === guess ? vscode.l10n.t('guessed') : undefined);
  const text = await vscode.window.showQuickPick(
    ordered(columns.text).map((c) => ({ label: c, description: guessed(c, columns.text) })),
    {
      title: vscode.l10n.t('Text column of {0} (the guess is unsure)', dataset),
      placeHolder: vscode.l10n.t('Which column holds the text to classify?'),
    },
  );
  if (!text) return undefined;
  const label = await vscode.window.showQuickPick(
    ordered(columns.label)
      .filter((c) => c !== text.label)
      .map((c) => ({ label: c, description: guessed(c, columns.label) })),
    { title: vscode.l10n.t('Label column of {0}', dataset), placeHolder: vscode.l10n.t('Which column holds the class label?') },
  );
  return label ? { text: text.label, label: label.label } : undefined;
}
