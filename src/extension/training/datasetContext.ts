// The Explorer offers "Train Classifier…" and "Evaluate Model on Dataset…" on what the reader takes, and nothing
// else. A when-clause can test a file's ending (package.json does, for the endings that decide alone: .csv, .tsv,
// .tab, .jsonl, .ndjson) but not a file's first bytes nor a folder's subfolders, so two context keys list the rest:
//   textcat.datasetFiles  the .json, .txt and .ft files whose first bytes make them datasets (an array of records,
//                         a fastText __label__ line);
//   textcat.classFolders  the folders of class folders (two or more subfolders of text files, nothing else loose).
// Both are objects keyed by the resource's path (`resourcePath in textcat.classFolders`: the URI would not do, since
// a remote window's Explorer sees vscode-remote: URIs where the extension sees file: ones), filled by one bounded scan of
// the workspace, the dataset picker's (findDatasetLocations), started a few seconds after activation so that startup never
// waits for it, and repeated (debounced) when a file or folder that could change the answer appears, changes or goes.
import { extname } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/format/errorText';
import { FASTTEXT_EXTENSIONS } from '../../core/datasetFormats/fileTypes';
import { findDatasetLocations } from './datasetSearch';

const FIRST_SCAN_DELAY_MS = 3_000;
const RESCAN_DELAY_MS = 2_000;
/** Endings whose files are datasets only by their content: the scan decides for them. */
const DECIDED_BY_CONTENT = new Set(['.json', ...FASTTEXT_EXTENSIONS]);
/** Changes there never make or unmake a dataset the Explorer would offer. */
const IGNORED = /\/(node_modules|\.git|\.textcat)\//;

export class DatasetContext implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scanning = false;
  private again = false;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*');
  private readonly subscriptions: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const changed = (uri: vscode.Uri) => {
      if (mayChangeTheAnswer(uri)) this.schedule(RESCAN_DELAY_MS);
    };
    this.subscriptions = vscode.Disposable.from(
      this.watcher,
      this.watcher.onDidCreate(changed),
      this.watcher.onDidChange(changed),
      this.watcher.onDidDelete(changed),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule(0)),
    );
    this.schedule(FIRST_SCAN_DELAY_MS);
  }

  /** Scans now (tests, and whoever just wrote a dataset); resolves once the keys are set. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    if (this.scanning) {
      this.again = true;
      return;
    }
    this.scanning = true;
    try {
      await this.scan();
    } catch (error) {
      this.log.warn(`dataset scan for the Explorer menu: ${errorMessage(error)}`);
    } finally {
      this.scanning = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async scan(): Promise<void> {
    const started = performance.now();
    const found = await findDatasetLocations();
    const files: Record<string, true> = {};
    const folders: Record<string, true> = {};
    for (const uri of found.files)
      if (DECIDED_BY_CONTENT.has(extname(uri.path).toLowerCase())) pathKeys(uri).forEach((k) => (files[k] = true));
    for (const uri of found.folders) pathKeys(uri).forEach((k) => (folders[k] = true));
    await vscode.commands.executeCommand('setContext', 'textcat.datasetFiles', files);
    await vscode.commands.executeCommand('setContext', 'textcat.classFolders', folders);
    this.log.info(
      `Explorer menu: ${found.files.length} dataset file(s), ${found.folders.length} class folder(s) (scan ${(performance.now() - started).toFixed(0)} ms)`,
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.dispose();
  }
}

/**
 * The `resourcePath` the Explorer may give this resource: its fsPath, and for a remote window opened from Windows
 * the same path with backslashes (the window makes an fsPath of its own from the remote URI).
 */
function pathKeys(uri: vscode.Uri): string[] {
  return [...new Set([uri.fsPath, uri.path.replace(/\//g, '\\')])];
}

/** A file whose ending the scan decides by content, or anything without an ending (a folder, a class example). */
function mayChangeTheAnswer(uri: vscode.Uri): boolean {
  if (IGNORED.test(uri.path)) return false;
  const ending = extname(uri.path).toLowerCase();
  return ending === '' || DECIDED_BY_CONTENT.has(ending);
}
