// Training and evaluation from the editor: pick a dataset, run the job in the worker behind a
// cancellable progress notification, keep ModelState up to date, and report the outcome.
// One training at a time; everything a run did goes to the log.
import * as vscode from 'vscode';
import type { DatasetInfo, DatasetRequest, ModelManifest, TrainOptions, TrainProgress } from '../protocol';
import { pickColumns, pickDataset, RecentDatasets } from './datasetPicker';
import type { Evaluation } from './modelState';
import type { Services } from './services';
import { TrainingCancelledError, WorkerError, type TrainHandle } from './workerHost';

/** What the runner needs; it is itself one of the Services. */
export type TrainingDeps = Pick<Services, 'context' | 'settings' | 'model' | 'worker' | 'log'>;

/** How the last run ended (the tests read it; the user sees the messages). */
export type TrainingOutcome =
  { kind: 'trained'; manifest: ModelManifest } | { kind: 'cancelled' } | { kind: 'failed'; message: string; userError: boolean };

interface Run {
  dataset: vscode.Uri;
  handle?: TrainHandle;
  cancelled: boolean;
  finished: Promise<unknown>;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `{"example": "tickets"}` (from the walkthrough) names a bundled example; a string is a path. */
type DatasetArgument = vscode.Uri | string | { example: string } | { retrain: true } | undefined;

export class TrainingRunner implements vscode.Disposable {
  private readonly recent: RecentDatasets;
  private current: Run | undefined;
  private lastOutcome: TrainingOutcome | undefined;

  constructor(private readonly s: TrainingDeps) {
    this.recent = new RecentDatasets(s.context.workspaceState);
  }

  get outcome(): TrainingOutcome | undefined {
    return this.lastOutcome;
  }

  get isTraining(): boolean {
    return this.current !== undefined;
  }

  /** Turns a command argument into a dataset URI (the Explorer menu passes a Uri, the walkthrough JSON). */
  resolveArgument(arg: unknown, file: 'train.csv' | 'test.csv' = 'train.csv'): vscode.Uri | undefined {
    const value = arg as DatasetArgument;
    if (value instanceof vscode.Uri) return value;
    if (typeof value === 'string' && value) {
      if (/^[a-z][a-z0-9+.-]+:\/\//i.test(value)) return vscode.Uri.parse(value);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      return value.startsWith('/') || !folder ? vscode.Uri.file(value) : vscode.Uri.joinPath(folder, value);
    }
    if (value && typeof value === 'object' && 'example' in value && typeof value.example === 'string' && /^[\w-]+$/.test(value.example)) {
      return vscode.Uri.joinPath(this.s.context.extensionUri, 'examples', value.example, file);
    }
    return undefined;
  }

  /** textcat.train: resolves with the new model's manifest, or undefined when nothing was trained. */
  async train(arg?: unknown): Promise<ModelManifest | undefined> {
    const modelDir = this.s.model.modelDir;
    if (!modelDir) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Open a folder first: Textcat keeps the model in the workspace (setting textcat.modelPath).'),
      );
      return undefined;
    }
    const last = this.s.model.manifest;
    const given = this.resolveArgument(arg);
    const wantsRetrain = Boolean(arg && typeof arg === 'object' && (arg as { retrain?: unknown }).retrain === true && last);
    const picked = given
      ? { uri: given, retrain: false }
      : wantsRetrain
        ? { uri: vscode.Uri.file(last!.dataset.path), retrain: true }
        : await pickDataset({ title: vscode.l10n.t('Textcat: Train Classifier'), recent: this.recent, retrain: this.previousDataset() });
    if (!picked) return undefined;
    const dataset = picked.uri;
    // "Retrain on the same dataset" repeats the last run: its options and its columns, not today's settings.
    const retrainFrom = picked.retrain && last ? last : undefined;
    if (this.current && !(await this.makeRoom())) return undefined;
    await this.recent.add(dataset);

    let resolveFinished!: () => void;
    const run: Run = { dataset, cancelled: false, finished: new Promise<void>((r) => (resolveFinished = r)) };
    this.current = run;
    try {
      let columns = retrainFrom
        ? { textColumn: retrainFrom.dataset.columns.text, labelColumn: retrainFrom.dataset.columns.label }
        : this.s.settings.current.dataset;
      const options = retrainFrom ? retrainFrom.options : this.s.settings.current.training;
      for (;;) {
        const attempt = await this.runOnce(run, modelDir, columns, options);
        if (attempt.kind !== 'needColumns') return attempt.manifest;
        // The guess was unsure: the worker stopped right after reading; ask, then train with the answer.
        const picked = await pickColumns(attempt.info.columns, vscode.workspace.asRelativePath(dataset));
        if (!picked) {
          this.finish({ kind: 'cancelled' });
          return undefined;
        }
        this.s.log.info(`columns picked by the user: text "${picked.text}", label "${picked.label}"`);
        columns = { textColumn: picked.text, labelColumn: picked.label };
      }
    } finally {
      this.current = undefined;
      this.s.model.setTraining({ kind: 'idle' });
      resolveFinished();
    }
  }

