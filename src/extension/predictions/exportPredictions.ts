// "Textcat: Export Predictions…": every non-empty line of the active file with its label, confidence and each
// class's probability, to CSV (header, RFC 4180 quoting, core/format/csv.ts) or JSONL (one object a line, as
// `textcat predict --json` writes, plus the text). Lines go to the worker in chunks, so a big file neither
// blocks the extension host nor sends the worker one huge message.
import * as vscode from 'vscode';
import { showInfo, showWarning, withNotificationProgress } from '../notify';
import { csvRecords } from '../../core/format/csv';
import type { Prediction } from '../../protocol/types';
import { requireModel } from '../model/requireModel';
import type { Services } from '../services';
import { confineToWorkspace } from '../workspace/confine';
import { requireTrust } from '../workspace/trust';

const CHUNK_LINES = 2_000;

export type ExportFormat = 'csv' | 'jsonl';

export function formatForPath(path: string): ExportFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}

interface Row {
  line: number;
  text: string;
  prediction: Prediction;
}

const round = (p: number) => Math.round(p * 1e6) / 1e6;

function csvHeader(labels: readonly string[]): string {
  return csvRecords([['line', 'text', 'label', 'confidence', ...labels.map((l) => `p_${l}`)]], '\r\n');
}

function csvRows(rows: readonly Row[]): string {
  return csvRecords(
    rows.map(({ line, text, prediction }) => [
      line,
      text,
      prediction.label,
      round(prediction.confidence),
      ...prediction.probabilities.map(round),
    ]),
    '\r\n',
  );
}

function jsonRows(rows: readonly Row[], labels: readonly string[]): string {
  return rows
    .map(({ line, text, prediction }) => {
      const probabilities = Object.fromEntries(labels.map((l, i) => [l, round(prediction.probabilities[i] ?? 0)]));
      return JSON.stringify({ line, text, label: prediction.label, confidence: round(prediction.confidence), probabilities }) + '\n';
    })
    .join('');
}

/** A caller's file on disk is confined to the workspace; another scheme is written through its own file system provider. */
function confinedTarget(target: vscode.Uri): vscode.Uri {
  return target.scheme === 'file' ? vscode.Uri.file(confineToWorkspace(target.fsPath, 'the export')) : target;
}

/** `target`: where to write (tests, other commands); without it a save dialog asks. Returns the file written. */
export async function exportPredictions(s: Pick<Services, 'predictor'>, target?: unknown): Promise<vscode.Uri | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void showWarning(vscode.l10n.t('Open the file whose lines you want to export with their labels.'));
    return undefined;
  }
  if (!requireTrust(vscode.l10n.t('Export Predictions'))) return undefined;
  if (!requireModel(s.predictor)) return undefined;
  // Where the user picked in the save dialog; a caller's target on disk must lie in the workspace.
  const uri = target instanceof vscode.Uri ? confinedTarget(target) : await askForTarget(document);
  if (!uri) return undefined;
  const format = formatForPath(uri.path);
  // One snapshot of the text: edits made while the worker runs do not mix two versions into the file.
  const lines = document.getText().split(/\r?\n/);
  const written = await withNotificationProgress(
    { title: vscode.l10n.t('Textcat: exporting predictions'), cancellable: true },
    async (progress, token) => {
      const parts: string[] = [];
      let labels: readonly string[] | undefined;
      let count = 0;
      for (let start = 0; start < lines.length; start += CHUNK_LINES) {
        if (token.isCancellationRequested) return undefined;
        const chunk: { line: number; text: string }[] = [];
        for (let i = start; i < Math.min(lines.length, start + CHUNK_LINES); i++)
          if (lines[i].trim()) chunk.push({ line: i + 1, text: lines[i] });
        if (!chunk.length) continue;
        const result = await s.predictor.classify(
          chunk.map((c) => c.text),
          { remember: false, token },
        );
        if (!result) return undefined;
        if (!labels) {
          labels = result.labels;
          if (format === 'csv') parts.push(csvHeader(labels));
        }
        const rows = chunk.map((c, i) => ({ ...c, prediction: result.predictions[i] }));
        parts.push(format === 'csv' ? csvRows(rows) : jsonRows(rows, labels));
        count += chunk.length;
        progress.report({ increment: (100 * CHUNK_LINES) / lines.length, message: vscode.l10n.t('{0} lines', count) });
      }
      if (format === 'csv' && !labels) parts.push(csvHeader(s.predictor.labels));
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(parts.join('')));
      return count;
    },
  );
  if (written === undefined) return undefined;
  const open = vscode.l10n.t('Open');
  void showInfo(vscode.l10n.t('Textcat: exported {0} lines to {1}', written, vscode.workspace.asRelativePath(uri)), open).then((choice) =>
    choice === open ? vscode.window.showTextDocument(uri) : undefined,
  );
  return uri;
}

function askForTarget(document: vscode.TextDocument): Thenable<vscode.Uri | undefined> {
  const folder = document.uri.scheme === 'file' ? vscode.Uri.joinPath(document.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const base =
    document.uri.path
      .split('/')
      .pop()!
      .replace(/\.[^.]*$/, '') || 'predictions';
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Predictions'),
    saveLabel: vscode.l10n.t('Export'),
    defaultUri: folder && vscode.Uri.joinPath(folder, `${base}.predictions.csv`),
    filters: { CSV: ['csv'], 'JSON Lines': ['jsonl'] },
  });
}
