// "Textcat: Find Likely Label Errors…": the rows of a dataset whose label a model that never saw them doubts
// (core/analysis/labelErrors.ts, run in the worker: k models trained in memory, nothing written), in a quick pick. Enter
// opens the row; the item's button relabels it in place (core/data/relabel.ts) through a WorkspaceEdit, so Undo
// takes it back and the file keeps its encoding and line endings.
import * as vscode from 'vscode';
import { relabelEdit } from '../../core/data/relabel';
import { DEFAULT_FOLDS } from '../../core/analysis/labelErrors';
import { TextcatError } from '../../core/types';
import type { CheckedDataset, LabelIssueRow } from '../../protocol/types';
import { showInfo, showWarning, withNotificationProgress } from '../notify';
import { revealLine } from '../revealLine';
import type { Services } from '../services';
import { datasetRequest, datasetToRead } from '../training/datasetArgument';
import { RecentDatasets } from '../training/datasetPicker';
import { confineManifestPath } from '../workspace/confine';
import { requireTrust } from '../workspace/trust';

/** Quick-pick rows shown (the most certain findings); the command still returns them all. */
const MAX_ITEMS = 500;

export interface LabelCheck {
  dataset: CheckedDataset;
  issues: LabelIssueRow[];
}

interface FindArgument {
  /** The dataset (a Uri or a path); without it the dataset picker asks. */
  dataset?: unknown;
  folds?: number;
  /** false: resolve with the findings without showing the quick pick (tests, other commands). */
  show?: boolean;
}

type Deps = Pick<Services, 'context' | 'settings' | 'worker' | 'log'>;

/** textcat.findLabelErrors: resolves with the findings (undefined when nothing was checked). */
export async function findLabelErrors(s: Deps, arg?: unknown): Promise<LabelCheck | undefined> {
  const given = (arg instanceof vscode.Uri || typeof arg === 'string' ? { dataset: arg } : (arg ?? {})) as FindArgument;
  const uri = await datasetToRead(s, given.dataset, vscode.l10n.t('Textcat: Find Likely Label Errors'));
  if (!uri) return undefined;
  // Relabel Row accepts a dataset outside the workspace only when it is one the user chose (the recent list).
  await new RecentDatasets(s.context.workspaceState).add(uri);
  const folds = Number.isInteger(given.folds) && given.folds! >= 2 && given.folds! <= 20 ? given.folds! : DEFAULT_FOLDS;
  const name = vscode.workspace.asRelativePath(uri);
  s.log.info(`checking the labels of ${uri.fsPath} (${folds} folds)`);
  // Cancel rejects with a CancelledError, which the commands' error path takes quietly: the user asked for it.
  const check = await withNotificationProgress(
    { title: vscode.l10n.t('Textcat: checking the labels of {0}', name), cancellable: true },
    (progress, token) =>
      s.worker.checkLabels(datasetRequest(uri, s.settings.current.dataset), s.settings.current.training, folds, {
        token,
        onFold: (fold, total) =>
          progress.report({ message: vscode.l10n.t('training model {0} of {1} on the other rows…', fold, total), increment: 100 / total }),
      }),
  );
  s.log.info(`${check.issues.length} of ${check.dataset.rows} rows of ${uri.fsPath} have a doubtful label`);
  if (given.show !== false) {
    if (check.issues.length === 0) {
      void showInfo(vscode.l10n.t('Textcat found no likely label error in {0} ({1} rows, {2} folds).', name, check.dataset.rows, folds));
    } else {
      showIssueList(s, check, uri, 0);
    }
  }
  return check;
}

interface IssueItem extends vscode.QuickPickItem {
  readonly issue: LabelIssueRow;
}

