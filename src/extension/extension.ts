// Entry point of the Textcat extension. It wires the parts together and owns nothing itself:
// every disposable goes into context.subscriptions so deactivate has nothing left to do.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LineLabels } from './lineLabels';
import { MetricsViewProvider } from './metricsView';

export function activate(context: vscode.ExtensionContext): void {
  const lineLabels = new LineLabels();
  context.subscriptions.push(
    lineLabels,
    vscode.window.registerWebviewViewProvider(MetricsViewProvider.viewId, new MetricsViewProvider(context.extensionUri)),
    ...registerCommands({ lineLabels }),
  );
}

export function deactivate(): void {}
