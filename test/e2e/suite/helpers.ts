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

/** Polls `read` until `done` holds, failing with the last value after `timeoutMs`. */
export async function waitFor<T>(what: string, read: () => T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!done(value)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
    value = read();
  }
  return value;
}

/** Polls `read` until it gives a value. */
export async function until<T>(read: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  return (await waitFor(what, read, (value) => value !== undefined, ms)) as T;
}
