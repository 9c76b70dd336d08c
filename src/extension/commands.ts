// Every command of the extension, registered from one table of name → factory (as rust-analyzer does), each
// through the one error path: a failure is reported (errors.ts) and the command resolves with undefined, so
// VS Code never answers with its generic "command failed". The names match "contributes.commands", whose
// when-clauses (menus.commandPalette) say when the palette offers each.
import * as vscode from 'vscode';
import { findLabelErrors, relabelRowCommand } from './dataset/labelErrors';
import { labelLine } from './dataset/labelLine';
import { reviewUncertain } from './dataset/review';
import { reportError } from './errors';
import { goToLineOfClass } from './labels/classNavigation';
import { linesPerClass } from './labels/linesPerClass';
import { MetricsViewProvider } from './metrics/metricsView';
import { exportModel } from './model/exportModel';
import { revealModelFolder } from './model/modelFolder';
import { classifySelection } from './predictions/classifySelection';
import { exportPredictions } from './predictions/exportPredictions';
import type { Services } from './services';
import { openExample } from './training/bundledExamples';
import { trainWithAutotune } from './training/autotune';
import { evaluate } from './training/evaluate';
import { learningCurveCommand } from './training/learningCurve';

type CommandFactory = (s: Services) => (...args: unknown[]) => unknown;

const commands: Readonly<Record<string, CommandFactory>> = {
  // Training commands resolve with their result (manifest, evaluation, or undefined) for the tests.
  'textcat.train': (s) => (arg) => s.training.train(arg),
  // The last run's dataset and options, trained afresh (a plain retrain continues the current model's weights).
  'textcat.retrainFromScratch': (s) => () => s.training.train({ retrain: true, warmStart: false }),
  // Optional dataset Uri/path or { dataset, budget: '90s' | seconds }; resolves with { manifest, record } when saved.
  'textcat.trainWithAutotune': (s) => (arg) => trainWithAutotune(s, arg),
  // Stops a Train with Autotune search too (it has no other Cancel than its notification's).
  'textcat.cancelTraining': (s) => () => s.training.cancel(),
  'textcat.evaluate': (s) => (arg) => evaluate(s, arg),
  'textcat.openExample': (s) => (arg) => openExample(s, arg),
  'textcat.openModelFolder': (s) => () => revealModelFolder(s),
  // Optional target Uri of the .onnx (no save dialog then); resolves with what the worker wrote.
  'textcat.exportModel': (s) => (target) => exportModel(s, target),
  // Returns whether labels are now shown, so tests (and other commands) can tell the state.
  'textcat.toggleLineLabels': (s) => () => s.lineLabels.toggle(),
  // Resolves with the Prediction (undefined when nothing was classified).
  'textcat.classifySelection': (s) => () => classifySelection(s),
  // Takes an optional target Uri (no save dialog then); resolves with the file written.
  'textcat.exportPredictions': (s) => (target) => exportPredictions(s, target),
  // (uri?, line?, label?) from hover links, code actions and tests; resolves with the rows written.
  'textcat.labelLine': (s) => (uri, line, label) => labelLine(s, uri, line, label),
  // Optional { scope: 'workspace', show: false }; resolves with the lines sorted by uncertainty.
  'textcat.reviewUncertain': (s) => (arg) => reviewUncertain(s, arg),
  // Optional dataset Uri/path or { dataset, folds, show: false }; resolves with the findings.
  'textcat.findLabelErrors': (s) => (arg) => findLabelErrors(s, arg),
  // (dataset, row, label) as findLabelErrors returns them; resolves with whether the row was relabeled.
  'textcat.relabelRow': (s) => (dataset, row, label) => relabelRowCommand(s, dataset, row, label),
  // Optional dataset Uri/path or { dataset, shares }; resolves with the curve.
  'textcat.learningCurve': (s) => (arg) => learningCurveCommand(s, arg),
  // Optional class (a string or { label }); resolves with the 0-based line the cursor moved to.
  'textcat.nextLineOfClass': (s) => (arg) => goToLineOfClass(s, 1, arg),
  'textcat.previousLineOfClass': (s) => (arg) => goToLineOfClass(s, -1, arg),
  // Optional classes (a string or a list; else a quick pick asks); resolves with the filter now on.
  'textcat.showOnlyLinesOfClass': (s) => (arg) => s.lineFilter.filter('only', arg),
  'textcat.hideLinesOfClass': (s) => (arg) => s.lineFilter.filter('hide', arg),
  // Resolves with whether a filter was on.
  'textcat.showAllLines': (s) => () => s.lineFilter.showAll(),
  // Optional { pick: false } (no quick pick); resolves with each class's number of lines in the file.
  'textcat.linesPerClass': (s) => (arg) => linesPerClass(s, arg),
  // A webview view contributes "<viewId>.focus", which opens its container and reveals it.
  'textcat.showMetrics': () => () => vscode.commands.executeCommand(`${MetricsViewProvider.viewId}.focus`),
};

export function registerCommands(s: Services): vscode.Disposable[] {
  const titles = commandTitles(s.context);
  return Object.entries(commands).map(([name, factory]) => {
    const run = factory(s);
    return vscode.commands.registerCommand(name, async (...args: unknown[]) => {
      s.statusBar.noteUse();
      try {
        return await run(...args);
      } catch (error) {
        void reportError(s.log, titles.get(name) ?? name, error);
        return undefined;
      }
    });
  });
}

/** Each command's title as the palette shows it (package.json, localized), to name it in an error message. */
function commandTitles(context: vscode.ExtensionContext): Map<string, string> {
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes;
  return new Map((contributed?.commands ?? []).map((c) => [c.command, c.title]));
}