function showIssueList(s: Pick<Services, 'context'>, check: LabelCheck, uri: vscode.Uri, active: number): void {
  const pick = vscode.window.createQuickPick<IssueItem>();
  pick.title = vscode.l10n.t(
    'Textcat: likely label errors in {0} ({1} of {2} rows)',
    vscode.workspace.asRelativePath(uri),
    check.issues.length,
    check.dataset.rows,
  );
  pick.placeholder = vscode.l10n.t('Enter opens the row; the tag button relabels it as suggested');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const items = check.issues.slice(0, MAX_ITEMS).map((issue): IssueItem => {
    const text = issue.text.trim();
    return {
      label: text.length > 120 ? `${text.slice(0, 119)}…` : text,
      description: vscode.l10n.t('{0} → {1} ({2})', issue.given, issue.suggested, issue.suggestedProbability.toFixed(2)),
      detail: issue.file ? vscode.workspace.asRelativePath(issue.file) : vscode.l10n.t('line {0}', issue.line),
      buttons: [{ iconPath: new vscode.ThemeIcon('tag'), tooltip: vscode.l10n.t('Relabel as {0}', issue.suggested) }],
      issue,
    };
  });
  pick.items = items;
  if (items[active]) pick.activeItems = [items[active]];
  pick.onDidAccept(() => {
    const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
    pick.hide();
    if (chosen) void openIssue(check.dataset, chosen.issue);
  });
  pick.onDidTriggerItemButton(async ({ item }) => {
    pick.hide();
    const index = check.issues.indexOf(item.issue);
    if (await relabelRow(s, check.dataset, item.issue, item.issue.suggested)) {
      const rest = { ...check, issues: check.issues.filter((i) => i !== item.issue) };
      if (rest.issues.length) showIssueList(s, rest, uri, Math.min(index, rest.issues.length - 1));
    }
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

function openIssue(dataset: CheckedDataset, issue: LabelIssueRow): Thenable<unknown> {
  return issue.file ? vscode.window.showTextDocument(vscode.Uri.file(issue.file)) : revealLine(vscode.Uri.file(dataset.path), issue.line);
}

/**
 * Gives the row another label in place (textcat.relabelRow): true when it was changed. A row that is no longer what
 * the check read (the file was edited or changed on disk since) is refused with nothing changed. An open document
 * with unsaved changes gets the edit without a save (the user's own unsaved edits are theirs to save); otherwise
 * the file is saved, so the next training reads it.
 */
export async function relabelRow(
  s: Pick<Services, 'context'>,
  dataset: CheckedDataset,
  row: Pick<LabelIssueRow, 'line' | 'text' | 'given' | 'file'>,
  to: string,
): Promise<boolean> {
  if (!requireTrust(vscode.l10n.t('Relabel'))) return false;
  // Written only inside the workspace, or in a file the user chose in the open dialog themselves (never a bundled example).
  const path = confineManifestPath(dataset.path, new RecentDatasets(s.context.workspaceState).get(), 'the dataset');
  const target = { path, format: dataset.format, columns: dataset.columns };
  const read = { line: row.line, text: row.text, label: row.given, file: row.file };
  const edit = new vscode.WorkspaceEdit();
  if (dataset.format === 'folder') {
    const move = relabelEdit('', target, read, to);
    if (move.kind !== 'move') return false;
    edit.renameFile(vscode.Uri.file(move.from), vscode.Uri.file(move.to), { overwrite: false });
    return vscode.workspace.applyEdit(edit);
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const wasDirty = document.isDirty;
  if (!wasDirty) await refuseIfChangedOnDisk(document, row.line);
  const change = relabelEdit(document.getText(), target, read, to);
  if (change.kind !== 'replace') return false;
  edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.replacement);
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (wasDirty) {
    void showWarning(
      vscode.l10n.t(
        'Relabeled line {0} in the open editor of {1}, which has other unsaved changes: save it to keep them.',
        row.line,
        vscode.workspace.asRelativePath(document.uri),
      ),
    );
    return true;
  }
  return document.save();
}

/**
 * A document VS Code holds in memory may not have caught up with a change on disk yet (its file watcher is
 * asynchronous): the edit would then be computed on the old text and the save refused. A UTF-8 file whose bytes differ
 * from the document is refused here instead, with nothing changed (another encoding is left to VS Code's own check).
 */
async function refuseIfChangedOnDisk(document: vscode.TextDocument, line: number): Promise<void> {
  const bytes = await vscode.workspace.fs.readFile(document.uri);
  let disk: string;
  try {
    disk = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return;
  }
  if (disk.replace(/^\ufeff/, '') !== document.getText().replace(/^\ufeff/, '')) {
    throw new TextcatError('the file changed on disk since it was opened; read it again (nothing was changed)', document.uri.fsPath, line);
  }
}

/** textcat.relabelRow(dataset, row, to): a finding of Find Likely Label Errors relabeled (tests, other commands). */
export function relabelRowCommand(s: Pick<Services, 'context'>, dataset: unknown, row: unknown, to: unknown): Promise<boolean> {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObject(dataset) || !isObject(row) || typeof to !== 'string') throw new TypeError('textcat.relabelRow takes (dataset, row, label)');
  const { path, format, columns } = dataset as unknown as CheckedDataset;
  const { line, text, given, file } = row as unknown as LabelIssueRow;
  if (
    typeof path !== 'string' ||
    typeof format !== 'string' ||
    typeof line !== 'number' ||
    typeof text !== 'string' ||
    typeof given !== 'string'
  ) {
    throw new TypeError('textcat.relabelRow takes (dataset, row, label)');
  }
  return relabelRow(s, { path, format, columns, rows: 0 }, { line, text, given, file: typeof file === 'string' ? file : undefined }, to);
}
