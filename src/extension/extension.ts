// Entry point of the Textcat extension. It wires the parts together and owns nothing itself:
// every disposable goes into context.subscriptions so deactivate has nothing left to do.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LabelLineActions } from './labelLineActions';
import { LineLabels } from './lineLabels';
import { MetricsViewProvider } from './metricsView';
import { ModelState } from './modelState';
import type { Services } from './services';
import { SettingsStore } from './settings';
import { ModelStatusBar } from './statusBar';
import { TrainingRunner } from './training';
import { createWorkerClient } from './workerHost';

export function activate(
  context: vscode.ExtensionContext,
): Services & { readonly metricsView: MetricsViewProvider; readonly lineLabels: LineLabels } {
  const settings = new SettingsStore();
  const log = vscode.window.createOutputChannel('Textcat', { log: true });
  const core = { context, settings, log, model: new ModelState(settings), worker: createWorkerClient(context.extensionUri) };
  const services: Services = { ...core, training: new TrainingRunner(core), statusBar: new ModelStatusBar(core.model) };
  const lineLabels = new LineLabels(services);
  const metricsView = new MetricsViewProvider(core);
  context.subscriptions.push(
    settings,
    log,
    services.model,
    services.worker,
    services.training,
    services.statusBar,
    lineLabels,
    metricsView,
    vscode.window.registerWebviewViewProvider(MetricsViewProvider.viewId, metricsView),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new LabelLineActions(lineLabels), LabelLineActions.metadata),
    ...registerCommands({ ...services, lineLabels }),
  );
  // Returned so the extension-host tests can reach the live parts (extension.exports).
  return { ...services, metricsView, lineLabels };
}

export function deactivate(): void {}
