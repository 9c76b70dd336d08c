// The colors of inline labels: eight theme colors contributed in package.json ("contributes.colors",
// textcat.label1 … textcat.label8, with light, dark and high-contrast defaults) and one for labels under
// textcat.labels.minConfidence. A model's labels take them in order; a ninth label starts over.
import * as vscode from 'vscode';

export const PALETTE_SIZE = 8;

/** The contributed color id of the label at `index` in the model's label list. */
export function labelColorId(index: number): string {
  return `textcat.label${(index % PALETTE_SIZE) + 1}`;
}

export function labelColor(index: number): vscode.ThemeColor {
  return new vscode.ThemeColor(labelColorId(index));
}

export const LOW_CONFIDENCE_COLOR_ID = 'textcat.lowConfidenceLabel';
