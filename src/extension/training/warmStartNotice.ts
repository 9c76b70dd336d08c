// What the user is told after a retrain that asked for a warm start: the fine-tune and what it added (with Retrain
// from Scratch one click away), that it kept the current model when no epoch beat it, or why the worker trained
// from scratch instead. A plain training keeps its own message (trainingRunner.ts).
import * as vscode from 'vscode';
import { percent } from '../../core/format/percent';
import type { ModelSummary } from '../../protocol/types';
import { showInfo } from '../notify';

/** The command that retrains the last run's dataset from scratch (package.json). */
export const RETRAIN_FROM_SCRATCH = 'textcat.retrainFromScratch';

/**
 * Shows the message of a fine-tune or of a warm start that fell back to a full retrain; false when `manifest` is
 * neither (then the caller says what it says after any training). Not awaited: the command resolves at once.
 */
export function announceRetrain(manifest: ModelSummary, name: string, fullRetrainReason: string | undefined): boolean {
  const scores = scoresSentence(manifest);
  const showMetrics = vscode.l10n.t('Show Metrics');
  const fromScratch = vscode.l10n.t('Retrain from Scratch');
  let message: string;
  if (manifest.parentRunId && manifest.warmStart) {
    message = `${fineTuneSentence(manifest, name)}${scores ? ` ${scores}` : ''}`;
  } else if (fullRetrainReason) {
    message = `${vscode.l10n.t('Textcat retrained from scratch on {0}: {1}.', name, fullRetrainReason)}${scores ? ` ${scores}` : ''}`;
  } else {
    return false;
  }
  const items = manifest.parentRunId ? [showMetrics, fromScratch] : [showMetrics];
  void showInfo(message, ...items).then(async (answer) => {
    if (answer === showMetrics) await vscode.commands.executeCommand('textcat.showMetrics');
    if (answer === fromScratch) await vscode.commands.executeCommand(RETRAIN_FROM_SCRATCH);
  });
  return true;
}

function fineTuneSentence(manifest: ModelSummary, name: string): string {
  const w = manifest.warmStart!;
  if (w.keptParent) {
    return vscode.l10n.t('Textcat: the fine-tune on {0} did not beat the current model on validation; kept it.', name);
  }
  const epochs = w.epochs === 1 ? vscode.l10n.t('1 epoch') : vscode.l10n.t('{0} epochs', w.epochs);
  return vscode.l10n.t(
    'Textcat fine-tuned the current model on {0} in {1} s: +{2} rows, +{3} words, {4}.',
    name,
    manifest.trainSeconds.toFixed(1),
    w.newRows,
    w.newWords,
    epochs,
  );
}

function scoresSentence(manifest: ModelSummary): string | undefined {
  const metrics = manifest.metrics.validation ?? manifest.metrics.test;
  return metrics && vscode.l10n.t('Accuracy {0}, macro-F1 {1}.', percent(metrics.accuracy, 1), metrics.macroF1.toFixed(3));
}
