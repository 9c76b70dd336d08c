// Paths a workspace chose (a manifest's dataset path, an example's location, a model folder that may be a
// committed symbolic link, a setting from .vscode/settings.json) are confined to the workspace folders before
// Textcat reads or writes them (core/store/confine.ts resolves them with realpath). A refusal is a TextcatError naming
// the path, so it takes the commands' one error path.
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { confinePath } from '../../core/store/confine';
import type { ModelSummary } from '../../protocol/types';

/** The workspace folders on disk. */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** The real path of `path` inside a workspace folder; throws a TextcatError naming it otherwise. */
export function confineToWorkspace(path: string, what: string): string {
  return confinePath(path, workspaceRoots(), what);
}

/** Whether `path` lies (really) inside a workspace folder; never throws. */
export function isInWorkspace(path: string): boolean {
  try {
    confineToWorkspace(path, '');
    return true;
  } catch {
    return false;
  }
}

/**
 * A dataset to read (train, retrain, evaluate): inside a workspace folder, or one of the examples bundled with
 * the extension (the walkthrough trains on them). Throws a TextcatError naming it otherwise.
 */
export function confineDatasetToRead(path: string, extensionUri: vscode.Uri): string {
  return confinePath(path, [...workspaceRoots(), examplesFolder(extensionUri)], 'the dataset');
}

/** The path of the model's dataset as its manifest names it (a relative one is the first workspace folder's), unchecked. */
export function manifestDatasetPath(manifest: ModelSummary): string {
  const folder = workspaceRoots()[0];
  const { path } = manifest.dataset;
  return isAbsolute(path) || !folder ? path : resolve(folder, path);
}

/**
 * The model's dataset path (or a file of it), confined to the workspace (and `alsoInside`), unless it lies outside every workspace
 * folder and is a file the user chose in the open dialog themselves (`userChosen`: their recent datasets, kept
 * in VS Code's storage, which a repository cannot write). Throws a TextcatError naming it otherwise.
 */
export function confineManifestPath(
  path: string,
  userChosen: readonly vscode.Uri[],
  what: string,
  alsoInside: readonly string[] = [],
): string {
  const outside = !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path));
  if (outside && userChosen.some((u) => u.scheme === 'file' && u.fsPath === path)) return path;
  return confinePath(path, [...workspaceRoots(), ...alsoInside], what);
}

/** The bundled examples' folder: training reads them (the walkthrough), nothing writes there. */
export function examplesFolder(extensionUri: vscode.Uri): string {
  return vscode.Uri.joinPath(extensionUri, 'examples').fsPath;
}
