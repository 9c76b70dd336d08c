import * as assert from 'node:assert/strict';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'textcat.textcat';

export async function activateTextcat(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
  if (!extension.isActive) {
    // A figure for the notes (activation must stay light: no tfjs on the host), never asserted.
    const started = performance.now();
    await extension.activate();
    Mocha.reporters.Base.consoleLog(`Textcat activated in ${(performance.now() - started).toFixed(1)} ms (module load included)`);
  }
  return extension;
}

/** A file of the fixture workspace (test/e2e/fixture, copied by the launcher into a temp folder). */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host was started without the fixture workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}
