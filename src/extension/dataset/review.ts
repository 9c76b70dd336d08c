// "Textcat: Review Uncertain Lines": the lines the model is least sure about, most uncertain first (margin or
// entropy, setting textcat.review.measure), in a quick pick (reviewList.ts). Lines are predicted in the worker
// in chunks (nothing is predicted on the extension host thread).
import * as vscode from 'vscode';
import { showWarning, withNotificationProgress } from '../notify';
import { errorMessage } from '../../core/format/errorText';
import { requireModel } from '../model/requireModel';
import type { Services } from '../services';
import { isInWorkspace } from '../workspace/confine';
import { showReviewList, type ReviewLine, type ReviewScope } from './reviewList';
import { entropy, margin, multiLabelEntropy, multiLabelMargin, sortByUncertainty, type UncertaintyMeasure } from './uncertainty';

/** Lines sent to the worker per request. */
const CHUNK_LINES = 1_000;
/** The most lines one review looks at (the workspace scope stops reading files there). */
export const MAX_REVIEW_LINES = 5_000;

export type { ReviewLine, ReviewScope } from './reviewList';

export interface ReviewArgument {
  scope?: ReviewScope;
  /** false: return the sorted list without showing the quick pick (tests, other commands). */
  show?: boolean;
}

export type ReviewDeps = Pick<Services, 'settings' | 'predictor' | 'log'>;

/** textcat.reviewUncertain: resolves with the lines sorted by uncertainty (undefined when there was nothing to review). */
export async function reviewUncertain(s: ReviewDeps, arg?: unknown): Promise<ReviewLine[] | undefined> {
  const options = (arg && typeof arg === 'object' ? arg : {}) as ReviewArgument;
  if (!requireModel(s.predictor)) return undefined;
  const scope: ReviewScope = options.scope === 'workspace' ? 'workspace' : 'file';
  if (scope === 'file' && !vscode.window.activeTextEditor) {
    void showWarning(vscode.l10n.t('Open a file to review its uncertain lines, or review the whole workspace.'));
    return undefined;
  }
  const measure = s.settings.current.review.measure;
  const sorted = await collect(s, scope, measure);
  if (!sorted) return undefined;
  if (options.show !== false) {
    showReviewList(sorted, scope, measure, 0, () => void reviewUncertain(s, { scope: 'workspace' }));
  }
  return sorted;
}

async function collect(s: ReviewDeps, scope: ReviewScope, measure: UncertaintyMeasure): Promise<ReviewLine[] | undefined> {
  return withNotificationProgress(
    { title: vscode.l10n.t('Textcat: finding uncertain lines'), cancellable: true },
    async (progress, token) => {
      const lines = scope === 'file' ? activeFileLines() : await workspaceLines(s, token);
      const reviewed: ReviewLine[] = [];
      const thresholds = s.predictor.thresholds;
      for (let start = 0; start < lines.length; start += CHUNK_LINES) {
        if (token.isCancellationRequested) return undefined;
        const chunk = lines.slice(start, start + CHUNK_LINES);
        const result = await s.predictor.classify(
          chunk.map((l) => l.text),
          { remember: false, token },
        );
        if (!result) return undefined;
        chunk.forEach((l, i) => {
          const { label, confidence, probabilities, labels } = result.predictions[i];
          const [m, h] = thresholds
            ? [multiLabelMargin(probabilities, thresholds), multiLabelEntropy(probabilities)]
            : [margin(probabilities), entropy(probabilities)];
          reviewed.push({ ...l, label, confidence, ...(labels ? { labels } : {}), probabilities, margin: m, entropy: h });
        });
        progress.report({ increment: (100 * chunk.length) / lines.length, message: vscode.l10n.t('{0} lines', reviewed.length) });
      }
      return sortByUncertainty(reviewed, measure, thresholds);
    },
  );
}

type Line = { uri: vscode.Uri; line: number; text: string };

/** The files matching any of the globs, each once. One search per glob: globs with braces do not nest in one. */
async function filesMatching(patterns: readonly string[], token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = await Promise.all(patterns.map((pattern) => vscode.workspace.findFiles(pattern, undefined, 1_000, token)));
  return [...new Map(found.flat().map((u) => [u.toString(), u])).values()];
}

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

/** Every file matching textcat.labels.include and not labels.exclude, up to MAX_REVIEW_LINES lines; open documents as edited. */
async function workspaceLines(s: ReviewDeps, token: vscode.CancellationToken): Promise<Line[]> {
  const { include, exclude } = s.settings.current.labels;
  const excluded = new Set((await filesMatching(exclude, token)).map((u) => u.toString()));
  const files = (await filesMatching(include, token))
    .filter((u) => !excluded.has(u.toString()))
    .sort((a, b) => a.path.localeCompare(b.path));
  const modelDir = s.settings.current.modelDir?.toString();
  const lines: Line[] = [];
  for (const uri of files) {
    if (lines.length >= MAX_REVIEW_LINES || token.isCancellationRequested) break;
    if (modelDir && uri.toString().startsWith(`${modelDir}/`)) continue;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // A committed link (logs/x.log → /etc/…) is found by the search but lies outside: not read.
    if (!open && !isInWorkspace(uri.fsPath)) {
      s.log.warn(`review: ${uri.fsPath} resolves outside the workspace; skipped`);
      continue;
    }
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      s.log.warn(`review: cannot read ${uri.fsPath}: ${errorMessage(error)}`);
      continue;
    }
    lines.push(...nonEmptyLines(uri, text, MAX_REVIEW_LINES - lines.length));
  }
  return lines;
}
