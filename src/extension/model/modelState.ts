// "The current model" as the extension sees it: the manifest in the model folder (the single source of
// truth), re-read whenever the folder changes, plus the state of a training run in progress.
import * as vscode from 'vscode';
import type { DatasetInfo, Metrics, ModelManifest, TrainProgress } from '../../protocol/types';
import type { SettingsStore } from './settings';

export type TrainingState =
  | { kind: 'idle' }
  | { kind: 'training'; dataset: vscode.Uri; progress?: TrainProgress; datasetInfo?: DatasetInfo; history: TrainProgress[] };

/** The result of the last "Evaluate Model on Dataset…" run on the current model. */
export type Evaluation = { dataset: string; metrics: Metrics; unknownLabels: string[] } | undefined;

/** As core's loader: a cloned repository's textcat.json may be a link to /dev/zero or huge; read only a regular file of sane size. */
const MAX_MANIFEST_BYTES = 256 * 2 ** 20;

async function readManifest(file: vscode.Uri): Promise<ModelManifest | undefined> {
  const { type, size } = await vscode.workspace.fs.stat(file);
  if (type !== vscode.FileType.File || size > MAX_MANIFEST_BYTES) return undefined;
  return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file))) as ModelManifest;
}

export class ModelState implements vscode.Disposable {
  private manifestValue: ModelManifest | undefined;
  private trainingValue: TrainingState = { kind: 'idle' };
  private evaluationValue: Evaluation;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly settingsListener: vscode.Disposable;
  private readonly modelEmitter = new vscode.EventEmitter<ModelManifest | undefined>();
  private readonly trainingEmitter = new vscode.EventEmitter<TrainingState>();
  private readonly evaluationEmitter = new vscode.EventEmitter<Evaluation>();
  /** Fires when a model is saved, replaced or removed. */
  readonly onDidChangeModel = this.modelEmitter.event;
  /** Fires on every training state change and progress report. */
  readonly onDidChangeTraining = this.trainingEmitter.event;
  /** Fires when an evaluation finishes, and with undefined when a new model makes the last one stale. */
  readonly onDidChangeEvaluation = this.evaluationEmitter.event;

  constructor(private readonly settings: SettingsStore) {
    this.settingsListener = settings.onDidChange(() => this.watch());
    this.watch();
  }

  get manifest(): ModelManifest | undefined {
    return this.manifestValue;
  }

  get training(): TrainingState {
    return this.trainingValue;
  }

  get modelDir(): vscode.Uri | undefined {
    return this.settings.current.modelDir;
  }

  get evaluation(): Evaluation {
    return this.evaluationValue;
  }

  setEvaluation(evaluation: Evaluation): void {
    this.evaluationValue = evaluation;
    this.evaluationEmitter.fire(evaluation);
  }

  setTraining(state: TrainingState): void {
    this.trainingValue = state;
    this.trainingEmitter.fire(state);
  }

  /** Reads textcat.json again (after a save, or when the watcher saw a change). */
  async reload(): Promise<ModelManifest | undefined> {
    const dir = this.modelDir;
    let next: ModelManifest | undefined;
    if (dir) {
      try {
        next = await readManifest(vscode.Uri.joinPath(dir, 'textcat.json'));
      } catch {
        next = undefined; // no model yet, or one being replaced: the next change event re-reads it
      }
    }
    const changed = next?.runId !== this.manifestValue?.runId;
    this.manifestValue = next;
    if (changed) {
      this.modelEmitter.fire(next);
      // Figures measured on another model would be misread as this one's.
      if (this.evaluationValue) this.setEvaluation(undefined);
    }
    return next;
  }

  private watch(): void {
    this.watcher?.dispose();
    const dir = this.modelDir;
    if (dir) {
      // Watch the parent: the model folder itself is replaced by a rename on every save, which the watcher
      // reports as the folder created (nothing for the files inside it), so match the folder too.
      const parent = vscode.Uri.joinPath(dir, '..');
      const name = dir.path.split('/').pop()!;
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(parent, `{${name},${name}/textcat.json}`));
      const reload = () => void this.reload();
      this.watcher.onDidCreate(reload);
      this.watcher.onDidChange(reload);
      this.watcher.onDidDelete(reload);
    }
    void this.reload();
  }

  dispose(): void {
    this.watcher?.dispose();
    this.settingsListener.dispose();
    this.modelEmitter.dispose();
    this.trainingEmitter.dispose();
    this.evaluationEmitter.dispose();
  }
}
