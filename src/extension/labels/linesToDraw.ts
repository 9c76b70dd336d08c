// What one render draws: for each visible line (blank ones included), its label from the Predictor's cache as
// the settings show it, or nothing (not known yet, blank, hidden for low confidence, or left out by
// textcat.labels.show).
import type * as vscode from 'vscode';
import type { Prediction } from '../../protocol/types';
import type { Predictor } from '../model/predictor';
import type { Settings } from '../model/settings';
import type { LineLabel } from '../services';
import { classesOf } from '../model/predictionClasses';
import { drawsLabel } from './labelDensity';
import { labelText } from './labelFormat';
import { fitChips, labelColumns, startColumnWidth, startLabelText } from './labelLayout';
import { visibleLines } from './visibleLines';

export interface LinesToDraw {
  drawn: (LineLabel & { range: vscode.Range })[];
  unlabeled: vscode.Range[];
  /** The lines whose class is known, for LineClasses. */
  known: { line: number; prediction: Prediction }[];
  /** Some non-blank line has no prediction in the cache yet. */
  missing: boolean;
}

export function linesToDraw(editor: vscode.TextEditor, predictor: Predictor, options: Settings['labels']): LinesToDraw {
  const columns = labelColumns(predictor.labels);
  // Chips show no percentage (the hover has every probability), so they may use the whole start column.
  const chipColumns = startColumnWidth(predictor.labels, options.showConfidence);
  const result: LinesToDraw = { drawn: [], unlabeled: [], known: [], missing: false };
  const activeLines = new Set(editor.selections.map((s) => s.active.line));
  for (const { line, text, range } of visibleLines(editor, { blank: true })) {
    const prediction = text.trim() ? predictor.cached(text, true) : undefined;
    if (prediction) result.known.push({ line, prediction });
    else if (text.trim()) result.missing = true;
    if (prediction?.labels) {
      // Multi-label: a class applies when its probability reaches its own threshold, tuned on validation, so
      // textcat.labels.minConfidence (a floor on the single most likely class) neither dims nor hides chips.
      const chips = fitChips(prediction.labels, options.position === 'start' ? chipColumns : Number.MAX_SAFE_INTEGER);
      const { label, confidence, labels } = prediction;
      result.drawn.push({ line, range, label, confidence, dimmed: false, text: chips.map((c) => c.text).join(' '), labels, chips });
      continue;
    }
    const dimmed = prediction !== undefined && prediction.confidence < options.minConfidence;
    // "uncertain" asks for exactly the dimmed labels: they show even where lowConfidence would hide them.
    const hiddenAsLow = dimmed && options.lowConfidence === 'hide' && options.show !== 'uncertain';
    if (!prediction || hiddenAsLow || !drawsLabel(options, classesOf(prediction), prediction.confidence, activeLines.has(line))) {
      result.unlabeled.push(range);
      continue;
    }
    const { label, confidence } = prediction;
    const shownText =
      options.position === 'start'
        ? startLabelText(label, options.showConfidence ? confidence : undefined, columns)
        : labelText(prediction, options.showConfidence);
    result.drawn.push({ line, range, label, confidence, dimmed, text: shownText });
  }
  return result;
}
