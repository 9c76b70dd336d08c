// Finding the workspace's datasets: files whose ending the reader takes (core's own table), judged by their
// first bytes where the ending is not enough, and folders of class folders. Files Textcat wrote itself
// (`<name>.predictions.csv` from Export Predictions) are not offered: training on a model's own output teaches nothing.
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import * as vscode from 'vscode';
import { FASTTEXT_PREFIX } from '../../core/datasetFormats/fasttext';
import { DATASET_EXTENSIONS, FASTTEXT_EXTENSIONS, FORMAT_BY_EXTENSION } from '../../core/datasetFormats/fileTypes';

const MAX_FILES = 2000;
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.textcat/**}';
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.textcat', '.vscode', 'dist', 'out']);
/** How deep below a workspace folder a folder-of-class-folders dataset is looked for. */
const FOLDER_DEPTH = 3;

/** The endings without their dot, as file dialogs and globs want them. */
export const DATASET_ENDINGS = DATASET_EXTENSIONS.map((e) => e.slice(1));
const GLOB = `**/*.{${[...DATASET_ENDINGS, ...DATASET_ENDINGS.map((e) => e.toUpperCase())].join(',')}}`;

/** `x.predictions.csv`, `x.predictions.jsonl`: what Export Predictions writes (package.json's Explorer menu says the same). */
export function isPredictionsFile(uri: vscode.Uri): boolean {
  return /\.predictions\.[^./]+$/i.test(uri.path);
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

/** Whether a file looks like something the worker can train on: a fastText file must start with a label, and
 * a .json must hold an array (of records). */
export async function looksLikeDataset(uri: vscode.Uri): Promise<boolean> {
  const ending = extname(uri.path).toLowerCase();
  if (isPredictionsFile(uri)) return false;
  try {
    if (FASTTEXT_EXTENSIONS.has(ending)) return (await head(uri)).startsWith(FASTTEXT_PREFIX);
    if (FORMAT_BY_EXTENSION[ending] === 'json') return /^\s*\[\s*(\{|$)/.test(await head(uri));
  } catch {
    return false; // unreadable: not offered
  }
  return ending in FORMAT_BY_EXTENSION;
}

/** A folder with at least two subfolders that each hold text files: one class per subfolder. */
export async function isClassFolder(uri: vscode.Uri): Promise<boolean> {
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

/** The dataset-looking files and the class folders of the workspace. */
export async function findDatasetLocations(): Promise<{ files: vscode.Uri[]; folders: vscode.Uri[] }> {
  const candidates = await vscode.workspace.findFiles(GLOB, EXCLUDE, MAX_FILES);
  const checked = await Promise.all(candidates.map(async (f) => ((await looksLikeDataset(f)) ? f : undefined)));
  const folders: vscode.Uri[] = [];
  for (const ws of vscode.workspace.workspaceFolders ?? []) await findClassFolders(ws.uri, FOLDER_DEPTH, folders);
  return { files: checked.filter((f): f is vscode.Uri => f !== undefined), folders };
}

/** Every dataset-looking file and class folder in the workspace. */
export async function findDatasets(): Promise<vscode.Uri[]> {
  const { files, folders } = await findDatasetLocations();
  return [...files, ...folders];
}
