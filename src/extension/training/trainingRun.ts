// One training run: the worker's job behind a cancellable progress notification, ModelState kept up to date,
// everything told to the log. When the worker answers that its column guess is unsure, the user picks the
// columns and the job starts again with them.
import * as vscode from 'vscode';
import { withNotificationProgress } from '../notify';
import { percent } from '../../core/format/percent';
import type { DatasetInfo, ModelSummary, TrainOptions, TrainProgress } from '../../protocol/types';
import type { TrainHandle, TrainResult } from '../../worker/client';
import type { Services } from '../services';
import { pickColumns } from './columnPicker';
import { datasetRequest } from './datasetArgument';
import { logDataset, logEpoch, logStart, logTrained } from './trainingLog';
import { RunProgress } from './runProgress';
import { confineToWorkspace } from '../workspace/confine';

/** The columns to read, and (a retrain of a multi-label model) the separator its labels were split on. */
export type Columns = { textColumn?: string; labelColumn?: string; labelSeparator?: string };

/** What a run trains with: the settings now, or the last run's when retraining. */
export interface RunSettings {
  readonly columns: Columns;
  readonly options: Readonly<Partial<TrainOptions>>;
  /** The vectors file was set in the user's own settings; one from the workspace or a manifest is confined to it. */
  readonly userVectors: boolean;
  /** Continue from the current model (a fine-tune); the worker trains from scratch when it cannot, and says why. */
  readonly warmStart?: boolean;
}

export class TrainingRun {
  readonly name: string;
  private readonly started = performance.now();
  private handle: TrainHandle<TrainResult> | undefined;
  private cancelled = false;
  /** A warm start was asked for and the worker trained from scratch instead: why. */
  fullRetrainReason: string | undefined;

  constructor(
    private readonly s: Pick<Services, 'model' | 'worker' | 'log'>,
    readonly dataset: vscode.Uri,
    private readonly modelDir: vscode.Uri,
    private readonly settings: RunSettings,
  ) {
    this.name = vscode.workspace.asRelativePath(dataset);
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /**
   * The new model's manifest, or undefined when the user dismissed the column pick. Rejects with a
   * CancelledError once a cancel has stopped the worker (the model folder is unchanged), or with its error.
   */
  async run(): Promise<ModelSummary | undefined> {
    let columns = this.settings.columns;
    for (;;) {
      const result = await this.attempt(columns);
      if (result.kind === 'trained') return result.manifest;
      this.s.log.info(`the column guess is unsure (${JSON.stringify(result.dataset.columns)}): asking the user`);
      const picked = await pickColumns(result.dataset.columns, this.name);
      if (!picked) return undefined;
      this.s.log.info(`columns picked by the user: text "${picked.text}", label "${picked.label}"`);
      columns = { ...columns, textColumn: picked.text, labelColumn: picked.label };
    }
  }

  cancel(): void {
    this.s.log.info(`cancel requested for the training on ${this.dataset.fsPath}`);
    this.cancelled = true;
    this.handle?.cancel();
  }

  private async attempt(columns: Columns): Promise<TrainResult> {
    const { log, model, worker } = this.s;
    const progress = new RunProgress(this.dataset);
    logStart(log, this.dataset, this.modelDir, this.settings.options, columns);
    model.setTraining(progress.state());
    const title = vscode.l10n.t('Textcat: training on {0}', this.name);
    return withNotificationProgress({ title, cancellable: true }, async (bar, token) => {
      const handle = worker.trainOrAskColumns(
        datasetRequest(this.dataset, columns),
        this.modelDir.fsPath,
        withResolvedPaths(this.settings, this.dataset),
        {
          warmStart: this.settings.warmStart === true,
          onDataset: (d) => {
            progress.datasetLoaded(d);
            logDataset(log, d, progress.loadSeconds);
            bar.report({ message: columnMessage(d) });
            model.setTraining(progress.state());
          },
          onProgress: (p) => {
            if (p.epochDone) logEpoch(log, p);
            bar.report({ message: progressMessage(p), increment: progress.advance(p) });
            model.setTraining(progress.state());
          },
        },
      );
      this.handle = handle;
      if (this.cancelled) handle.cancel();
      const listener = token.onCancellationRequested(() => this.cancel());
      try {
        const result = await handle.done;
        if (result.kind === 'trained') {
          this.fullRetrainReason = result.fullRetrainReason;
          if (result.fullRetrainReason) log.info(`trained from scratch instead of warm-starting: ${result.fullRetrainReason}`);
          logTrained(log, result.manifest, progress.seconds, progress.loadSeconds);
          await model.reload();
        }
        return result;
      } finally {
        listener.dispose();
      }
    });
  }
}

/**
 * A relative vectors file is relative to the dataset's workspace folder, as VS Code settings paths are; one the
 * workspace chose must lie inside it (a TextcatError naming it otherwise).
 */
export function withResolvedPaths({ options, userVectors }: RunSettings, dataset: vscode.Uri): Partial<TrainOptions> {
  const resolved = { ...options };
  if (resolved.pretrainedVectors && !/^([a-z]:)?[\\/]/i.test(resolved.pretrainedVectors)) {
    const folder = vscode.workspace.getWorkspaceFolder(dataset)?.uri ?? vscode.Uri.joinPath(dataset, '..');
    resolved.pretrainedVectors = vscode.Uri.joinPath(folder, resolved.pretrainedVectors).fsPath;
  }
  if (resolved.pretrainedVectors && !userVectors) {
    resolved.pretrainedVectors = confineToWorkspace(resolved.pretrainedVectors, 'the pretrained vectors file');
  }
  return resolved;
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
    percent(p.accuracy, 1),
    Math.max(0, Math.round(p.etaSeconds)),
  );
}
