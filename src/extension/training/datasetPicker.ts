// Letting the user pick a dataset: recently used first, then the rest of the workspace's (datasetSearch.ts).
import * as vscode from 'vscode';
import { DATASET_ENDINGS, findDatasets } from './datasetSearch';

const RECENT_KEY = 'textcat.recentDatasets';
const MAX_RECENT = 10;

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

interface DatasetItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  retrain?: true;
  /** A file the user chose in the open dialog earlier (a recent one outside the workspace folders). */
  chosen?: true;
}

/**
 * What the user picked; `retrain` when it was "Retrain on the same dataset" (the last run's options and columns);
 * `chosen` when the user chose the file in the open dialog (Browse…, now or for a recent one): theirs, not the
 * workspace's, so not confined to it.
 */
export interface PickedDataset {
  uri: vscode.Uri;
  retrain: boolean;
  chosen: boolean;
}

/** One dataset; the separator above the recent ones says "recently used", so the item does not say it again. */
function itemFor(uri: vscode.Uri, isFolder: boolean): DatasetItem {
  const relative = vscode.workspace.asRelativePath(uri, false);
  const slash = relative.lastIndexOf('/');
  return {
    label: `${isFolder ? '$(folder)' : '$(file)'} ${relative.slice(slash + 1)}`,
    description: slash > 0 ? relative.slice(0, slash) : undefined,
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
    items.push(
      ...recent.map((u) => ({
        ...itemFor(u, folders.has(u.toString())),
        ...(vscode.workspace.getWorkspaceFolder(u) ? {} : { chosen: true as const }),
      })),
    );
    if (rest.length) items.push({ label: vscode.l10n.t('workspace'), kind: vscode.QuickPickItemKind.Separator });
    items.push(...rest.map((u) => itemFor(u, folders.has(u.toString()))));
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
      filters: { [vscode.l10n.t('Datasets')]: DATASET_ENDINGS },
    });
    return chosen?.[0] && { uri: chosen[0], retrain: false, chosen: true };
  }
  return picked?.uri && { uri: picked.uri, retrain: picked.retrain === true, chosen: picked.chosen === true };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
