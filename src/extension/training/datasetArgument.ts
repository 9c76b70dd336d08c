// What a training or evaluation command was given to work on: the Explorer menu passes a Uri, the walkthrough
// `{"example": "tickets"}`, a link or test a path, and `{"retrain": true}` repeats the last run (as a warm start unless
// `"warmStart": false`: Retrain from Scratch).
import * as vscode from 'vscode';
import type { DatasetRequest } from '../../protocol/worker';
import type { Services } from '../services';
import { confineDatasetToRead } from '../workspace/confine';
import { exampleUri, type ExampleFile } from './bundledExamples';
import { pickDataset, RecentDatasets } from './datasetPicker';

/** The dataset a command argument names, or undefined when it names none (then the picker asks). */
export function resolveDatasetArgument(arg: unknown, extensionUri: vscode.Uri, file: ExampleFile = 'train.csv'): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) return vscode.Uri.parse(arg);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return arg.startsWith('/') || !folder ? vscode.Uri.file(arg) : vscode.Uri.joinPath(folder, arg);
  }
  if (arg && typeof arg === 'object' && 'example' in arg) return exampleUri(extensionUri, arg.example, file);
  return undefined;
}

/**
 * The dataset a command reads (evaluate, find label errors, learning curve): the one its argument names, else the one
 * the user picks in the dataset picker titled `title`; undefined when they pick none. A dataset the workspace names
 * must lie in it (or be a bundled example); one the user chose in the open dialog is theirs.
 */
export async function datasetToRead(
  s: Pick<Services, 'context'>,
  arg: unknown,
  title: string,
  file: ExampleFile = 'train.csv',
): Promise<vscode.Uri | undefined> {
  const named = resolveDatasetArgument(arg, s.context.extensionUri, file);
  const picked = named ? { uri: named, chosen: false } : await pickDataset({ title, recent: new RecentDatasets(s.context.workspaceState) });
  if (!picked) return undefined;
  return picked.chosen ? picked.uri : vscode.Uri.file(confineDatasetToRead(picked.uri.fsPath, s.context.extensionUri));
}

/** `{"retrain": true}`: train again on the last run's dataset, with its options and columns. */
export function asksToRetrain(arg: unknown): boolean {
  return Boolean(arg && typeof arg === 'object' && (arg as { retrain?: unknown }).retrain === true);
}

/** A retrain continues the current model (a warm start) unless the argument says `{"warmStart": false}`. */
export function asksForWarmStart(arg: unknown): boolean {
  return !(arg && typeof arg === 'object' && (arg as { warmStart?: unknown }).warmStart === false);
}

/** The worker's request for a dataset: its path, and the columns (and label separator) only when they are named. */
export function datasetRequest(
  uri: vscode.Uri,
  columns: { textColumn?: string; labelColumn?: string; labelSeparator?: string },
): DatasetRequest {
  return {
    path: uri.fsPath,
    ...(columns.textColumn ? { textColumn: columns.textColumn } : {}),
    ...(columns.labelColumn ? { labelColumn: columns.labelColumn } : {}),
    ...(columns.labelSeparator ? { labelSeparator: columns.labelSeparator } : {}),
  };
}
