// Training from the editor: which dataset (the command's argument, the walkthrough's example, the last run's, or
// the picker), one run at a time (a second asks whether to cancel the first or wait for it), and what the user
// is told at the end. A failure goes up to the commands' one error path.
import * as vscode from 'vscode';
import { showError, showInfo, showWarning } from '../notify';
import { CancelledError } from '../../core/types';
import { percent } from '../../core/format/percent';
import type { ModelSummary } from '../../protocol/types';
import type { Services, TrainingService } from '../services';
import { asksForWarmStart, asksToRetrain, resolveDatasetArgument } from './datasetArgument';
import { pickDataset, RecentDatasets } from './datasetPicker';
import { TrainingRun, type RunSettings } from './trainingRun';
import { announceRetrain } from './warmStartNotice';
import { confineDatasetToRead, confineManifestPath, examplesFolder, manifestDatasetPath } from '../workspace/confine';
import { requireTrust } from '../workspace/trust';

type Deps = Pick<Services, 'context' | 'settings' | 'model' | 'worker' | 'log' | 'lineLabels'>;

export class TrainingRunner implements TrainingService, vscode.Disposable {
  private readonly recent: RecentDatasets;
  private current: { run: TrainingRun; finished: Promise<void> } | undefined;
  /** A search running (Train with Autotune…), and how to stop it once it can be. */
  private search: { name: string; cancel?: () => void } | undefined;

  constructor(private readonly s: Deps) {
    this.recent = new RecentDatasets(s.context.workspaceState);
  }

  get isTraining(): boolean {
    return this.current !== undefined;
  }

  async train(arg?: unknown): Promise<ModelSummary | undefined> {
    if (!requireTrust(vscode.l10n.t('Training'))) return undefined;
    const dir = this.s.model.checkedModelDir(); // a model folder the workspace chose stays inside it
    const modelDir = dir === undefined ? undefined : vscode.Uri.file(dir);
    if (!modelDir) {
      void showError(vscode.l10n.t('Open a folder first: Textcat keeps the model in the workspace (setting textcat.modelPath).'));
      return undefined;
    }
    if (this.refusedForAutotune()) return undefined;
    const picked = await this.pickDataset(arg);
    if (!picked) return undefined;
    if (this.current && !(await this.makeRoom())) return undefined;
    if (this.refusedForAutotune()) return undefined; // a search started while the pick was open
    await this.recent.add(picked.uri);
    const run = new TrainingRun(this.s, picked.uri, modelDir, picked.settings);
    let finish!: () => void;
    this.current = { run, finished: new Promise<void>((resolve) => (finish = resolve)) };
    try {
      return await this.runToEnd(run);
    } finally {
      this.current = undefined;
      this.s.model.setTraining({ kind: 'idle' });
      finish();
    }
  }

  async runSearch<T>(name: string, job: (search: { cancel?: () => void }) => Promise<T>): Promise<T | undefined> {
    if (this.search || this.current) {
      const what = this.search?.name ?? vscode.workspace.asRelativePath(this.current!.run.dataset);
      void showInfo(vscode.l10n.t('Textcat is already training{0}: wait for it, or cancel it first.', ` (${what})`));
      return undefined;
    }
    const search: { name: string; cancel?: () => void } = { name };
    this.search = search;
    this.s.model.setSearching(name);
    try {
      return await job(search);
    } finally {
      this.search = undefined;
      this.s.model.setSearching(undefined);
    }
  }

  cancel(): boolean {
    if (this.search?.cancel) {
      this.search.cancel();
      return true;
    }
    if (!this.current) {
      void showInfo(vscode.l10n.t('No Textcat training is running.'));
      return false;
    }
    this.current.run.cancel();
    return true;
  }

