// The extension's handle on the worker thread (dist/worker.js). The thread starts on the first request, not on
// activation, so activating the extension never loads TensorFlow.js.
import * as vscode from 'vscode';
import { WorkerClient } from '../../worker/client';

/**
 * WorkerClient's dispose (stop the thread, reject what is pending) makes it a vscode.Disposable as it is. In an
 * untrusted workspace its reads touch nothing in the model folder, until trust is granted (`trustListener`).
 */
export function createWorkerClient(extensionUri: vscode.Uri): { worker: WorkerClient; trustListener: vscode.Disposable } {
  const worker = new WorkerClient(vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath);
  worker.readOnly = !vscode.workspace.isTrusted;
  return { worker, trustListener: vscode.workspace.onDidGrantWorkspaceTrust(() => (worker.readOnly = false)) };
}
