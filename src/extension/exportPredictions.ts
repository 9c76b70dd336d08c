// "Textcat: Export Predictions…": every non-empty line of the active file with its label, confidence and
// each class's probability, to CSV (header, RFC 4180 quoting) or JSONL (one object a line, as `textcat
// predict --json` writes, plus the text). Lines go to the worker in chunks, so a big file neither blocks
// the extension host nor sends the worker one huge message.
import * as vscode from 'vscode';
import type { Prediction } from '../protocol';
import type { LineLabels } from './lineLabels';
import { offerTraining } from './training';

const CHUNK_LINES = 2_000;

export type ExportFormat = 'csv' | 'jsonl';

export function formatForPath(path: string): ExportFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}

/** A CSV field, quoted when it holds a comma, a quote, a line break or edge spaces (quotes doubled). */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

interface Row {
  line: number;
  text: string;
  prediction: Prediction;
}

const round = (p: number) => Math.round(p * 1e6) / 1e6;

function csvHeader(labels: readonly string[]): string {
  return ['line', 'text', 'label', 'confidence', ...labels.map((l) => `p_${l}`)].map(csvField).join(',') + '\r\n';
}

function csvRow({ line, text, prediction }: Row): string {
  return (
    [line, text, prediction.label, round(prediction.confidence), ...prediction.probabilities.map(round)].map(csvField).join(',') + '\r\n'
  );
}

function jsonRow({ line, text, prediction }: Row, labels: readonly string[]): string {
  const probabilities = Object.fromEntries(labels.map((l, i) => [l, round(prediction.probabilities[i] ?? 0)]));
  return JSON.stringify({ line, text, label: prediction.label, confidence: round(prediction.confidence), probabilities }) + '\n';
}

/** `target`: where to write (tests, other commands); without it a save dialog asks. Returns the file written. */
export async function exportPredictions(lineLabels: LineLabels, target?: unknown): Promise<vscode.Uri | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open the file whose lines you want to export with their labels.'));
    return undefined;
  }
  if (!lineLabels.hasModel()) {
    offerTraining();
    return undefined;
  }
  const uri = target instanceof vscode.Uri ? target : await askForTarget(document);
  if (!uri) return undefined;
  const format = formatForPath(uri.path);
  // One snapshot of the text: edits made while the worker runs do not mix two versions into the file.
  const lines = document.getText().split(/\r?\n/);
  const written = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Textcat: exporting predictions'), cancellable: true },
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
        const result = await lineLabels.classify(
          chunk.map((c) => c.text),
          { remember: false },
        );
        if (!result) return undefined;
        if (!labels) {
          labels = result.labels;
          if (format === 'csv') parts.push(csvHeader(labels));
        }
        chunk.forEach((c, i) => {
          const row = { ...c, prediction: result.predictions[i] };
          parts.push(format === 'csv' ? csvRow(row) : jsonRow(row, labels!));
        });
        count += chunk.length;
        progress.report({ increment: (100 * CHUNK_LINES) / lines.length, message: vscode.l10n.t('{0} lines', count) });
      }
      if (format === 'csv' && !labels) parts.push(csvHeader(lineLabels.modelLabels()));
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(parts.join('')));
      return count;
    },
  );
  if (written === undefined) return undefined;
  const open = vscode.l10n.t('Open');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Textcat: exported {0} lines to {1}', written, vscode.workspace.asRelativePath(uri)), open)
    .then((choice) => (choice === open ? vscode.window.showTextDocument(uri) : undefined));
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
