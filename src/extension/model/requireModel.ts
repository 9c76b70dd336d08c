// What every command that needs a model does when there is none: says so, and offers to train one.
import * as vscode from 'vscode';
import { showError, showInfo } from '../notify';
import type { Predictor } from './predictor';

export function offerTraining(
  message = vscode.l10n.t(
    'Textcat has no model yet. Train a classifier on a labeled dataset in this workspace, then its labels appear here.',
  ),
): void {
  const train = vscode.l10n.t('Train Classifier…');
  void showInfo(message, train).then((answer) => (answer === train ? vscode.commands.executeCommand('textcat.train') : undefined));
}

/** True when there is a model to ask; otherwise offers to train one (with `message`, if given) and is false. */
/** A model folder that holds a model Textcat refused is not "no model yet": the error says why, naming the file. */
export function requireModel(predictor: Pick<Predictor, 'hasModel' | 'modelProblem'>, message?: string): boolean {
  if (predictor.hasModel()) return true;
  const problem = predictor.modelProblem();
  if (problem) void showError(vscode.l10n.t('Textcat cannot use the model in this workspace: {0}', problem));
  else offerTraining(message);
  return false;
}
