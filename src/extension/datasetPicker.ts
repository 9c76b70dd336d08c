// Finding the workspace's datasets and letting the user pick one (recently used first), and picking
// the text/label columns when the worker's guess is unsure.
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ColumnChoice } from '../protocol';

const RECENT_KEY = 'textcat.recentDatasets';
const MAX_RECENT = 10;
const MAX_FILES = 2000;
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.textcat/**}';
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.textcat', '.vscode', 'dist', 'out']);
/** How deep below a workspace folder a folder-of-class-folders dataset is looked for. */
const FOLDER_DEPTH = 3;

/** The formats the worker reads; a .txt only counts in fastText form, a .json only as an array. */
const DELIMITED = /\.(csv|tsv|jsonl)$/i;

export class RecentDatasets {
  constructor(private readonly state: vscode.Memento) {}

  get(): vscode.Uri[] {
    return this.state.get<string[]>(RECENT_KEY, []).map((s) => vscode.Uri.parse(s));
  }

  async add(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const next = [key, ...this.state.get<string[]>(RECENT_KEY, []).filter((s) => s !== key)].slice(0, MAX_RECENT);
    await this.state.update(RECENT_KEY, next);
  }
}

/** Reads the first bytes of a file (workspace.fs can only read whole files, and datasets can be large). */
async function head(uri: vscode.Uri, bytes = 64): Promise<string> {
  if (uri.scheme !== 'file') return '';
  const handle = await open(uri.fsPath, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

/** Whether a file looks like something the worker can train on, judged by its name and first bytes. */
export async function looksLikeDataset(uri: vscode.Uri): Promise<boolean> {
  if (DELIMITED.test(uri.path)) return true;
  try {
    if (/\.txt$/i.test(uri.path)) return (await head(uri)).startsWith('__label__');
    if (/\.json$/i.test(uri.path)) return /^\s*\[\s*(\{|$)/.test(await head(uri));
  } catch {
    // unreadable: not offered
  }
  return false;
}

/** A folder with at least two subfolders that each hold text files: one class per subfolder. */
async function isClassFolder(uri: vscode.Uri): Promise<boolean> {
  const entries = await vscode.workspace.fs.readDirectory(uri);
  const subfolders = entries.filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.'));
  // Loose files beside the class folders (other than a README) mean an ordinary project folder.
  const looseFiles = entries.some(([name, type]) => type === vscode.FileType.File && !name.startsWith('.') && !/^readme/i.test(name));
  if (subfolders.length < 2 || looseFiles) return false;
  for (const [name] of subfolders) {
    const inner = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(uri, name));
    // Keras' text_dataset_from_directory layout: text files only, so a source tree is not mistaken for one.
    const examples = inner.filter(([n]) => !n.startsWith('.'));
    if (examples.length === 0 || !examples.every(([n, type]) => type === vscode.FileType.File && (/\.txt$/i.test(n) || !n.includes('.'))))
      return false;
  }
  return true;
}

async function findClassFolders(root: vscode.Uri, depth: number, out: vscode.Uri[]): Promise<void> {
  if (depth === 0 || out.length > 50) return;
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(root);
  } catch {
    return;
  }
  for (const [name, type] of entries) {
    if (type !== vscode.FileType.Directory || SKIPPED_FOLDERS.has(name) || name.startsWith('.')) continue;
    const child = vscode.Uri.joinPath(root, name);
    if (await isClassFolder(child).catch(() => false)) out.push(child);
    else await findClassFolders(child, depth - 1, out);
  }
}

/** Every dataset-looking file and class folder in the workspace. */
export async function findDatasets(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.{csv,tsv,jsonl,json,txt,CSV,TSV,JSONL,JSON,TXT}', EXCLUDE, MAX_FILES);
  const checked = await Promise.all(files.map(async (f) => ((await looksLikeDataset(f)) ? f : undefined)));
  const folders: vscode.Uri[] = [];
  for (const ws of vscode.workspace.workspaceFolders ?? []) await findClassFolders(ws.uri, FOLDER_DEPTH, folders);
  return [...checked.filter((f): f is vscode.Uri => f !== undefined), ...folders];
}

interface DatasetItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  retrain?: true;
}

/** What the user picked; `retrain` when it was "Retrain on the same dataset" (the last run's options and columns). */
export interface PickedDataset {
  uri: vscode.Uri;
  retrain: boolean;
}

function itemFor(uri: vscode.Uri, isFolder: boolean, recent: boolean): DatasetItem {
  const relative = vscode.workspace.asRelativePath(uri, false);
  const slash = relative.lastIndexOf('/');
  return {
    label: `${isFolder ? '$(folder)' : '$(file)'} ${relative.slice(slash + 1)}`,
    description: slash > 0 ? relative.slice(0, slash) : undefined,
    detail: recent ? vscode.l10n.t('recently used') : undefined,
    uri,
  };
}

/**
 * Asks which dataset to use: recent ones first, then the rest of the workspace's datasets. `retrain`
 * puts "Retrain on the same dataset" at the top.
 */
export async function pickDataset(options: {
  title: string;
  recent: RecentDatasets;
  retrain?: vscode.Uri;
}): Promise<PickedDataset | undefined> {
  const quickPick = vscode.window.createQuickPick<DatasetItem>();
  quickPick.title = options.title;
  quickPick.placeholder = vscode.l10n.t('Pick a labeled dataset (CSV, TSV, JSONL, JSON, fastText or a folder of class folders)');
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const top: DatasetItem[] = [];
  if (options.retrain) {
    top.push({
      label: `$(debug-restart) ${vscode.l10n.t('Retrain on the same dataset')}`,
      description: vscode.workspace.asRelativePath(options.retrain, false),
      uri: options.retrain,
      retrain: true,
    });
  }
  const browse: DatasetItem = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, alwaysShow: true };
  quickPick.items = [...top, browse];
  quickPick.show();

  const found = findDatasets().then(async (all) => {
    const known = new Set(all.map((u) => u.toString()));
    const folders = new Set<string>();
    for (const u of all) if (!/\.[a-z]+$/i.test(u.path)) folders.add(u.toString());
    const recent: vscode.Uri[] = [];
    for (const u of options.recent.get()) {
      if (known.has(u.toString()) || (await exists(u))) recent.push(u);
    }
    const recentKeys = new Set(recent.map((u) => u.toString()));
    const rest = all.filter((u) => !recentKeys.has(u.toString())).sort((a, b) => a.path.localeCompare(b.path));
    const items: DatasetItem[] = [...top];
    if (recent.length) items.push({ label: vscode.l10n.t('recently used'), kind: vscode.QuickPickItemKind.Separator });
    items.push(...recent.map((u) => itemFor(u, folders.has(u.toString()), true)));
    if (rest.length) items.push({ label: vscode.l10n.t('workspace'), kind: vscode.QuickPickItemKind.Separator });
    items.push(...rest.map((u) => itemFor(u, folders.has(u.toString()), false)));
    items.push(browse);
    quickPick.items = items;
    quickPick.busy = false;
  });

  const picked = await new Promise<DatasetItem | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
  });
  quickPick.dispose();
  await found.catch(() => undefined);
  if (picked === browse) {
    const chosen = await vscode.window.showOpenDialog({
      title: options.title,
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { [vscode.l10n.t('Datasets')]: ['csv', 'tsv', 'jsonl', 'json', 'txt'] },
    });
    return chosen?.[0] && { uri: chosen[0], retrain: false };
  }
  return picked?.uri && { uri: picked.uri, retrain: picked.retrain === true };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Lets the user pick the text column and then the label column, the guess first; undefined if dismissed. */
export async function pickColumns(columns: ColumnChoice, dataset: string): Promise<{ text: string; label: string } | undefined> {
  const ordered = (first: string) => [first, ...columns.available.filter((c) => c !== first)];
  const text = await vscode.window.showQuickPick(
    ordered(columns.text).map((c) => ({ label: c, description: c === columns.text ? vscode.l10n.t('guessed') : undefined })),
    {
      title: vscode.l10n.t('Text column of {0} (the guess is unsure)', dataset),
      placeHolder: vscode.l10n.t('Which column holds the text to classify?'),
    },
  );
  if (!text) return undefined;
  const label = await vscode.window.showQuickPick(
    ordered(columns.label)
      .filter((c) => c !== text.label)
      .map((c) => ({ label: c, description: c === columns.label ? vscode.l10n.t('guessed') : undefined })),
    { title: vscode.l10n.t('Label column of {0}', dataset), placeHolder: vscode.l10n.t('Which column holds the class label?') },
  );
  return label ? { text: text.label, label: label.label } : undefined;
}
