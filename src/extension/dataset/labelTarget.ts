// What "Label Line As…" works on: the document and lines named by the command's arguments (hover links, quick
// fixes, tests), else the active editor's selections; and the dataset it appends to, refused while it has
// unsaved edits (an append under them would be lost or clobbered when the editor saves).
import * as vscode from 'vscode';
import { showError, showWarning } from '../notify';
import { assertDatasetFile, type AppendTarget } from '../../core/data/append';
import type { ModelSummary } from '../../protocol/types';
import { confineManifestPath, isInWorkspace, manifestDatasetPath } from '../workspace/confine';

/** The document and the non-empty lines to label; undefined (after saying why) when there are none. */
export async function targetLines(
  uriArg: unknown,
  lineArg: unknown,
): Promise<{ document: vscode.TextDocument; lines: number[] } | undefined> {
  const uri = asUri(uriArg);
  const editor = vscode.window.activeTextEditor;
  let document: vscode.TextDocument;
  let lines: number[];
  if (uri) {
    // From a hover link, a quick fix, the review list or another extension: a document open in VS Code, or a
    // file of the workspace. Nothing else is opened to be read on a caller's word.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!open && !(uri.scheme === 'file' && isInWorkspace(uri.fsPath))) {
      void showError(vscode.l10n.t('{0} is neither open nor in the workspace: Textcat labels only lines you can see.', uri.toString()));
      return undefined;
    }
    document = open ?? (await vscode.workspace.openTextDocument(uri));
    const line = typeof lineArg === 'number' ? lineArg : typeof lineArg === 'string' && /^\d+$/.test(lineArg) ? Number(lineArg) : undefined;
    const fromEditor = editor?.document.uri.toString() === uri.toString() ? selectedLines(editor) : [0];
    lines = line === undefined ? fromEditor : [line];
    if (lines.some((l) => !Number.isInteger(l) || l < 0 || l >= document.lineCount)) {
      void showError(vscode.l10n.t('Line {0} is not in {1}.', String(lineArg), vscode.workspace.asRelativePath(uri)));
      return undefined;
    }
  } else if (editor) {
    document = editor.document;
    lines = selectedLines(editor);
  } else {
    void showWarning(vscode.l10n.t('Open a file and put the cursor on the line to label.'));
    return undefined;
  }
  lines = lines.filter((l) => !document.lineAt(l).isEmptyOrWhitespace);
  if (lines.length === 0) {
    void showWarning(vscode.l10n.t('The line is empty: there is no text to label.'));
    return undefined;
  }
  return { document, lines };
}

/** Every line touched by a selection, each once, in order (a selection ending at column 0 stops above it). */
function selectedLines(editor: vscode.TextEditor): number[] {
  const lines = new Set<number>();
  for (const selection of editor.selections) {
    const last = selection.end.line > selection.start.line && selection.end.character === 0 ? selection.end.line - 1 : selection.end.line;
    for (let l = selection.start.line; l <= last; l++) lines.add(l);
  }
  return [...lines].sort((a, b) => a - b);
}

/** A Uri, or what a command link turns one into (its JSON form), or a string path/URI. */
function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value)
    return /^[a-z][\w+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value);
  const parts = value as { scheme?: unknown; path?: unknown } | undefined;
  if (parts && typeof parts.scheme === 'string' && typeof parts.path === 'string')
    return vscode.Uri.from(parts as { scheme: string; path: string });
  return undefined;
}

/**
 * The model's training dataset, in the format and columns it was read with, confined: its real path must lie in
 * the workspace (a manifest naming ../../.bashrc, an absolute path, or a committed link out is refused with a
 * TextcatError naming it) unless the user chose that file in the open dialog, and it must be a dataset file of
 * its format (core/data/append.ts checks that too).
 */
export function datasetOf(manifest: ModelSummary, userChosen: readonly vscode.Uri[]): AppendTarget {
  const { format, columns, multiLabel, labelSeparator } = manifest.dataset;
  const path = confineManifestPath(manifestDatasetPath(manifest), userChosen, "the model's dataset");
  // A multi-label dataset's row is written with its labels joined as the reader split them.
  const labelling = multiLabel ? { multiLabel, ...(labelSeparator !== undefined ? { labelSeparator } : {}) } : {};
  const target: AppendTarget = { path, format, columns: { text: columns.text, label: columns.label }, ...labelling };
  assertDatasetFile(target);
  return target;
}

/** True (after saying so) when the dataset is open with unsaved edits: the append would fight the editor's save. */
export function refuseUnsaved(dataset: AppendTarget): boolean {
  if (dataset.format === 'folder') return false; // a new file never collides with an open one
  const key = vscode.Uri.file(dataset.path).toString();
  const dirty = vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.toString() === key);
  if (!dirty) return false;
  const save = vscode.l10n.t('Save It');
  void showWarning(
    vscode.l10n.t(
      '{0} has unsaved changes. Save it first, then label the line again: Textcat adds the line to the file on disk.',
      vscode.workspace.asRelativePath(dirty.uri),
    ),
    save,
  ).then((answer) => (answer === save ? dirty.save() : undefined));
  return true;
}
