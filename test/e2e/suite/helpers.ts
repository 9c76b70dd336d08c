import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'textcat.textcat';

export async function activateTextcat(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
  await extension.activate();
  return extension;
}

/** A file of the fixture workspace (test/e2e/fixture, copied by the launcher into a temp folder). */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host was started without the fixture workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}
