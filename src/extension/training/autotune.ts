// "Textcat: Train with Autotune…": a dataset (picked as for Train, or the Explorer's), a budget, then the search in
// the worker (core/autotune/autotune.ts) behind a cancellable progress notification, each trial in the sidebar's Autotune
// section as it ends, and the chosen model saved to the model folder as a training saves one.
// Cancel stops the search and saves nothing, whatever trials had finished: the notification's Cancel means "leave
// my model as it was", as Train's does, and the trials that ran stay in the sidebar to be read (fastText keeps the
// best so far on an interrupt; here a shorter budget does that on purpose).
import * as vscode from 'vscode';
import { CancelledError } from '../../core/types';
import type { AutotuneRecord, ModelSummary } from '../../protocol/types';
import type { AutotuneView } from '../../protocol/webview';
import type { AutotuneEvent } from '../../protocol/worker';
import { showError, showInfo, withNotificationProgress } from '../notify';
import type { Services } from '../services';
import { requireTrust } from '../workspace/trust';
import { pickBudget } from './autotuneBudget';
import { applyEvent, bareScore, bestScore, budgetSeconds, budgetText, clock, endView, finishView, startView } from './autotuneLive';
import { datasetRequest, datasetToRead } from './datasetArgument';
import { RecentDatasets } from './datasetPicker';
import { withResolvedPaths } from './trainingRun';

type Deps = Pick<Services, 'context' | 'settings' | 'model' | 'worker' | 'log' | 'training' | 'metricsView'>;

interface AutotuneArgument {
  dataset?: unknown;
  /** A duration ("90s", "5m") or seconds; absent: the quick pick asks. */
  budget?: unknown;
}

/** The sidebar is told about progress at most this often (trial ends are told at once). */
const SIDEBAR_PROGRESS_MS = 1000;

/** textcat.trainWithAutotune: resolves with the saved model and its search, or undefined when nothing was saved. */
export async function trainWithAutotune(s: Deps, arg?: unknown): Promise<{ manifest: ModelSummary; record: AutotuneRecord } | undefined> {
  if (!requireTrust(vscode.l10n.t('Training with autotune'))) return undefined;
  const dir = s.model.checkedModelDir(); // a model folder the workspace chose stays inside it
  if (dir === undefined) {
    void showError(vscode.l10n.t('Open a folder first: Textcat keeps the model in the workspace (setting textcat.modelPath).'));
    return undefined;
  }
  if (s.model.searching !== undefined || s.training.isTraining) {
    const searching = s.model.searching;
    void showInfo(vscode.l10n.t('Textcat is already training{0}: wait for it, or cancel it first.', searching ? ` (${searching})` : ''));
    return undefined;
  }
  const given = (arg instanceof vscode.Uri || typeof arg === 'string' ? { dataset: arg } : (arg ?? {})) as AutotuneArgument;
  const uri = await datasetToRead(s, given.dataset, vscode.l10n.t('Textcat: Train with Autotune'));
  if (!uri) return undefined;
  const name = vscode.workspace.asRelativePath(uri);
  const budget = given.budget === undefined ? await pickBudget(name) : budgetSeconds(given.budget);
  if (budget === undefined) {
    if (given.budget !== undefined) void showError(vscode.l10n.t('Type a duration such as 90s, 5m or 1h.'));
    return undefined;
  }
  await new RecentDatasets(s.context.workspaceState).add(uri);
  // The training service runs it as the one job writing the model folder (refused if one started while the picks
  // were open), and Cancel Training stops it.
  return s.training.runSearch(name, (run) => search(s, uri, name, dir, budget, run));
}

