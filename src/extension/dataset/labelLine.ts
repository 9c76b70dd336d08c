// "Textcat: Label Line As…": adds the current line (or each selected line) to the model's training dataset with
// a label the user picks, appended in the dataset's own format (core/data/append). The dataset file is read fresh on
// every append, so edits saved since training count; unsaved edits are refused (labelTarget.ts).
import * as vscode from 'vscode';
import { showError, showInfo, showWarning } from '../notify';
import { appendExample, assertAppendable } from '../../core/data/append';
import { reportError } from '../errors';
import { requireModel } from '../model/requireModel';
import { revealLine } from '../revealLine';
import type { Services } from '../services';
import { RecentDatasets } from '../training/datasetPicker';
import { requireTrust } from '../workspace/trust';
import { pickLabel, pickLabels } from './labelPick';
import { datasetOf, refuseUnsaved, targetLines } from './labelTarget';

/** One line added to the dataset: what the command resolves with (tests and the hover links read it). */
export interface LabeledLine {
  /** The labeled document and its 0-based line. */
  readonly source: vscode.Uri;
  readonly sourceLine: number;
  readonly label: string;
  /** A multi-label dataset's row: every label written (possibly none); `label` is them joined by ", ". */
  readonly labels?: readonly string[];
  /** The file written (the dataset, or a new file of a folder dataset) and the 1-based line of the new example. */
  readonly file: string;
  readonly line: number;
}

/**
 * textcat.labelLine. With no arguments it works on the active editor's selection and asks for the label;
 * `(uri, line, label)` — from hover links, code actions and tests — names the line (0-based) and, optionally,
 * the label; for a multi-label dataset, `label` may be a list of labels (possibly empty), and without it a
 * multi-select asks, pre-checked with the classes the model gives the line. Resolves with what was written; undefined when nothing was (no model, refused, cancelled).
 */
export async function labelLine(
  s: Pick<Services, 'context' | 'model' | 'predictor' | 'log'>,
  uriArg?: unknown,
  lineArg?: unknown,
  labelArg?: unknown,
): Promise<LabeledLine[] | undefined> {
  if (!requireTrust(vscode.l10n.t('Label Line As…'))) return undefined;
  const manifest = s.model.manifest;
  const noModel = vscode.l10n.t('Labeling a line adds it to the dataset of a model, and there is no Textcat model yet.');
  if (!manifest || !requireModel(s.predictor, noModel)) return undefined;
  const target = await targetLines(uriArg, lineArg);
  if (!target) return undefined;
  const dataset = datasetOf(manifest, new RecentDatasets(s.context.workspaceState).get());
  assertAppendable(dataset); // a dataset that cannot take a line fails here, through the commands' error path
  if (refuseUnsaved(dataset)) return undefined;
  const given = givenLabels(labelArg, dataset.multiLabel === true);
  if (given === 'invalid') {
    void showError(vscode.l10n.t('A label cannot be empty.'));
    return undefined;
  }
  const written: LabeledLine[] = [];
  for (const [index, line] of target.lines.entries()) {
    const text = target.document.lineAt(line).text;
    const progress = { index, count: target.lines.length };
    const chosen =
      given?.label ??
      (dataset.multiLabel
        ? await pickLabels(s.predictor, dataset, text, line, progress)
        : await pickLabel(s.predictor, dataset, text, line, progress));
    if (chosen === undefined) break; // Escape stops here; what was added so far stays
    // Checked again: the dataset may have been edited while the quick pick was open.
    if (refuseUnsaved(dataset)) break;
    const label = typeof chosen === 'string' ? chosen : chosen.join(', ');
    try {
      const added = await appendExample(dataset, text, chosen);
      s.log.info(`labeled ${target.document.uri.fsPath}:${line + 1} as ${JSON.stringify(chosen)} → ${added.file}:${added.line}`);
      added.notes.forEach((note) => s.log.warn(note));
      const labels = typeof chosen === 'string' ? {} : { labels: chosen };
      written.push({ source: target.document.uri, sourceLine: line, label, ...labels, file: added.file, line: added.line });
      if (added.notes.length) void showWarning(added.notes.join(' '));
    } catch (error) {
      // The lines added so far stay, and are announced; the failure takes the one error path.
      void reportError(s.log, vscode.l10n.t('Label Line As…'), error);
      break;
    }
  }
  if (written.length) announce(written);
  return written.length ? written : undefined;
}

/**
 * The label(s) the arguments give: undefined when none is given (ask), 'invalid' for an empty one. A
 * multi-label dataset takes a list (each label trimmed, blanks dropped, possibly none) or one label as a list of
 * one; a single-label dataset takes one non-empty string (a list is left to appendExample, which refuses it).
 */
function givenLabels(labelArg: unknown, multiLabel: boolean): { label: string | string[] } | undefined | 'invalid' {
  if (labelArg === undefined) return undefined;
  if (Array.isArray(labelArg)) {
    if (!labelArg.every((l) => typeof l === 'string')) return 'invalid';
    return { label: [...new Set(labelArg.map((l: string) => l.trim()).filter(Boolean))] };
  }
  const label = typeof labelArg === 'string' ? labelArg.trim() : '';
  if (!label) return 'invalid';
  return { label: multiLabel ? [label] : label };
}

/** "Added to data.csv:42" with an Open button; not awaited, so the command resolves at once. */
function announce(written: LabeledLine[]): void {
  const first = written[0];
  const where = `${vscode.workspace.asRelativePath(first.file)}:${first.line}`;
  const message =
    written.length === 1 ? vscode.l10n.t('Added to {0}', where) : vscode.l10n.t('Added {0} lines to {1} and after', written.length, where);
  const open = vscode.l10n.t('Open');
  void showInfo(message, open).then(async (answer) => {
    const last = written[written.length - 1];
    if (answer === open) await revealLine(vscode.Uri.file(last.file), last.line);
  });
}
