// How a prediction reads: the text after a line ("spam 97%") and the hover's table of every class.
import * as vscode from 'vscode';
import type { Prediction } from '../protocol';

export function percent(p: number, digits = 0): string {
  return `${(p * 100).toFixed(digits)}%`;
}

/** What follows a labeled line. */
export function labelText(prediction: Prediction, showConfidence: boolean): string {
  return showConfidence ? `${prediction.label} ${percent(prediction.confidence)}` : prediction.label;
}

/**
 * Backslash before every ASCII punctuation character (CommonMark lets any of them be escaped), so a label
 * such as `<img src=x onerror=alert(1)>`, `a|b` or `*x*` reads literally: no HTML, no emphasis, no extra
 * table cell. Line breaks would end a table row; they become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Every class with its probability, most likely first, as an untrusted markdown table. */
export function probabilityTable(labels: readonly string[], prediction: Prediction, minConfidence: number): vscode.MarkdownString {
  const rows = labels.map((label, i) => ({ label, p: prediction.probabilities[i] ?? 0 })).sort((a, b) => b.p - a.p);
  const lines = [
    `**Textcat**: ${escapeMarkdown(prediction.label)} (${percent(prediction.confidence, 1)})`,
    ...(prediction.confidence < minConfidence ? ['', `_${escapeMarkdown(vscode.l10n.t('Below the minimum confidence ({0})', percent(minConfidence)))}_`] : []),
    '',
    `| ${vscode.l10n.t('Class')} | ${vscode.l10n.t('Probability')} |`,
    '| :-- | --: |',
    ...rows.map((r) => `| ${escapeMarkdown(r.label)} | ${escapeMarkdown(percent(r.p, 1))} |`),
  ];
  // Labels come from a dataset: no command links, no HTML.
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}
