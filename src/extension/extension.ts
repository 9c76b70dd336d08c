// Entry point of the Textcat extension. It wires the parts together and owns nothing itself:
// every disposable goes into context.subscriptions so deactivate has nothing left to do.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LineLabels } from './lineLabels';
import { MetricsViewProvider } from './metricsView';
import { ModelState } from './modelState';
import type { Services } from './services';
import { SettingsStore } from './settings';
import { createWorkerClient } from './workerHost';

export function activate(context: vscode.ExtensionContext): Services {
  const settings = new SettingsStore();
  const log = vscode.window.createOutputChannel('Textcat', { log: true });
  const services: Services = { context, settings, log, model: new ModelState(settings), worker: createWorkerClient(context.extensionUri) };
  const lineLabels = new LineLabels();
  context.subscriptions.push(
    settings,
    log,
    services.model,
    services.worker,
    lineLabels,
    vscode.window.registerWebviewViewProvider(MetricsViewProvider.viewId, new MetricsViewProvider(context.extensionUri)),
    ...registerCommands({ ...services, lineLabels }),
  );
  // Returned so the extension-host tests can reach the live parts (extension.exports).
  return services;
}

export function deactivate(): void {}
