// The filter's folds made in the editor, the part in view first: VS Code takes a few milliseconds a fold
// (docs/performance.md), so the screen shows the filter at once and the rest follows in the background, one
// command at a time, until it is done or cancelled.
import * as vscode from 'vscode';
import { addFolds, removeFolds } from './editorFolds';
import type { Fold } from './filterFolds';
import { visibleFirst } from './foldPlan';

export interface FoldingSteps {
  /** Folds of an earlier filter are in the file: removed first. */
  readonly removeFirst: boolean;
  /** Asked before each command: true stops the folding there. */
  readonly cancelled: () => boolean;
  /** After each command, with the folds made so far. */
  readonly onProgress: (done: number) => void;
  /** Once the part in view is folded. */
  readonly inView: () => void;
  readonly log: (message: string) => void;
}

/** Resolves with whether every fold was made (false when cancelled); rejects when VS Code refuses. */
export async function foldVisibleFirst(editor: vscode.TextEditor, folds: readonly Fold[], steps: FoldingSteps): Promise<boolean> {
  const started = performance.now();
  const plan = visibleFirst(folds, editor.visibleRanges[0]?.start.line ?? 0, screenLines(editor));
  const made = new Map<number, Fold>();
  const progress = (part: readonly Fold[], offset: number) => ({
    onBatch: (done: number) => {
      for (let i = made.size - offset; i < done; i++) made.set(part[i].start, part[i]);
      steps.onProgress(offset + done);
    },
    cancelled: steps.cancelled,
    anchor: () => foldInView(editor, made),
  });
  if (steps.removeFirst) await removeFolds(editor);
  if (!(await addFolds(editor, plan.screen, progress(plan.screen, 0)))) return false;
  steps.log(`${plan.screen.length} folds in view, ${plan.rest.length} to follow`);
  steps.inView();
  if (!(await addFolds(editor, plan.rest, progress(plan.rest, plan.screen.length)))) return false;
  steps.log(`every fold made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** How many lines the editor shows at a time (its visible ranges skip folded lines). */
function screenLines(editor: vscode.TextEditor): number {
  const shown = editor.visibleRanges.reduce((n, r) => n + r.end.line - r.start.line + 1, 0);
  return Math.max(50, shown);
}

/** A fold of `made` whose first line is in view and which is still folded (the line under it is not in view). */
function foldInView(editor: vscode.TextEditor, made: ReadonlyMap<number, Fold>): Fold | undefined {
  const shown = new Set(
    editor.visibleRanges.flatMap((r) => Array.from({ length: r.end.line - r.start.line + 1 }, (_, i) => r.start.line + i)),
  );
  for (const line of shown) {
    const fold = made.get(line);
    if (fold && !shown.has(line + 1)) return fold;
  }
  return undefined;
}
