// The quick pick of Review Uncertain Lines. Choosing a line reveals and selects it; the item's "Label…" button
// runs textcat.labelLine on it and opens the list again at the next line.
import * as vscode from 'vscode';
import { revealLine } from '../revealLine';
import { reviewPrediction } from './reviewPrediction';
import type { UncertaintyMeasure } from './uncertainty';

/** Quick-pick rows shown (the most uncertain ones); the command still returns the whole sorted list. */
const MAX_ITEMS = 500;

export type ReviewScope = 'file' | 'workspace';

/** One reviewed line, as the command returns it. */
export interface ReviewLine {
  readonly uri: vscode.Uri;
  /** 0-based line number. */
  readonly line: number;
  readonly text: string;
  readonly label: string;
  readonly confidence: number;
  /** A multi-label model's labels over their thresholds, most probable first (absent for a single-label model). */
  readonly labels?: readonly string[];
  readonly probabilities: readonly number[];
  /** Top probability minus the second. */
  readonly margin: number;
  readonly entropy: number;
}

interface LineItem extends vscode.QuickPickItem {
  readonly review: ReviewLine;
}

function item(review: ReviewLine, scope: ReviewScope, measure: UncertaintyMeasure, labelButton: vscode.QuickInputButton): LineItem {
  const text = review.text.trim();
  const score =
    measure === 'margin' ? vscode.l10n.t('margin {0}', review.margin.toFixed(2)) : vscode.l10n.t('entropy {0}', review.entropy.toFixed(2));
  const file = scope === 'workspace' ? vscode.workspace.asRelativePath(review.uri, false) : review.uri.path.split('/').pop();
  return {
    label: text.length > 120 ? `${text.slice(0, 119)}…` : text,
    description: `${reviewPrediction(review)} · ${score}`,
    detail: `${file}:${review.line + 1}`,
    buttons: [labelButton],
    review,
  };
}

/** The quick pick of the sorted lines, with `active` (an index into `list`) highlighted. */
export function showReviewList(
  list: ReviewLine[],
  scope: ReviewScope,
  measure: UncertaintyMeasure,
  active: number,
  reviewWorkspace: () => void,
): void {
  const pick = vscode.window.createQuickPick<LineItem>();
  const labelButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('tag'), tooltip: vscode.l10n.t('Label…') };
  const workspaceButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('files'),
    tooltip: vscode.l10n.t('Review every file matching textcat.labels.include'),
  };
  pick.title =
    measure === 'margin'
      ? vscode.l10n.t('Textcat: uncertain lines (smallest margin first)')
      : vscode.l10n.t('Textcat: uncertain lines (largest entropy first)');
  pick.placeholder = list.length
    ? vscode.l10n.t('Choose a line to reveal it; the tag button labels it')
    : vscode.l10n.t('No non-empty lines to review');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  if (scope === 'file') pick.buttons = [workspaceButton];
  const items = list.slice(0, MAX_ITEMS).map((r) => item(r, scope, measure, labelButton));
  pick.items = items;
  if (items[active]) pick.activeItems = [items[active]];
  pick.onDidTriggerButton((button) => {
    if (button !== workspaceButton) return;
    pick.hide();
    reviewWorkspace();
  });
  pick.onDidAccept(() => {
    const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
    pick.hide();
    if (chosen) void reveal(chosen.review);
  });
  pick.onDidTriggerItemButton(async ({ item: chosen }) => {
    pick.hide();
    const index = list.indexOf(chosen.review);
    await reveal(chosen.review);
    // Without a label textcat.labelLine asks for one (the model's classes, predicted first); it reports its own failures.
    await vscode.commands.executeCommand('textcat.labelLine', chosen.review.uri, chosen.review.line);
    // The labeled line leaves the list; the next one (now at the same index) is where the list opens.
    const rest = list.filter((r) => r !== chosen.review);
    if (rest.length) showReviewList(rest, scope, measure, Math.min(index, rest.length - 1), reviewWorkspace);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

function reveal(line: ReviewLine): Promise<vscode.TextEditor> {
  return revealLine(line.uri, line.line + 1);
}
