// "Textcat: Classify Selection": the label and every class's probability for the selected text, or for the
// current line when nothing is selected.
import * as vscode from 'vscode';
import { showInfo, showWarning } from '../notify';
import { percent } from '../../core/format/percent';
import type { Prediction } from '../../protocol/types';
import type { RankedClass } from '../model/predictor';
import { requireModel } from '../model/requireModel';
import type { Services } from '../services';

/** Returns the prediction (tests and other commands read it); undefined when there was nothing to classify. */
export async function classifySelection(s: Pick<Services, 'predictor'>): Promise<Prediction | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void showWarning(vscode.l10n.t('Open a file and select some text to classify.'));
    return undefined;
  }
  if (!requireModel(s.predictor)) return undefined;
  const selection = editor.selection;
  const text = selection.isEmpty ? editor.document.lineAt(selection.active.line).text : editor.document.getText(selection);
  if (!text.trim()) {
    void showWarning(vscode.l10n.t('The selection is empty: select some text, or put the cursor on a non-empty line.'));
    return undefined;
  }
  const result = await s.predictor.classify([text], { remember: false });
  if (!result) return undefined;
  const prediction = result.predictions[0];
  showPrediction(text, prediction, s.predictor.ranked(prediction));
  return prediction;
}

/** A message with the top classes; "Show All" lists every class. Not awaited: the command returns at once. */
function showPrediction(text: string, prediction: Prediction, ranked: readonly Required<RankedClass>[]): void {
  const others = ranked.slice(1, 4).map((r) => `${r.label} ${percent(r.p, 1)}`);
  const quoted = text.length > 60 ? `${text.slice(0, 57).trim()}…` : text.trim();
  const message =
    vscode.l10n.t('Textcat: "{0}" → {1} {2}', quoted.replace(/\s+/g, ' '), prediction.label, percent(prediction.confidence, 1)) +
    (others.length ? ` (${others.join(', ')}${ranked.length > 4 ? ', …' : ''})` : '');
  const showAll = vscode.l10n.t('Show All');
  void showInfo(message, showAll).then((choice) => {
    if (choice !== showAll) return;
    const items = ranked.map((r) => ({ label: r.label, description: percent(r.p, 1) }));
    return vscode.window.showQuickPick(items, { title: vscode.l10n.t('Textcat: probabilities for "{0}"', quoted), canPickMany: false });
  });
}