  /** textcat.cancelTraining: true when a run was told to stop. */
  cancel(): boolean {
    const run = this.current;
    if (!run) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Textcat training is running.'));
      return false;
    }
    this.s.log.info(`cancel requested for the training on ${run.dataset.fsPath}`);
    run.cancelled = true;
    run.handle?.cancel();
    return true;
  }

  private previousDataset(): vscode.Uri | undefined {
    const path = this.s.model.manifest?.dataset.path;
    return path ? vscode.Uri.file(path) : this.recent.get()[0];
  }

  /** A second train while one runs: cancel the first or wait for it; false when the user dismissed. */
  private async makeRoom(): Promise<boolean> {
    const run = this.current;
    if (!run) return true;
    const stop = vscode.l10n.t('Cancel It and Train');
    const wait = vscode.l10n.t('Wait for It');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Textcat is already training on {0}.', vscode.workspace.asRelativePath(run.dataset)),
      stop,
      wait,
    );
    if (answer === stop) this.cancel();
    else if (answer !== wait) return false;
    // Another request may have been queued behind the same run: wait until nothing runs.
    while (this.current) await this.current.finished;
    return true;
  }

  private async runOnce(
    run: Run,
    modelDir: vscode.Uri,
    columns: { textColumn?: string; labelColumn?: string },
    trainingOptions: Partial<TrainOptions>,
  ): Promise<{ kind: 'done'; manifest: ModelManifest | undefined } | { kind: 'needColumns'; info: DatasetInfo }> {
    const log = this.s.log;
    const options = { ...trainingOptions };
    // A relative vectors file is relative to the dataset's workspace folder, as VS Code settings paths are.
    if (options.pretrainedVectors) {
      const folder = vscode.workspace.getWorkspaceFolder(run.dataset)?.uri ?? vscode.Uri.joinPath(run.dataset, '..');
      if (!/^([a-z]:)?[\\/]/i.test(options.pretrainedVectors))
        options.pretrainedVectors = vscode.Uri.joinPath(folder, options.pretrainedVectors).fsPath;
    }
    const request: DatasetRequest = { path: run.dataset.fsPath, ...definedColumns(columns) };
    const columnsFixed = Boolean(columns.textColumn && columns.labelColumn);
    const name = vscode.workspace.asRelativePath(run.dataset);
    const started = performance.now();
    let loadedAt: number | undefined;
    let unsure: DatasetInfo | undefined;
    const history: TrainProgress[] = [];
    let info: DatasetInfo | undefined;
    let shown = 0;

    log.info(`training on ${run.dataset.fsPath} into ${modelDir.fsPath}`);
    log.info(`options given (the rest are defaults): ${JSON.stringify(options)}`);
    if (columns.textColumn || columns.labelColumn) log.info(`columns from the settings: ${JSON.stringify(definedColumns(columns))}`);
    this.s.model.setTraining({ kind: 'training', dataset: run.dataset, history });

    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Textcat: training on {0}', name), cancellable: true },
      async (progress, token) => {
        const handle = this.s.worker.train(request, modelDir.fsPath, options, {
          onDataset: (d) => {
            info = d;
            loadedAt = performance.now();
            logDataset(log, d, (loadedAt - started) / 1000);
            if (!d.columns.confident && !columnsFixed && d.columns.available.length >= 2) {
              unsure = d;
              handle.cancel();
              return;
            }
            progress.report({ message: columnMessage(d) });
            this.s.model.setTraining({ kind: 'training', dataset: run.dataset, datasetInfo: d, history });
          },
          onProgress: (p) => {
            if (p.epochDone) {
              history.push(p);
              log.info(
                `epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, accuracy ${percent(p.accuracy)}` +
                  (p.validationLoss !== undefined
                    ? `, validation loss ${p.validationLoss.toFixed(4)}, accuracy ${percent(p.validationAccuracy ?? 0)}`
                    : ''),
              );
            }
            // The bar moves by the share of all batches done (early stopping may end it short of full).
            const done = (100 * (p.epoch - 1 + p.batch / Math.max(1, p.batches))) / Math.max(1, p.epochs);
            progress.report({ message: progressMessage(p), increment: Math.max(0, done - shown) });
            shown = Math.max(shown, done);
            this.s.model.setTraining({ kind: 'training', dataset: run.dataset, datasetInfo: info, progress: p, history });
          },
        });
        run.handle = handle;
        if (run.cancelled) handle.cancel();
        token.onCancellationRequested(() => this.cancel());
        try {
          const manifest = await handle.done;
          const seconds = (performance.now() - started) / 1000;
          log.info(
            `trained in ${seconds.toFixed(1)} s (loading ${(((loadedAt ?? started) - started) / 1000).toFixed(1)} s, training ${manifest.trainSeconds.toFixed(1)} s, ` +
              `${Math.round(manifest.samplesPerSecond)} samples/s); best epoch ${manifest.bestEpoch}${manifest.stoppedEarly ? ' (stopped early)' : ''}`,
          );
          log.info(`options used: ${JSON.stringify(manifest.options)}`);
          const metrics = manifest.metrics.validation ?? manifest.metrics.test;
          if (metrics)
            log.info(
              `accuracy ${percent(metrics.accuracy)}, macro-F1 ${metrics.macroF1.toFixed(3)} on ${metrics.count} validation examples`,
            );
          await this.s.model.reload();
          this.finish({ kind: 'trained', manifest });
          this.announce(manifest, name);
          return { kind: 'done' as const, manifest };
        } catch (error) {
          if (error instanceof TrainingCancelledError) {
            if (unsure && !run.cancelled) {
              log.info(`the column guess is unsure (${JSON.stringify(unsure.columns)}): asking the user`);
              return { kind: 'needColumns' as const, info: unsure };
            }
            log.info(`training cancelled after ${((performance.now() - started) / 1000).toFixed(1)} s; the model folder is unchanged`);
            this.finish({ kind: 'cancelled' });
            void vscode.window.showInformationMessage(vscode.l10n.t('Textcat training cancelled; the previous model is unchanged.'));
            return { kind: 'done' as const, manifest: undefined };
          }
          this.report(error, 'training');
          return { kind: 'done' as const, manifest: undefined };
        }
      },
    );
  }

  private finish(outcome: TrainingOutcome): void {
    this.lastOutcome = outcome;
  }

  /** A data problem is shown as the worker phrased it (it names file and line); anything else is a bug. */
  private report(error: unknown, what: 'training' | 'evaluation'): void {
    if (error instanceof WorkerError && error.userError) {
      this.s.log.error(`${what} failed: ${error.message}`);
      this.finish({ kind: 'failed', message: error.message, userError: true });
      void vscode.window.showErrorMessage(error.message);
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.s.log.error(`${what} failed with an internal error: ${detail}`);
    this.finish({ kind: 'failed', message: error instanceof Error ? error.message : String(error), userError: false });
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window
      .showErrorMessage(
        what === 'training'
          ? vscode.l10n.t('Textcat training failed with an internal error. The log has the details.')
          : vscode.l10n.t('Textcat evaluation failed with an internal error. The log has the details.'),
        showLog,
      )
      .then((answer) => answer === showLog && this.s.log.show());
  }

  /** The success message; not awaited, so the command resolves as soon as the model is saved. */
  private announce(manifest: ModelManifest, name: string): void {
    const metrics = manifest.metrics.validation ?? manifest.metrics.test;
    const message = metrics
      ? vscode.l10n.t(
          'Textcat model trained on {0}: accuracy {1}, macro-F1 {2}.',
          name,
          percent(metrics.accuracy),
          metrics.macroF1.toFixed(3),
        )
      : vscode.l10n.t('Textcat model trained on {0} (no validation split, so no accuracy).', name);
    const showMetrics = vscode.l10n.t('Show Metrics');
    const label = vscode.l10n.t('Label Current File');
    void vscode.window.showInformationMessage(message, showMetrics, label).then(async (answer) => {
      if (answer === showMetrics) await vscode.commands.executeCommand('textcat.showMetrics');
      if (answer === label) {
        // The line-labels part may offer a command that only turns labels on; toggling is the fallback.
        const all = await vscode.commands.getCommands(true);
        await vscode.commands.executeCommand(
          all.includes('textcat.labelActiveEditor') ? 'textcat.labelActiveEditor' : 'textcat.toggleLineLabels',
        );
      }
    });
  }

  /** textcat.evaluate: metrics of the current model on a labeled file, kept in ModelState for the sidebar. */
  async evaluate(arg?: unknown): Promise<Evaluation> {
    const modelDir = this.s.model.modelDir;
    if (!modelDir || !this.s.model.manifest) {
      offerTraining(vscode.l10n.t('There is no Textcat model to evaluate yet.'));
      return undefined;
    }
    const dataset =
      this.resolveArgument(arg, 'test.csv') ??
      (await pickDataset({ title: vscode.l10n.t('Textcat: Evaluate Model on Dataset'), recent: this.recent }))?.uri;
    if (!dataset) return undefined;
    await this.recent.add(dataset);
    const name = vscode.workspace.asRelativePath(dataset);
    const request: DatasetRequest = { path: dataset.fsPath, ...definedColumns(this.s.settings.current.dataset) };
    const started = performance.now();
    this.s.log.info(`evaluating ${modelDir.fsPath} on ${dataset.fsPath}`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Textcat: evaluating on {0}…', name) },
        () => this.s.worker.evaluate(modelDir.fsPath, request),
      );
      const { metrics, unknownLabels } = result;
      logDataset(this.s.log, result.dataset, (performance.now() - started) / 1000);
      this.s.log.info(
        `evaluation: accuracy ${percent(metrics.accuracy)}, macro-F1 ${metrics.macroF1.toFixed(3)} on ${metrics.count} examples`,
      );
      const evaluation = { dataset: name, metrics, unknownLabels };
      this.s.model.setEvaluation(evaluation);
      let message = vscode.l10n.t(
        'Textcat on {0}: accuracy {1}, macro-F1 {2} ({3} examples).',
        name,
        percent(metrics.accuracy),
        metrics.macroF1.toFixed(3),
        metrics.count,
      );
      if (unknownLabels.length) {
        this.s.log.warn(`labels the model does not know: ${unknownLabels.join(', ')}`);
        message += ' ' + vscode.l10n.t('Labels the model does not know: {0}.', unknownLabels.join(', '));
      }
      void vscode.window.showInformationMessage(message);
      await vscode.commands.executeCommand('textcat.showMetrics');
      return evaluation;
    } catch (error) {
      this.report(error, 'evaluation');
      return undefined;
    }
  }

  dispose(): void {
    this.current?.handle?.cancel();
  }
}