async function search(s: Deps, uri: vscode.Uri, name: string, modelDir: string, budget: number, run: { cancel?: () => void }) {
  const { training, fromWorkspace, dataset: columns } = s.settings.current;
  // The options the user set are the search's starting point, and stay as they are (as on the command line).
  const options = withResolvedPaths({ columns, options: training, userVectors: !fromWorkspace.pretrainedVectors }, uri);
  const fixed = Object.keys(training);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let view: AutotuneView = startView(name, budget, {});
  let toldSidebar = 0;
  const show = (next: AutotuneView, urgent: boolean) => {
    view = next;
    if (!urgent && performance.now() - toldSidebar < SIDEBAR_PROGRESS_MS) return;
    toldSidebar = performance.now();
    s.metricsView.showAutotune(view);
  };
  s.log.info(`autotune on ${uri.fsPath} into ${modelDir} for ${budget} s; options held fixed: ${fixed.join(', ') || 'none'}`);
  show(view, true);
  await vscode.commands.executeCommand('textcat.showMetrics');
  const { value, unit } = budgetText(budget);
  const title =
    unit === 'min'
      ? vscode.l10n.t('Textcat: autotune on {0} ({1} min)', name, value)
      : vscode.l10n.t('Textcat: autotune on {0} ({1} s)', name, value);
  try {
    const result = await withNotificationProgress({ title, cancellable: true }, async (bar, token) => {
      let shown = 0;
      const onEvent = (event: AutotuneEvent) => {
        logEvent(s.log, event);
        show(applyEvent(view, event, elapsed()), event.kind !== 'progress');
        const done = Math.min(99, (100 * elapsed()) / budget);
        bar.report({ message: progressMessage(view), increment: Math.max(0, done - shown) });
        shown = Math.max(shown, done);
      };
      const handle = s.worker.autotune({ dataset: datasetRequest(uri, columns), modelDir, options, fixed, budgetSeconds: budget }, onEvent);
      run.cancel = () => {
        s.log.info(`autotune cancel requested on ${uri.fsPath}`);
        handle.cancel();
      };
      const listener = token.onCancellationRequested(run.cancel);
      try {
        return await handle.done;
      } finally {
        listener.dispose();
      }
    });
    s.log.info(`autotune done in ${elapsed().toFixed(1)} s: ${result.record.why}`);
    await s.model.reload();
    show(finishView(view, result.record, result.manifest.runId), true);
    announce(result.record, name);
    return result;
  } catch (error) {
    show(endView(view, error instanceof CancelledError ? 'cancelled' : 'failed'), true);
    if (!(error instanceof CancelledError)) throw error;
    s.log.info(`autotune cancelled after ${elapsed().toFixed(1)} s and ${view.trials.length} trials; the model folder is unchanged`);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Textcat autotune cancelled; the previous model is unchanged.'), 5_000);
    return undefined;
  }
}

/** "trial 4 · 1:10 left · best macro-F1 .842", or the step after the search. */
function progressMessage(view: AutotuneView): string {
  if (view.finalStep === 'retrain') return vscode.l10n.t('training the chosen options on every row…');
  if (view.finalStep === 'baseline') return vscode.l10n.t('checking the n-gram path alone against the model…');
  const left = clock(view.secondsLeft ?? view.budgetSeconds);
  const best = bestScore(view);
  const trial = view.running?.index ?? view.trials.length;
  if (view.stopped) return vscode.l10n.t('saving the best model…');
  if (trial === 0) return vscode.l10n.t('reading the dataset…');
  return best === undefined
    ? vscode.l10n.t('trial {0} · {1} left', trial, left)
    : vscode.l10n.t('trial {0} · {1} left · best macro-F1 {2}', trial, left, bareScore(best));
}

function logEvent(log: vscode.LogOutputChannel, event: AutotuneEvent): void {
  switch (event.kind) {
    case 'started':
      return log.info(
        `autotune: ${event.rows} rows, ${event.classes} classes; each trial scored by ${event.folds > 1 ? `${event.folds}-fold cross-validation` : 'the validation split'}`,
      );
    case 'trialEnded': {
      const t = event.trial;
      const changes =
        Object.entries(t.changes)
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(', ') || 'starting options';
      return log.info(
        `trial ${t.index}: macro-F1 ${t.validationMacroF1.toFixed(3)} in ${t.seconds.toFixed(1)} s (${changes})${event.best === t.index ? ', best so far' : ''}`,
      );
    }
    case 'stopped':
      return log.info(`autotune stopped: ${event.why}`);
    case 'finalStep':
      return log.info(
        event.step === 'retrain'
          ? 'training the chosen options on every row'
          : 'scoring the n-gram path alone (the baseline scored higher)',
      );
    case 'trialStarted':
    case 'progress':
      return;
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** The end in a sentence: which trial won, by how much, and whether the baseline took its place. */
function announce(record: AutotuneRecord, name: string): void {
  const chosen = record.trials.find((t) => t.index === record.chosen);
  const first = record.trials[0];
  if (!chosen || !first) return;
  let message =
    record.chosen === 1
      ? vscode.l10n.t(
          'Textcat autotune on {0}: {1} trials; the starting options scored best (validation macro-F1 {2}) and were kept.',
          name,
          record.trials.length,
          chosen.validationMacroF1.toFixed(3),
        )
      : vscode.l10n.t(
          'Textcat autotune on {0}: trial {1} of {2} scored best (validation macro-F1 {3} against {4} for the starting options).',
          name,
          record.chosen,
          record.trials.length,
          chosen.validationMacroF1.toFixed(3),
          first.validationMacroF1.toFixed(3),
        );
  if (record.ngramOnly)
    message += ' ' + vscode.l10n.t('Its linear baseline scored higher still, so the saved model is the n-gram path alone.');
  const showMetrics = vscode.l10n.t('Show Metrics');
  void showInfo(message, showMetrics).then((answer) =>
    answer === showMetrics ? vscode.commands.executeCommand('textcat.showMetrics') : undefined,
  );
}
