// "Textcat: Evaluate Model on Dataset…": the current model's metrics on a labeled file, kept in ModelState for
// the sidebar and the status of the next retrain. A failure goes up to the commands' one error path.
import * as vscode from 'vscode';
import { showInfo, withNotificationProgress } from '../notify';
import { percent } from '../../core/format/percent';
import type { Evaluation } from '../model/modelState';
import { offerTraining } from '../model/requireModel';
import type { Services } from '../services';
import { datasetRequest, datasetToRead } from './datasetArgument';
import { RecentDatasets } from './datasetPicker';
import { logDataset, logMetrics } from './trainingLog';

export async function evaluate(s: Pick<Services, 'context' | 'settings' | 'model' | 'worker' | 'log'>, arg?: unknown): Promise<Evaluation> {
  const dir = s.model.manifest && s.model.checkedModelDir();
  const modelDir = dir ? vscode.Uri.file(dir) : undefined;
  if (!modelDir) {
    offerTraining(vscode.l10n.t('There is no Textcat model to evaluate yet.'));
    return undefined;
  }
  const dataset = await datasetToRead(s, arg, vscode.l10n.t('Textcat: Evaluate Model on Dataset'), 'test.csv');
  if (!dataset) return undefined;
  await new RecentDatasets(s.context.workspaceState).add(dataset);
  const name = vscode.workspace.asRelativePath(dataset);
  const started = performance.now();
  s.log.info(`evaluating ${modelDir.fsPath} on ${dataset.fsPath}`);
  // Cancel rejects with a CancelledError, which the commands' error path takes quietly: the user asked for it.
  const result = await withNotificationProgress(
    { title: vscode.l10n.t('Textcat: evaluating on {0}…', name), cancellable: true },
    (_, token) => s.worker.evaluate(modelDir.fsPath, datasetRequest(dataset, s.settings.current.dataset), token),
  );
  const { metrics, unknownLabels } = result;
  logDataset(s.log, result.dataset, (performance.now() - started) / 1000);
  logMetrics(s.log, 'evaluation', metrics);
  const evaluation = { dataset: name, metrics, unknownLabels };
  s.model.setEvaluation(evaluation);
  let message = vscode.l10n.t(
    'Textcat on {0}: accuracy {1}, macro-F1 {2} ({3} examples).',
    name,
    percent(metrics.accuracy, 1),
    metrics.macroF1.toFixed(3),
    metrics.count,
  );
  if (unknownLabels.length) {
    s.log.warn(`labels the model does not know: ${unknownLabels.join(', ')}`);
    message += ' ' + vscode.l10n.t('Labels the model does not know: {0}.', unknownLabels.join(', '));
  }
  void showInfo(message);
  await vscode.commands.executeCommand('textcat.showMetrics');
  return evaluation;
}
