// "Textcat: Label Line As…": adds the current line (or each selected line) to the model's training
// dataset with a label the user picks, appended in the dataset's own format (core/append). The dataset
// file is read fresh on every append, so edits saved since training count; unsaved edits are refused,
// since appending under them would be lost or clobbered when the editor saves.
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { appendExample, assertAppendable, unsafeFolderName, type AppendTarget } from '../core/append';
import { TextcatError } from '../core/types';
import type { ModelManifest } from '../protocol';
import { percent } from './labelFormat';
import type { LineLabels } from './lineLabels';
import type { Services as CoreServices } from './services';
import { offerTraining } from './training';

type Services = CoreServices & { readonly lineLabels: LineLabels };

/** One line added to the dataset: what the command resolves with (tests and the hover links read it). */
export interface LabeledLine {
  /** The labeled document and its 0-based line. */
  readonly source: vscode.Uri;
  readonly sourceLine: number;
  readonly label: string;
  /** The file written (the dataset, or a new file of a folder dataset) and the 1-based line of the new example. */
  readonly file: string;
  readonly line: number;
}

/** Length of the line text shown as the quick pick's placeholder. */
const PREVIEW_CHARS = 80;

/**
 * textcat.labelLine. With no arguments it works on the active editor's selection and asks for the label;
 * `(uri, line, label)` — from hover links, code actions and tests — names the line (0-based) and,
 * optionally, the label. Resolves with what was written; undefined when nothing was (no model, refused,
 * cancelled).
 */
export async function labelLine(s: Services, uriArg?: unknown, lineArg?: unknown, labelArg?: unknown): Promise<LabeledLine[] | undefined> {
  const manifest = s.model.manifest;
  if (!manifest || !s.lineLabels.hasModel()) {
    offerTraining(vscode.l10n.t('Labeling a line adds it to the dataset of a model, and there is no Textcat model yet.'));
    return undefined;
  }
  const target = await targetLines(uriArg, lineArg);
  if (!target) return undefined;
  const dataset = datasetOf(manifest);
  try {
    assertAppendable(dataset);
  } catch (error) {
    return fail(s, error);
  }
  if (refuseUnsaved(dataset)) return undefined;
  const given = typeof labelArg === 'string' ? labelArg.trim() : undefined;
  if (labelArg !== undefined && !given) {
    void vscode.window.showErrorMessage(vscode.l10n.t('A label cannot be empty.'));
    return undefined;
  }
  const written: LabeledLine[] = [];
  for (const [index, line] of target.lines.entries()) {
    const text = target.document.lineAt(line).text;
    const label = given ?? (await pickLabel(s, manifest, dataset, text, line, { index, count: target.lines.length }));
    if (label === undefined) break; // Escape stops here; what was added so far stays
    // Checked again: the dataset may have been edited while the quick pick was open.
    if (refuseUnsaved(dataset)) break;
    try {
      const added = await appendExample(dataset, text, label);
      s.log.info(`labeled ${target.document.uri.fsPath}:${line + 1} as ${JSON.stringify(label)} → ${added.file}:${added.line}`);
      added.notes.forEach((note) => s.log.warn(note));
      written.push({ source: target.document.uri, sourceLine: line, label, file: added.file, line: added.line });
      if (added.notes.length) void vscode.window.showWarningMessage(added.notes.join(' '));
    } catch (error) {
      fail(s, error);
      break;
    }
  }
  if (written.length) announce(written);
  return written.length ? written : undefined;
}

/** The document and the non-empty lines to label: the arguments', else the active editor's selections. */
async function targetLines(uriArg: unknown, lineArg: unknown): Promise<{ document: vscode.TextDocument; lines: number[] } | undefined> {
  const uri = asUri(uriArg);
  const editor = vscode.window.activeTextEditor;
  let document: vscode.TextDocument;
  let lines: number[];
  if (uri) {
    document = await vscode.workspace.openTextDocument(uri);
    const line = typeof lineArg === 'number' ? lineArg : typeof lineArg === 'string' && /^\d+$/.test(lineArg) ? Number(lineArg) : undefined;
    const fromEditor = editor?.document.uri.toString() === uri.toString() ? selectedLines(editor) : [0];
    lines = line === undefined ? fromEditor : [line];
    if (lines.some((l) => !Number.isInteger(l) || l < 0 || l >= document.lineCount)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Line {0} is not in {1}.', String(lineArg), vscode.workspace.asRelativePath(uri)));
      return undefined;
    }
  } else if (editor) {
    document = editor.document;
    lines = selectedLines(editor);
  } else {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a file and put the cursor on the line to label.'));
    return undefined;
  }
  lines = lines.filter((l) => !document.lineAt(l).isEmptyOrWhitespace);
  if (lines.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The line is empty: there is no text to label.'));
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

function datasetOf(manifest: ModelManifest): AppendTarget {
  const { path, format, columns } = manifest.dataset;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    path: isAbsolute(path) || !folder ? path : resolve(folder, path),
    format,
    columns: { text: columns.text, label: columns.label },
  };
}

/** True (after saying so) when the dataset is open with unsaved edits: the append would fight the editor's save. */
function refuseUnsaved(dataset: AppendTarget): boolean {
  if (dataset.format === 'folder') return false; // a new file never collides with an open one
  const key = vscode.Uri.file(dataset.path).toString();
  const dirty = vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.toString() === key);
  if (!dirty) return false;
  const save = vscode.l10n.t('Save It');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        '{0} has unsaved changes. Save it first, then label the line again: Textcat adds the line to the file on disk.',
        vscode.workspace.asRelativePath(dirty.uri),
      ),
      save,
    )
    .then((answer) => (answer === save ? dirty.save() : undefined));
  return true;
}

