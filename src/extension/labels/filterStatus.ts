// What the filter's status bar item says: what is shown or hidden, the background folding's progress, and in
// its tooltip what the filter cannot hide.
import * as vscode from 'vscode';
import type { LineFilterState } from '../services';

const MAX_LABELS_IN_STATUS = 3;

export function filterStatus(filter: LineFilterState, maxFolds: number): { text: string; tooltip: string } {
  const names =
    filter.labels.slice(0, MAX_LABELS_IN_STATUS).join(', ') +
    (filter.labels.length > MAX_LABELS_IN_STATUS ? ` +${filter.labels.length - MAX_LABELS_IN_STATUS}` : '');
  // Class names are the user's data: "$(" in one would draw an icon.
  const text = names.replace(/\$\(/g, '$\u200b(');
  const shown = filter.mode === 'only' ? vscode.l10n.t('Showing: {0}', text) : vscode.l10n.t('Hiding: {0}', text);
  const { folding } = filter;
  const percent = (f: { done: number; total: number }) => Math.floor((100 * f.done) / Math.max(1, f.total));
  const lines = [vscode.l10n.t('Textcat hides {0} lines of this file by folding them.', filter.hiddenLines.toLocaleString())];
  if (folding)
    lines.push(
      vscode.l10n.t(
        'Folding in the background: {0} of {1} runs of lines so far (the part in view first).',
        folding.done.toLocaleString(),
        folding.total.toLocaleString(),
      ),
    );
  if (filter.firstLineKept) lines.push(vscode.l10n.t('The first line stays in view: a fold always shows its first line.'));
  if (filter.filteredTo !== undefined)
    lines.push(
      vscode.l10n.t(
        'VS Code folds at most {0} ranges: the lines after line {1} are not filtered.',
        maxFolds.toLocaleString(),
        filter.filteredTo.toLocaleString(),
      ),
    );
  if (filter.unknownLines) lines.push(vscode.l10n.t('{0} lines not classified yet stay in view.', filter.unknownLines.toLocaleString()));
  lines.push(folding ? vscode.l10n.t('Click to stop and show all lines.') : vscode.l10n.t('Click to show all lines.'));
  return {
    text: `$(filter) ${shown}` + (folding ? ` · ${vscode.l10n.t('folding {0}%', percent(folding))}` : ''),
    tooltip: lines.join('\n'),
  };
}
