// Every command of the extension, registered from one table of name → factory (as rust-analyzer does).
// The names must match "contributes.commands" in package.json.
import * as vscode from 'vscode';
import type { LineLabels } from './lineLabels';
import { MetricsViewProvider } from './metricsView';
import type { Services as CoreServices } from './services';

interface Services extends CoreServices {
  readonly lineLabels: LineLabels;
}

type CommandFactory = (services: Services) => (...args: unknown[]) => unknown;

const commands: Readonly<Record<string, CommandFactory>> = {
  // Returns whether labels are now shown, so tests (and other commands) can tell the state.
  'textcat.toggleLineLabels': (s) => () => s.lineLabels.toggle(),
  // A webview view contributes "<viewId>.focus", which opens its container and reveals it.
  'textcat.showMetrics': () => () => vscode.commands.executeCommand(`${MetricsViewProvider.viewId}.focus`),
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commands).map(([name, factory]) => vscode.commands.registerCommand(name, factory(services)));
}
