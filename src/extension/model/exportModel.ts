// "Textcat: Export Model…": the current model as ONNX, with its tokenizer beside it (<name>.tokenizer.json), for
// other runtimes (docs/tokenizer.md). A save dialog proposes <model folder name>.onnx in the workspace folder; the
// worker's export request writes both files atomically and replaces only an earlier export (core/export). A refused
// destination or a damaged model is the user's error (file and Open, through the commands' one error path).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { showInfo, withNotificationProgress } from '../notify';
import type { OnnxExport } from '../../protocol/types';
import type { Services } from '../services';
import { confineToWorkspace } from '../workspace/confine';
import { requireTrust } from '../workspace/trust';
import { offerTraining } from './requireModel';

/** `target`: where to write the .onnx (tests, other commands); without it a save dialog asks. */
export async function exportModel(s: Pick<Services, 'model' | 'worker' | 'log'>, target?: unknown): Promise<OnnxExport | undefined> {
  if (!requireTrust(vscode.l10n.t('Export Model'))) return undefined;
  const dir = s.model.manifest && s.model.checkedModelDir();
  if (!dir) {
    offerTraining(vscode.l10n.t('There is no Textcat model to export yet.'));
    return undefined;
  }
  const modelDir = vscode.Uri.file(dir);
  // Where the user picked in the save dialog; a caller's target must lie in the workspace.
  const given = target instanceof vscode.Uri;
  const chosen = given ? target : await askWhere(modelDir);
  if (!chosen) return undefined;
  const named = /\.onnx$/i.test(chosen.fsPath) ? chosen.fsPath : `${chosen.fsPath}.onnx`;
  const out = given ? confineToWorkspace(named, 'the export') : named;
  s.log.info(`exporting ${modelDir.fsPath} to ${out}`);
  // Not cancellable: the worker writes the files once it has started (well under a second for most models), and a
  // Cancel that let them appear anyway would mislead.
  const result = await withNotificationProgress({ title: vscode.l10n.t('Textcat: exporting the model to ONNX…') }, () =>
    s.worker.exportOnnx(modelDir.fsPath, out),
  );
  s.log.info(
    `exported ${result.files.onnx} (${result.onnxBytes} bytes; weights.bin ${result.weightsBytes}) and ${result.files.tokenizer} in ${result.seconds.toFixed(2)} s`,
  );
  announce(result);
  return result;
}

/** The save dialog, proposing <model folder name>.onnx in the workspace folder (beside the model when there is none). */
async function askWhere(modelDir: vscode.Uri): Promise<vscode.Uri | undefined> {
  const name = `${path.basename(modelDir.fsPath)}.onnx`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(modelDir, '..');
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Textcat: Export Model'),
    defaultUri: vscode.Uri.joinPath(folder, name),
    filters: { ONNX: ['onnx'] },
    saveLabel: vscode.l10n.t('Export'),
  });
}

/** "Exported to model.onnx (1.2 MB) and model.tokenizer.json" with Reveal; not awaited, so the command resolves at once. */
function announce(result: OnnxExport): void {
  const onnx = vscode.Uri.file(result.files.onnx);
  const message = vscode.l10n.t(
    'Textcat: exported the model to {0} ({1} MB) and {2}.',
    vscode.workspace.asRelativePath(onnx),
    (result.onnxBytes / 2 ** 20).toFixed(1),
    path.basename(result.files.tokenizer),
  );
  const reveal = vscode.l10n.t('Reveal');
  void showInfo(message, reveal).then(async (answer) => {
    if (answer !== reveal) return;
    // In the Explorer when the file is in the workspace; otherwise in the system's file manager.
    const inWorkspace = vscode.workspace.getWorkspaceFolder(onnx) !== undefined;
    await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', onnx);
  });
}
