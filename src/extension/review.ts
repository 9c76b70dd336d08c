// "Textcat: Review Uncertain Lines": the lines the model is least sure about, most uncertain first (margin
// or entropy, setting textcat.review.measure), in a quick pick. Choosing one reveals and selects it; the
// item's "Label…" button runs textcat.labelLine on it and opens the list again at the next line.
// Lines are predicted in the worker in chunks (nothing is predicted on the extension host thread).
import * as vscode from 'vscode';
import { percent } from './labelFormat';
import type { LineLabels } from './lineLabels';
import { offerTraining } from './training';
import type { Services } from './services';
import { entropy, margin, sortByUncertainty, type UncertaintyMeasure } from './uncertainty';

/** Lines sent to the worker per request. */
const CHUNK_LINES = 1_000;
/** The most lines one review looks at (the workspace scope stops reading files there). */
export const MAX_REVIEW_LINES = 5_000;
/** Quick-pick rows shown (the most uncertain ones); the command still returns the whole sorted list. */
const MAX_ITEMS = 500;

export type ReviewScope = 'file' | 'workspace';

export interface ReviewArgument {
  scope?: ReviewScope;
  /** false: return the sorted list without showing the quick pick (tests, other commands). */
  show?: boolean;
}

/** One reviewed line, as the command returns it. */
export interface ReviewLine {
  readonly uri: vscode.Uri;
  /** 0-based line number. */
  readonly line: number;
  readonly text: string;
  readonly label: string;
  readonly confidence: number;
  readonly probabilities: readonly number[];
  /** Top probability minus the second. */
  readonly margin: number;
  readonly entropy: number;
}

interface LineItem extends vscode.QuickPickItem {
  readonly review: ReviewLine;
}

/** textcat.reviewUncertain: resolves with the lines sorted by uncertainty (undefined when there was nothing to review). */
export async function reviewUncertain(services: Services, lineLabels: LineLabels, arg?: unknown): Promise<ReviewLine[] | undefined> {
  const options = (arg && typeof arg === 'object' ? arg : {}) as ReviewArgument;
  if (!lineLabels.hasModel()) {
    offerTraining();
    return undefined;
  }
  const scope: ReviewScope = options.scope === 'workspace' ? 'workspace' : 'file';
  if (scope === 'file' && !vscode.window.activeTextEditor) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a file to review its uncertain lines, or review the whole workspace.'));
    return undefined;
  }
  const measure = services.settings.current.review.measure;
  const sorted = await collect(services, lineLabels, scope, measure);
  if (!sorted) return undefined;
  if (options.show !== false) showList(services, lineLabels, sorted, scope, measure, 0);
  return sorted;
}

async function collect(
  services: Services,
  lineLabels: LineLabels,
  scope: ReviewScope,
  measure: UncertaintyMeasure,
): Promise<ReviewLine[] | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Textcat: finding uncertain lines'), cancellable: true },
    async (progress, token) => {
      const lines = scope === 'file' ? activeFileLines() : await workspaceLines(services, token);
      const reviewed: ReviewLine[] = [];
      for (let start = 0; start < lines.length; start += CHUNK_LINES) {
        if (token.isCancellationRequested) return undefined;
        const chunk = lines.slice(start, start + CHUNK_LINES);
        const result = await lineLabels.classify(
          chunk.map((l) => l.text),
          { remember: false },
        );
        if (!result) return undefined;
        chunk.forEach((l, i) => {
          const p = result.predictions[i];
          reviewed.push({
            ...l,
            label: p.label,
            confidence: p.confidence,
            probabilities: p.probabilities,
            margin: margin(p.probabilities),
            entropy: entropy(p.probabilities),
          });
        });
        progress.report({ increment: (100 * chunk.length) / lines.length, message: vscode.l10n.t('{0} lines', reviewed.length) });
      }
      return sortByUncertainty(reviewed, measure);
    },
  );
}

type Line = { uri: vscode.Uri; line: number; text: string };

function nonEmptyLines(uri: vscode.Uri, text: string, limit: number): Line[] {
  const out: Line[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && out.length < limit; i++) if (lines[i].trim()) out.push({ uri, line: i, text: lines[i] });
  return out;
}