  /**
   * The dataset and what to train it with: "Retrain on the same dataset" repeats the last run's options and
   * columns, continuing its weights (a warm start) unless asked to retrain from scratch. A dataset the workspace names (a file of it, the manifest's path) must lie in it (or be a bundled
   * example); one the user chose in the open dialog is theirs.
   */
  private async pickDataset(arg: unknown): Promise<{ uri: vscode.Uri; settings: RunSettings } | undefined> {
    const last = this.s.model.manifest;
    const { dataset, training, fromWorkspace } = this.s.settings.current;
    const now: RunSettings = { columns: dataset, options: training, userVectors: !fromWorkspace.pretrainedVectors };
    // The manifest's options are the workspace's: its vectors file is confined like any path it names.
    const repeat = (m: ModelSummary, warmStart = true): RunSettings => ({
      // A multi-label model's separator too: one given on the command line would otherwise be guessed back to "|".
      columns: {
        textColumn: m.dataset.columns.text,
        labelColumn: m.dataset.columns.label,
        ...(m.dataset.labelSeparator ? { labelSeparator: m.dataset.labelSeparator } : {}),
      },
      options: m.options,
      userVectors: false,
      warmStart,
    });
    const confined = (uri: vscode.Uri) => vscode.Uri.file(confineDatasetToRead(uri.fsPath, this.s.context.extensionUri));
    const given = resolveDatasetArgument(arg, this.s.context.extensionUri);
    if (given) return { uri: confined(given), settings: now };
    // The manifest's dataset: confined, unless it is the very file the user chose in the open dialog.
    const examples = [examplesFolder(this.s.context.extensionUri)];
    const lastDataset = (m: ModelSummary) =>
      vscode.Uri.file(confineManifestPath(manifestDatasetPath(m), this.recent.get(), 'the dataset', examples));
    if (asksToRetrain(arg) && last) return { uri: lastDataset(last), settings: repeat(last, asksForWarmStart(arg)) };
    const previous = last ? vscode.Uri.file(manifestDatasetPath(last)) : this.recent.get()[0];
    const picked = await pickDataset({ title: vscode.l10n.t('Textcat: Train Classifier'), recent: this.recent, retrain: previous });
    if (!picked) return undefined;
    if (picked.retrain && last) return { uri: lastDataset(last), settings: repeat(last) };
    return { uri: picked.chosen ? picked.uri : confined(picked.uri), settings: now };
  }

  /** Both would write the same model folder: a search running (Train with Autotune…) must end first. */
  private refusedForAutotune(): boolean {
    const searching = this.search?.name;
    if (searching === undefined) return false;
    void showInfo(vscode.l10n.t('Textcat is already training{0}: wait for it, or cancel it first.', ` (${searching})`));
    return true;
  }

  /** A second train while one runs: cancel the first or wait for it; false when the user dismissed. */
  private async makeRoom(): Promise<boolean> {
    const running = this.current;
    if (!running) return true;
    const stop = vscode.l10n.t('Cancel It and Train');
    const wait = vscode.l10n.t('Wait for It');
    const answer = await showWarning(
      vscode.l10n.t('Textcat is already training on {0}.', vscode.workspace.asRelativePath(running.run.dataset)),
      stop,
      wait,
    );
    if (answer === stop) this.cancel();
    else if (answer !== wait) return false;
    // Another request may have been queued behind the same run: wait until nothing runs.
    while (this.current) await this.current.finished;
    return true;
  }

  private async runToEnd(run: TrainingRun): Promise<ModelSummary | undefined> {
    try {
      const manifest = await run.run();
      if (manifest && !announceRetrain(manifest, run.name, run.fullRetrainReason)) this.announce(manifest, run.name);
      return manifest;
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      this.s.log.info(`training cancelled after ${run.seconds.toFixed(1)} s; the model folder is unchanged`);
      // The user asked for it: no notification to dismiss, a word in the status bar that goes by itself.
      vscode.window.setStatusBarMessage(vscode.l10n.t('Textcat training cancelled; the previous model is unchanged.'), 5_000);
      return undefined;
    }
  }

  /** The success message; not awaited, so the command resolves as soon as the model is saved. */
  private announce(manifest: ModelSummary, name: string): void {
    const metrics = manifest.metrics.validation ?? manifest.metrics.test;
    const message = metrics
      ? vscode.l10n.t(
          'Textcat model trained on {0}: accuracy {1}, macro-F1 {2}.',
          name,
          percent(metrics.accuracy, 1),
          metrics.macroF1.toFixed(3),
        )
      : vscode.l10n.t('Textcat model trained on {0} (no validation split, so no accuracy).', name);
    const showMetrics = vscode.l10n.t('Show Metrics');
    const label = vscode.l10n.t('Label Current File');
    void showInfo(message, showMetrics, label).then(async (answer) => {
      if (answer === showMetrics) await vscode.commands.executeCommand('textcat.showMetrics');
      const document = vscode.window.activeTextEditor?.document;
      if (answer === label && document) this.s.lineLabels.show(document);
    });
  }

  dispose(): void {
    this.search?.cancel?.();
    this.current?.run.cancel();
  }
}
