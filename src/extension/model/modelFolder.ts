// Commands on the model folder itself: Reveal Model Folder.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { offerTraining } from './requireModel';

/** textcat.openModelFolder: reveals the folder in the Explorer; false when there is no model yet. */
export async function revealModelFolder(s: Pick<Services, 'model'>): Promise<boolean> {
  const dir = s.model.modelDir;
  if (!dir || !s.model.manifest) {
    offerTraining(vscode.l10n.t('There is no Textcat model in this workspace yet.'));
    return false;
  }
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.joinPath(dir, 'textcat.json'));
  return true;
}
