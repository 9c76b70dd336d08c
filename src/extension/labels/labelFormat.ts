// How a prediction reads: the text after a line ("spam 97%") and the hover: the table of every class, why the
// model chose its class, and one-click corrections.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../core/format/markdown';
import { percent } from '../../core/format/percent';
import type { Explanation, Prediction } from '../../protocol/types';
import type { RankedClass } from '../model/predictor';

/** The one command a hover link may run (see lineHover). */
export const LABEL_LINE_COMMAND = 'textcat.labelLine';
/** Words listed under "Why". */
const WHY_TOKENS = 5;

/** What follows a labeled line. */
export function labelText(prediction: Prediction, showConfidence: boolean): string {
  return showConfidence ? `${prediction.label} ${percent(prediction.confidence)}` : prediction.label;
}

/** The hover's title and the table of every class (`ranked`: most likely first). */
function tableLines(ranked: readonly Required<RankedClass>[], prediction: Prediction, minConfidence: number): string[] {
  return [
    `**Textcat**: ${escapeMarkdown(prediction.label)} (${percent(prediction.confidence, 1)})`,
    ...(prediction.confidence < minConfidence
      ? ['', `_${escapeMarkdown(vscode.l10n.t('Below the minimum confidence ({0})', percent(minConfidence)))}_`]
      : []),
    '',
    `| ${vscode.l10n.t('Class')} | ${vscode.l10n.t('Probability')} |`,
    '| :-- | --: |',
    ...ranked.map((r) => `| ${escapeMarkdown(r.label)} | ${escapeMarkdown(percent(r.p, 1))} |`),
  ];
}

/** A weight as the hover shows it: sign and two decimals (`+0.62`, `-0.03`). */
export function signedWeight(weight: number): string {
  const rounded = Math.abs(weight) < 0.005 ? 0 : weight;
  return `${rounded < 0 ? '-' : '+'}${Math.abs(rounded).toFixed(2)}`;
}

/** "**refund** +0.62 · order +0.05": the words that pushed the prediction most, the strongest in bold. */
export function whyLine(explanation: Explanation, top = WHY_TOKENS): string | undefined {
  const ranked = [...explanation.tokens].sort((a, b) => b.weight - a.weight).slice(0, top);
  if (!ranked.length) return undefined;
  const words = ranked.map((t, i) => {
    const token = escapeMarkdown(t.token);
    // Bold only a word whose weight shows (+0.00 would bold a word that changed nothing).
    return `${i === 0 && t.weight >= 0.005 ? `**${token}**` : token} ${signedWeight(t.weight)}`;
  });
  return `${escapeMarkdown(vscode.l10n.t('Why:'))} ${words.join(' · ')}`;
}

/** The command link that labels one line of a document as `label` (arguments as textcat.labelLine takes them). */
export function correctionLink(uri: vscode.Uri, line: number, label: string): string {
  return commandLink(label, [uri.toJSON(), line, label], vscode.l10n.t('Add this line to the dataset as {0}', label));
}

/** A markdown link running textcat.labelLine with `args`; `text` and `tooltip` are escaped. */
function commandLink(text: string, args: unknown[], tooltip: string): string {
  // toJSON keeps the Uri marshallable: the link opener revives it, so the command receives a vscode.Uri.
  // encodeURIComponent leaves ( ) ' ! * ~ as they are; parentheses would end the markdown link early.
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(/[()'!*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(text)}](command:${LABEL_LINE_COMMAND}?${encoded} "${escapeMarkdown(tooltip)}")`;
}

/**
 * A multi-label line's hover: the classes over their thresholds (or none), then every class with its
 * probability (an independent sigmoid: they need not add up to 100%), its threshold and whether it is on.
 */
function multiLabelTableLines(
  ranked: readonly Required<RankedClass>[],
  on: readonly string[],
  thresholds: ReadonlyMap<string, number>,
): string[] {
  const onSet = new Set(on);
  const title = on.length ? on.map(escapeMarkdown).join(', ') : `_${escapeMarkdown(vscode.l10n.t('no class over its threshold'))}_`;
  return [
    `**Textcat**: ${title}`,
    '',
    `| ${vscode.l10n.t('Class')} | ${vscode.l10n.t('Probability')} | ${vscode.l10n.t('Threshold')} | ${vscode.l10n.t('On')} |`,
    '| :-- | --: | --: | :-: |',
    ...ranked.map((r) => {
      const threshold = thresholds.get(r.label);
      const shown = threshold === undefined ? '' : escapeMarkdown(percent(threshold, 1));
      return `| ${escapeMarkdown(r.label)} | ${escapeMarkdown(percent(r.p, 1))} | ${shown} | ${onSet.has(r.label) ? '✓' : ''} |`;
    }),
  ];
}

/** The hover's markdown; untrusted, except that links may run textcat.labelLine (see the comment inside). */
export function lineHover(
  ranked: readonly Required<RankedClass>[],
  prediction: Prediction,
  minConfidence: number,
  extra: { explanation?: Explanation; correct?: { uri: vscode.Uri; line: number }; thresholds?: ReadonlyMap<string, number> } = {},
): vscode.MarkdownString {
  const multiLabel = prediction.labels !== undefined;
  const lines = prediction.labels
    ? multiLabelTableLines(ranked, prediction.labels, extra.thresholds ?? new Map())
    : tableLines(ranked, prediction, minConfidence);
  const why = extra.explanation && whyLine(extra.explanation);
  if (why) lines.push('', why);
  const { correct } = extra;
  // The other classes, most likely first: the likeliest correction is the nearest click.
  const others = ranked.filter((c) => c.label !== prediction.label);
  if (correct && multiLabel) {
    // One link to the multi-select (pre-checked with the line's classes): a link per class would replace the
    // line's set of classes by that one class.
    const chooser = commandLink(
      vscode.l10n.t('Label line as…'),
      [correct.uri.toJSON(), correct.line],
      vscode.l10n.t('Choose the classes of this line and add it to the dataset'),
    );
    lines.push('', chooser);
  } else if (correct && others.length) {
    const links = others.map((c) => correctionLink(correct.uri, correct.line, c.label));
    lines.push('', `${escapeMarkdown(vscode.l10n.t('Correct to:'))} ${links.join(' · ')}`);
  }
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  // Labels and words come from a dataset and the user's file, so everything of theirs is escaped above and
  // there is no HTML. The links are ours: trusting only textcat.labelLine means no other command can run
  // from this hover, whatever a label or a line contains, and that command's arguments are the ones we
  // built (this document, this line, one of the model's own classes), encoded as JSON, so data can only
  // ever be a label argument, never a command or extra arguments. (No link at all when `correct` is absent.)
  markdown.isTrusted = correct ? { enabledCommands: [LABEL_LINE_COMMAND] } : false;
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}