interface LabelItem extends vscode.QuickPickItem {
  readonly value?: string;
}

/** The model's classes, the predicted one first and marked, then "New label…"; undefined on Escape. */
async function pickLabel(
  s: Services,
  manifest: ModelManifest,
  dataset: AppendTarget,
  text: string,
  line: number,
  progress: { index: number; count: number },
): Promise<string | undefined> {
  const ranked = await rankedLabels(s, manifest, text);
  const items: LabelItem[] = ranked.map(({ label, p }, i) => ({
    label,
    value: label,
    description: p === undefined ? undefined : i === 0 ? vscode.l10n.t('predicted, {0}', percent(p)) : percent(p),
  }));
  const newLabel: LabelItem = { label: `$(add) ${vscode.l10n.t('New label…')}`, alwaysShow: true };
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, newLabel);
  const preview = text.trim().length > PREVIEW_CHARS ? `${text.trim().slice(0, PREVIEW_CHARS - 1)}…` : text.trim();
  const title =
    progress.count > 1
      ? vscode.l10n.t('Textcat: Label line {0} as… ({1} of {2})', line + 1, progress.index + 1, progress.count)
      : vscode.l10n.t('Textcat: Label line {0} as…', line + 1);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: preview, matchOnDescription: false });
  if (!picked) return undefined;
  if (picked !== newLabel) return picked.value;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The new class for "{0}"', preview),
    placeHolder: vscode.l10n.t('Label'),
    validateInput: (value) => validateNewLabel(value, dataset),
  });
  return typed === undefined ? undefined : typed.trim();
}

function validateNewLabel(value: string, dataset: AppendTarget): string | undefined {
  const label = value.trim();
  if (!label) return vscode.l10n.t('A label cannot be empty.');
  if (dataset.format === 'folder' && unsafeFolderName(label)) {
    return vscode.l10n.t(
      'This dataset keeps each class in a folder, and "{0}" cannot be a folder name (no path separators, control characters, or leading dot).',
      label,
    );
  }
  return undefined;
}

/** The model's classes by probability for `text`; in the manifest's order when the worker cannot answer. */
async function rankedLabels(s: Services, manifest: ModelManifest, text: string): Promise<{ label: string; p?: number }[]> {
  try {
    const result = await s.lineLabels.classify([text], { remember: true });
    if (result) {
      const prediction = result.predictions[0];
      return result.labels.map((label, i) => ({ label, p: prediction.probabilities[i] ?? 0 })).sort((a, b) => b.p - a.p);
    }
  } catch (error) {
    s.log.warn(`label line: no prediction for the quick pick (${error instanceof Error ? error.message : String(error)})`);
  }
  return manifest.labels.map((label) => ({ label }));
}

/** "Added to data.csv:42" with an Open button; not awaited, so the command resolves at once. */
function announce(written: LabeledLine[]): void {
  const first = written[0];
  const where = `${vscode.workspace.asRelativePath(first.file)}:${first.line}`;
  const message =
    written.length === 1 ? vscode.l10n.t('Added to {0}', where) : vscode.l10n.t('Added {0} lines to {1} and after', written.length, where);
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(message, open).then(async (answer) => {
    if (answer !== open) return;
    const last = written[written.length - 1];
    const position = new vscode.Position(Math.max(0, last.line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(last.file), { selection: new vscode.Range(position, position), preview: true });
  });
}

function fail(s: Services, error: unknown): undefined {
  if (error instanceof TextcatError) {
    s.log.warn(`label line: ${error.message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Textcat could not add the line to the dataset: {0}', error.message));
    return undefined;
  }
  s.log.error(`label line: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  void vscode.window.showErrorMessage(
    vscode.l10n.t('Textcat could not add the line to the dataset because of an internal error. The log has the details.'),
  );
  return undefined;
}
