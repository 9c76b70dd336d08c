// The hover on a labeled line: every class with its probability (and a multi-label model's thresholds), why the model chose its class (occlusion
// weights, asked of the worker on demand and cached), and links that correct the label.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/format/errorText';
import type { Explanation, Prediction } from '../../protocol/types';
import type { Services } from '../services';
import { lineHover } from './labelFormat';

type Deps = Pick<Services, 'settings' | 'predictor' | 'lineLabels' | 'log'>;

export function registerLabelHover(s: Deps): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], {
    provideHover: (document, position, token) => hover(s, document, position, token),
  });
}

async function hover(
  s: Deps,
  document: vscode.TextDocument,
  position: vscode.Position,
  token: vscode.CancellationToken,
): Promise<vscode.Hover | undefined> {
  // Only on a line that shows a label: the hover explains and corrects what the user sees.
  const labeled = vscode.window.visibleTextEditors.some(
    (e) => e.document === document && s.lineLabels.shownLabels(e).some((l) => l.line === position.line),
  );
  const line = document.lineAt(position.line);
  const prediction = labeled ? s.predictor.cached(line.text) : undefined;
  if (!prediction) return undefined;
  const ranked = s.predictor.ranked(prediction);
  const { minConfidence, explain } = s.settings.current.labels;
  const explanation = explain ? await explanationOf(s, line.text, prediction, token) : undefined;
  if (token.isCancellationRequested || s.predictor.cached(line.text) !== prediction) return undefined; // moved on, or a new model
  return new vscode.Hover(
    lineHover(ranked, prediction, minConfidence, {
      explanation,
      correct: { uri: document.uri, line: position.line },
      thresholds: thresholdsOf(s),
    }),
    line.range,
  );
}

/** Why the model chose the prediction's class, or undefined (the probabilities are still worth showing). */
async function explanationOf(
  s: Deps,
  text: string,
  prediction: Prediction,
  token: vscode.CancellationToken,
): Promise<Explanation | undefined> {
  try {
    const explanation = (await s.predictor.explain([text], token))?.[0];
    // The explanation is of the same text and model, so its class is the prediction's; a mismatch (a tie
    // broken differently) would make "why" misleading.
    return explanation?.label === prediction.label ? explanation : undefined;
  } catch (error) {
    if (!token.isCancellationRequested) s.log.warn(`hover explanation: ${errorMessage(error)}`);
    return undefined;
  }
}

/** A multi-label model's threshold of each class, by class; empty for a single-label model. */
function thresholdsOf(s: Deps): ReadonlyMap<string, number> {
  const thresholds = s.predictor.thresholds;
  return new Map(thresholds ? s.predictor.labels.map((label, i) => [label, thresholds[i]]) : []);
}
