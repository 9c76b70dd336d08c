// "Lines per Class…": each class of the model with its number of lines in the current file (in the class's
// color), after classifying the lines not known yet; picking one walks to its next line (Go to Next Line of
// Class). The filter's quick pick shows the same counts.
import * as vscode from 'vscode';
import { countByClass } from '../model/documentClasses';
import { requireModel } from '../model/requireModel';
import { showWarning } from '../notify';
import type { Services } from '../services';
import { rulerShows } from './labelDensity';
import { labelColor } from './labelPalette';
import { classifyWholeDocument } from './wholeDocument';

type Deps = Pick<Services, 'settings' | 'predictor' | 'lineClasses'>;

/** The lines of each class in the document, and the lines still unknown. */
export interface ClassCounts {
  readonly counts: { readonly label: string; readonly lines: number }[];
  readonly unknown: number;
}

/** Classifies the rest of the document, then counts. Undefined when there is no model. */
export async function countLines(s: Deps, document: vscode.TextDocument): Promise<ClassCounts | undefined> {
  if (!(await classifyWholeDocument(s, document, vscode.l10n.t('Textcat: classifying the lines of this file…')))) return undefined;
  const labels = s.predictor.labels;
  // What the editor shows counts: dimmed labels too, hidden ones not (as Go to Next Line of Class walks them).
  const shows = rulerShows({ ...s.settings.current.labels, show: 'all' }, labels);
  const { perClass, unknown } = countByClass(s.lineClasses.of(document), labels.length, shows);
  return { counts: labels.map((label, i) => ({ label, lines: perClass[i] })), unknown };
}

/** Quick pick items: each class in its color, with its count. */
export function classItems(counts: ClassCounts, picked: readonly string[] = []): (vscode.QuickPickItem & { label: string })[] {
  return counts.counts.map(({ label, lines }, i) => ({
    label,
    description: lines === 1 ? vscode.l10n.t('1 line') : vscode.l10n.t('{0} lines', lines.toLocaleString()),
    iconPath: new vscode.ThemeIcon('circle-filled', labelColor(i)),
    picked: picked.includes(label),
  }));
}

/** A note for the pick's placeholder when some lines could not be classified (cancelled). */
export function unknownNote(counts: ClassCounts): string {
  return counts.unknown ? vscode.l10n.t('{0} lines not classified yet.', counts.unknown.toLocaleString()) : '';
}

/**
 * textcat.linesPerClass. `arg` { pick: false } resolves with the counts without asking (tests); otherwise the
 * pick's choice walks to the next line of that class. Resolves with the counts.
 */
export async function linesPerClass(s: Deps, arg?: unknown): Promise<ClassCounts | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void showWarning(vscode.l10n.t('Open a file to count the lines of each class.'));
    return undefined;
  }
  if (!requireModel(s.predictor)) return undefined;
  const counts = await countLines(s, editor.document);
  if (!counts || (arg as { pick?: unknown } | undefined)?.pick === false) return counts;
  const picked = await vscode.window.showQuickPick(classItems(counts), {
    title: vscode.l10n.t('Textcat: Lines per Class'),
    placeHolder: [vscode.l10n.t('Pick a class to go to its next line.'), unknownNote(counts)].filter(Boolean).join(' '),
  });
  if (picked) await vscode.commands.executeCommand('textcat.nextLineOfClass', picked.label);
  return counts;
}

/** The classes a filter command was given (a string or a list), if any. */
export function givenLabels(arg: unknown): string[] | undefined {
  if (typeof arg === 'string') return [arg];
  if (Array.isArray(arg) && arg.every((a) => typeof a === 'string')) return arg;
  return undefined;
}

/** The filter's quick pick: the classes to show or hide, each with its lines in this file (`picked` checked). */
export async function pickClasses(
  s: Deps,
  document: vscode.TextDocument,
  mode: 'only' | 'hide',
  picked: readonly string[],
): Promise<string[] | undefined> {
  const counts = await countLines(s, document);
  if (!counts) return undefined;
  const chosen = await vscode.window.showQuickPick(classItems(counts, picked), {
    canPickMany: true,
    title: mode === 'only' ? vscode.l10n.t('Textcat: Show Only Lines of Class') : vscode.l10n.t('Textcat: Hide Lines of Class'),
    placeHolder: [vscode.l10n.t('Which classes?'), unknownNote(counts)].filter(Boolean).join(' '),
  });
  return chosen?.map((p) => p.label);
}
