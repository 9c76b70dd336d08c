// Entry point of the Textcat extension. It wires the parts together and owns nothing itself: every disposable
// goes into context.subscriptions, so deactivate has nothing left to do. The Services it builds are also its
// API (extension.exports), which the e2e suite reads.
//
// Activation (package.json): when the default model folder exists, at startup; otherwise once startup has
// finished (onStartupFinished), since an activation event cannot read textcat.modelPath and a custom one may be
// anywhere. So activation must stay light: nothing here reads a file or starts the worker (the first prediction
// does), and the Explorer's dataset scan waits a few seconds. The log says how long it took.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerLabelLineActions } from './dataset/labelLineActions';
import { registerLabelHover } from './labels/labelHover';
import { LineFilter } from './labels/lineFilter';
import { LineLabels } from './labels/lineLabels';
import { announceRetrainChanges } from './labels/retrainHighlights';
import { MetricsViewProvider } from './metrics/metricsView';
import { ModelStatusBar } from './metrics/statusBar';
import { ContextKeys } from './model/contextKeys';
import { LineClasses } from './model/lineClasses';
import { ModelState } from './model/modelState';
import { Predictor } from './model/predictor';
import { SettingsStore } from './model/settings';
import { createWorkerClient } from './model/workerHost';
import { readModelSummaryOffThread } from '../worker/manifestClient';
import type { Services } from './services';
import { DatasetContext } from './training/datasetContext';
import { TrainingRunner } from './training/trainingRunner';

export function activate(context: vscode.ExtensionContext): Services {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Textcat', { log: true });
  const settings = new SettingsStore();
  const readerScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'manifest-reader.js').fsPath;
  const model = new ModelState(settings, (dir, signal) => readModelSummaryOffThread(readerScript, dir, signal), log);
  const { worker, trustListener } = createWorkerClient(context.extensionUri);
  const predictor = new Predictor(settings, model, worker, log);
  const lineClasses = new LineClasses(predictor);
  const base = { context, log, settings, model, worker, predictor, lineClasses };
  const lineLabels = new LineLabels(base);
  const training = new TrainingRunner({ ...base, lineLabels });
  const metricsView = new MetricsViewProvider(base);
  const statusBar = new ModelStatusBar(model, context.workspaceState);
  const lineFilter = new LineFilter(base);
  const s: Services = { ...base, lineLabels, lineFilter, training, metricsView, statusBar };
  context.subscriptions.push(
    log,
    settings,
    model,
    { dispose: () => void worker.dispose() },
    trustListener,
    predictor,
    lineClasses,
    lineLabels,
    lineFilter,
    training,
    metricsView,
    statusBar,
    new ContextKeys(model),
    new DatasetContext(log),
    lineLabels.onDidChangeAfterRetrain((changed) => announceRetrainChanges(log, changed)),
    registerLabelHover(s),
    registerLabelLineActions(s),
    vscode.window.registerWebviewViewProvider(MetricsViewProvider.viewId, metricsView),
    ...registerCommands(s),
  );
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return s;
}

export function deactivate(): void {}
