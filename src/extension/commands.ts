// Every command of the extension, registered from one table of name → factory (as rust-analyzer does).
// The names must match "contributes.commands" in package.json.
import * as vscode from 'vscode';
import { classifySelection } from './classifySelection';
import { exportPredictions } from './exportPredictions';
import { labelLine } from './labelLine';
import type { LineLabels } from './lineLabels';
import { reviewUncertain } from './review';
import { MetricsViewProvider } from './metricsView';
import type { Services as CoreServices } from './services';
import { openExample, revealModelFolder } from './training';

interface Services extends CoreServices {
  readonly lineLabels: LineLabels;
}

type CommandFactory = (services: Services) => (...args: unknown[]) => unknown;

const commands: Readonly<Record<string, CommandFactory>> = {
  // Returns whether labels are now shown, so tests (and other commands) can tell the state.
  'textcat.toggleLineLabels': (s) => () => s.lineLabels.toggle(),
  // Resolves with the Prediction (undefined when nothing was classified).
  'textcat.classifySelection': (s) => () => classifySelection(s.lineLabels),
  // Takes an optional target Uri (no save dialog then); resolves with the file written.
  'textcat.exportPredictions': (s) => (target) => exportPredictions(s.lineLabels, target),
  // A webview view contributes "<viewId>.focus", which opens its container and reveals it.
  'textcat.showMetrics': () => () => vscode.commands.executeCommand(`${MetricsViewProvider.viewId}.focus`),
  // Training commands resolve with their result (manifest, evaluation, or undefined) for the tests.
  'textcat.train': (s) => (arg) => s.training.train(arg),
  'textcat.cancelTraining': (s) => () => s.training.cancel(),
  'textcat.evaluate': (s) => (arg) => s.training.evaluate(arg),
  'textcat.openModelFolder': (s) => () => revealModelFolder(s),
  'textcat.openExample': (s) => (arg) => openExample(s, arg),
  // Optional { scope: 'workspace', show: false }; resolves with the lines sorted by uncertainty.
  'textcat.reviewUncertain': (s) => (arg) => reviewUncertain(s, s.lineLabels, arg),
  // (uri?, line?, label?) from hover links, code actions and tests; resolves with the rows written.
  'textcat.labelLine': (s) => (uri, line, label) => labelLine(s, uri, line, label),
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commands).map(([name, factory]) => vscode.commands.registerCommand(name, factory(services)));
}