/** textcat.openModelFolder: reveals the folder in the Explorer; false when there is no model yet. */
export async function revealModelFolder(s: Pick<Services, 'model'>): Promise<boolean> {
  const dir = s.model.modelDir;
  if (!dir || !s.model.manifest) {
    offerTraining(vscode.l10n.t('There is no Textcat model in this workspace yet.'));
    return false;
  }
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.joinPath(dir, 'textcat.json'));
  return true;
}

/** textcat.openExample (walkthrough): opens a bundled example's unlabeled lines in an editor. */
export async function openExample(s: Pick<Services, 'context'>, arg: unknown): Promise<void> {
  const name = (arg as { example?: unknown } | undefined)?.example;
  const example = typeof name === 'string' && /^[\w-]+$/.test(name) ? name : 'tickets';
  const uri = vscode.Uri.joinPath(s.context.extensionUri, 'examples', example, 'sample.txt');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

/** The answer to any command that needs a model when there is none: say so, and offer to train one. */
export function offerTraining(
  message = vscode.l10n.t(
    'Textcat has no model yet. Train a classifier on a labeled dataset in this workspace, then its labels appear here.',
  ),
): void {
  const train = vscode.l10n.t('Train Classifier…');
  void vscode.window
    .showInformationMessage(message, train)
    .then((answer) => answer === train && vscode.commands.executeCommand('textcat.train'));
}

function definedColumns(columns: { textColumn?: string; labelColumn?: string }): { textColumn?: string; labelColumn?: string } {
  return {
    ...(columns.textColumn ? { textColumn: columns.textColumn } : {}),
    ...(columns.labelColumn ? { labelColumn: columns.labelColumn } : {}),
  };
}

function columnMessage(d: DatasetInfo): string {
  const classes = Object.keys(d.classCounts).length;
  if (d.format === 'folder' || d.format === 'fasttext') return vscode.l10n.t('{0} rows, {1} classes', d.rows, classes);
  return vscode.l10n.t('{0} rows, {1} classes; text column "{2}", label column "{3}"', d.rows, classes, d.columns.text, d.columns.label);
}

function progressMessage(p: TrainProgress): string {
  return vscode.l10n.t(
    'Epoch {0}/{1} · loss {2} · accuracy {3} · about {4} s left',
    p.epoch,
    p.epochs,
    p.loss.toFixed(3),
    percent(p.accuracy),
    Math.max(0, Math.round(p.etaSeconds)),
  );
}

function logDataset(log: vscode.LogOutputChannel, d: DatasetInfo, seconds: number): void {
  log.info(`dataset ${d.path} (${d.format}, sha256 ${d.sha256.slice(0, 12)}…): ${d.rows} rows, read in ${seconds.toFixed(1)} s`);
  log.info(
    `classes: ${Object.entries(d.classCounts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  log.info(
    `columns: text "${d.columns.text}", label "${d.columns.label}" (${d.columns.source}${d.columns.confident ? '' : ', unsure'}; available: ${d.columns.available.join(', ')})`,
  );
  for (const w of d.warnings) log.warn(w);
}