function activeFileLines(): Line[] {
  const document = vscode.window.activeTextEditor!.document;
  return nonEmptyLines(document.uri, document.getText(), MAX_REVIEW_LINES);
}

/** Every file matching textcat.labels.include, up to MAX_REVIEW_LINES lines; open documents as edited. */
async function workspaceLines(services: Services, token: vscode.CancellationToken): Promise<Line[]> {
  const include = services.settings.current.labels.include;
  if (!include.length) return [];
  const pattern = include.length === 1 ? include[0] : `{${include.join(',')}}`;
  const files = (await vscode.workspace.findFiles(pattern, undefined, 1_000, token)).sort((a, b) => a.path.localeCompare(b.path));
  const modelDir = services.settings.current.modelDir?.toString();
  const lines: Line[] = [];
  for (const uri of files) {
    if (lines.length >= MAX_REVIEW_LINES || token.isCancellationRequested) break;
    if (modelDir && uri.toString().startsWith(`${modelDir}/`)) continue;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      services.log.warn(`review: cannot read ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    lines.push(...nonEmptyLines(uri, text, MAX_REVIEW_LINES - lines.length));
  }
  return lines;
}

function item(review: ReviewLine, scope: ReviewScope, measure: UncertaintyMeasure, labelButton: vscode.QuickInputButton): LineItem {
  const text = review.text.trim();
  const score =
    measure === 'margin' ? vscode.l10n.t('margin {0}', review.margin.toFixed(2)) : vscode.l10n.t('entropy {0}', review.entropy.toFixed(2));
  const where = `${scope === 'workspace' ? vscode.workspace.asRelativePath(review.uri, false) : review.uri.path.split('/').pop()}:${review.line + 1}`;
  return {
    label: text.length > 120 ? `${text.slice(0, 119)}…` : text,
    description: `${review.label} ${percent(review.confidence)} · ${score}`,
    detail: where,
    buttons: [labelButton],
    review,
  };
}

/** The quick pick of the sorted lines, with `active` (an index into `list`) highlighted. */
function showList(
  services: Services,
  lineLabels: LineLabels,
  list: ReviewLine[],
  scope: ReviewScope,
  measure: UncertaintyMeasure,
  active: number,
): void {
  const pick = vscode.window.createQuickPick<LineItem>();
  const labelButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('tag'), tooltip: vscode.l10n.t('Label…') };
  const workspaceButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('files'),
    tooltip: vscode.l10n.t('Review every file matching textcat.labels.include'),
  };
  pick.title =
    measure === 'margin'
      ? vscode.l10n.t('Textcat: uncertain lines (smallest margin first)')
      : vscode.l10n.t('Textcat: uncertain lines (largest entropy first)');
  pick.placeholder = list.length
    ? vscode.l10n.t('Choose a line to reveal it; the tag button labels it')
    : vscode.l10n.t('No non-empty lines to review');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  if (scope === 'file') pick.buttons = [workspaceButton];
  const items = list.slice(0, MAX_ITEMS).map((r) => item(r, scope, measure, labelButton));
  pick.items = items;
  if (items[active]) pick.activeItems = [items[active]];
  pick.onDidTriggerButton((button) => {
    if (button !== workspaceButton) return;
    pick.hide();
    void reviewUncertain(services, lineLabels, { scope: 'workspace' });
  });
  pick.onDidAccept(() => {
    const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
    pick.hide();
    if (chosen) void reveal(chosen.review);
  });
  pick.onDidTriggerItemButton(async ({ item: chosen }) => {
    pick.hide();
    const index = list.indexOf(chosen.review);
    await reveal(chosen.review);
    try {
      // Without a label textcat.labelLine asks for one (the model's classes, predicted first).
      await vscode.commands.executeCommand('textcat.labelLine', chosen.review.uri, chosen.review.line);
    } catch (error) {
      services.log.error(`review: labelLine failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // The labeled line leaves the list; the next one (now at the same index) is where the list opens.
    const rest = list.filter((r) => r !== chosen.review);
    if (rest.length) showList(services, lineLabels, rest, scope, measure, Math.min(index, rest.length - 1));
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

async function reveal(line: ReviewLine): Promise<void> {
  const editor = await vscode.window.showTextDocument(line.uri, { preserveFocus: false });
  const range = editor.document.lineAt(Math.min(line.line, editor.document.lineCount - 1)).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
