// The quick pick of "Label Line As…": the model's classes, the predicted one first and marked, then "New label…";
// for a multi-label dataset, a multi-select pre-checked with the classes the model gives the line.
import * as vscode from 'vscode';
import { unsafeFolderName, type AppendTarget } from '../../core/data/append';
import { percent } from '../../core/format/percent';
import type { Predictor } from '../model/predictor';

/** Length of the line text shown as the quick pick's placeholder. */
const PREVIEW_CHARS = 80;

interface LabelItem extends vscode.QuickPickItem {
  readonly value?: string;
}

/** The label the user picks or types for `text` (line `line`, 0-based); undefined on Escape. */
export async function pickLabel(
  predictor: Predictor,
  dataset: AppendTarget,
  text: string,
  line: number,
  progress: { index: number; count: number },
): Promise<string | undefined> {
  const ranked = await predictor.rankedFor(text);
  const items: LabelItem[] = ranked.map(({ label, p }, i) => ({
    label,
    value: label,
    description: p === undefined ? undefined : i === 0 ? vscode.l10n.t('predicted, {0}', percent(p)) : percent(p),
  }));
  const newLabel: LabelItem = { label: `$(add) ${vscode.l10n.t('New label…')}`, alwaysShow: true };
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, newLabel);
  const preview = text.trim().length > PREVIEW_CHARS ? `${text.trim().slice(0, PREVIEW_CHARS - 1)}…` : text.trim();
  const title =
    progress.count > 1
      ? vscode.l10n.t('Textcat: Label line {0} as… ({1} of {2})', line + 1, progress.index + 1, progress.count)
      : vscode.l10n.t('Textcat: Label line {0} as…', line + 1);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: preview, matchOnDescription: false });
  if (!picked) return undefined;
  if (picked !== newLabel) return picked.value;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The new class for "{0}"', preview),
    placeHolder: vscode.l10n.t('Label'),
    validateInput: (value) => validateNewLabel(value, dataset),
  });
  return typed === undefined ? undefined : typed.trim();
}

function validateNewLabel(value: string, dataset: AppendTarget): string | undefined {
  const label = value.trim();
  if (!label) return vscode.l10n.t('A label cannot be empty.');
  if (dataset.format === 'folder' && unsafeFolderName(label)) {
    return vscode.l10n.t(
      'This dataset keeps each class in a folder, and "{0}" cannot be a folder name (no path separators, control characters, or leading dot).',
      label,
    );
  }
  return undefined;
}

interface ClassItem extends vscode.QuickPickItem {
  readonly value?: string;
}

/**
 * Multi-label datasets: the classes the user checks for `text`, pre-checked with the classes the model gives it
 * (every one over its threshold), each with its probability and threshold; "New label…" asks for one more. An
 * empty choice is allowed (a row with no label: negative for every class). Undefined on Escape.
 */
export async function pickLabels(
  predictor: Predictor,
  dataset: AppendTarget,
  text: string,
  line: number,
  progress: { index: number; count: number },
): Promise<string[] | undefined> {
  const ranked = await predictor.rankedFor(text);
  const predicted = new Set(predictor.cached(text)?.labels ?? []);
  const thresholds = predictor.thresholds;
  const items: ClassItem[] = ranked.map(({ label, p }) => {
    const threshold = thresholds?.[predictor.labels.indexOf(label)];
    return {
      label,
      value: label,
      picked: predicted.has(label),
      description:
        p === undefined
          ? undefined
          : threshold === undefined
            ? percent(p)
            : vscode.l10n.t('{0} (threshold {1})', percent(p), percent(threshold)),
    };
  });
  const newLabel: ClassItem = { label: `$(add) ${vscode.l10n.t('New label…')}`, alwaysShow: true };
  const preview = text.trim().length > PREVIEW_CHARS ? `${text.trim().slice(0, PREVIEW_CHARS - 1)}…` : text.trim();
  const title =
    progress.count > 1
      ? vscode.l10n.t('Textcat: Label line {0} as… ({1} of {2})', line + 1, progress.index + 1, progress.count)
      : vscode.l10n.t('Textcat: Label line {0} as…', line + 1);
  const picked = await vscode.window.showQuickPick([...items, newLabel], {
    title,
    placeHolder: vscode.l10n.t('Check every class of "{0}" (none: no class applies)', preview),
    canPickMany: true,
    matchOnDescription: false,
  });
  if (!picked) return undefined;
  const chosen = picked.filter((item) => item !== newLabel).map((item) => item.value!);
  if (picked.includes(newLabel)) {
    const typed = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('The new class for "{0}"', preview),
      placeHolder: vscode.l10n.t('Label'),
      validateInput: (value) => validateNewLabel(value, dataset),
    });
    if (typed === undefined) return undefined;
    chosen.push(typed.trim());
  }
  return [...new Set(chosen)];
}
