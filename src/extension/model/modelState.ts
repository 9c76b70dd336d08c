// "The current model" as the extension sees it: the manifest in the model folder (the single source of
// truth), re-read whenever the folder changes, plus the state of a training run in progress. The folder is
// confined to the workspace when the workspace chose it (a committed symbolic link, .vscode/settings.json), and
// textcat.json is read only through core's checked reader, in a thread of its own: the host never parses it.
import * as vscode from 'vscode';
import type { DatasetInfo, Metrics, ModelSummary, TrainProgress } from '../../protocol/types';
import { errorMessage } from '../../core/format/errorText';
import { showWarning } from '../notify';
import { confineToWorkspace } from '../workspace/confine';
import type { SettingsStore } from './settings';

export type TrainingState =
  | { kind: 'idle' }
  | { kind: 'training'; dataset: vscode.Uri; progress?: TrainProgress; datasetInfo?: DatasetInfo; history: TrainProgress[] };

/** The result of the last "Evaluate Model on Dataset…" run on the current model. */
export type Evaluation = { dataset: string; metrics: Metrics; unknownLabels: string[] } | undefined;

/** Reads a model folder's textcat.json off the host thread (worker/manifestClient.ts); undefined when there is none. */
export type SummaryReader = (dir: string, signal: AbortSignal) => Promise<ModelSummary | undefined>;

export class ModelState implements vscode.Disposable {
  private manifestValue: ModelSummary | undefined;
  private trainingValue: TrainingState = { kind: 'idle' };
  private searchingValue: string | undefined;
  private evaluationValue: Evaluation;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly settingsListener: vscode.Disposable;
  private readonly modelEmitter = new vscode.EventEmitter<ModelSummary | undefined>();
  private readonly trainingEmitter = new vscode.EventEmitter<TrainingState>();
  private readonly evaluationEmitter = new vscode.EventEmitter<Evaluation>();
  private readonly searchingEmitter = new vscode.EventEmitter<string | undefined>();
  private readonly problemEmitter = new vscode.EventEmitter<string | undefined>();
  /** Fires when the reason the folder's model cannot be used appears, changes or goes. */
  readonly onDidChangeProblem = this.problemEmitter.event;
  /** Fires when a model is saved, replaced or removed. */
  readonly onDidChangeModel = this.modelEmitter.event;
  /** Fires on every training state change and progress report. */
  readonly onDidChangeTraining = this.trainingEmitter.event;
  /** Fires when a search (Train with Autotune…) starts, with its dataset's name, and ends, with undefined. */
  readonly onDidChangeSearching = this.searchingEmitter.event;
  /** Fires when an evaluation finishes, and with undefined when a new model makes the last one stale. */
  readonly onDidChangeEvaluation = this.evaluationEmitter.event;

  /** Why the model folder's model cannot be used (damaged, hostile, outside the workspace); undefined when it can. */
  private problemValue: string | undefined;
  private readonly told = new Set<string>();
  /** Only the newest read counts: a slower earlier one must not overwrite it. */
  private reads = 0;
  private latest: Promise<ModelSummary | undefined> | undefined;
  private reading: AbortController | undefined;
  private readDir: string | undefined;

  constructor(
    private readonly settings: SettingsStore,
    private readonly readSummary: SummaryReader,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.settingsListener = settings.onDidChange(() => this.watch());
    this.watch();
  }

  get manifest(): ModelSummary | undefined {
    return this.manifestValue;
  }

  get training(): TrainingState {
    return this.trainingValue;
  }

  get modelDir(): vscode.Uri | undefined {
    return this.settings.current.modelDir;
  }

  /** The real path the current manifest was read from (confined when the workspace chose it): where predictions read. */
  get dir(): string | undefined {
    return this.readDir;
  }

  get problem(): string | undefined {
    return this.problemValue;
  }

  /**
   * The model folder's path for a read or a write, confined to the workspace when the workspace chose it (a
   * refusal is a TextcatError naming it); undefined without a workspace folder.
   */
  checkedModelDir(): string | undefined {
    const dir = this.modelDir;
    if (!dir) return undefined;
    return this.settings.current.fromWorkspace.modelDir ? confineToWorkspace(dir.fsPath, 'The model folder') : dir.fsPath;
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

  /** The dataset of the search running (Train with Autotune…), if one is: it writes the model folder as a training does. */
  get searching(): string | undefined {
    return this.searchingValue;
  }

  setSearching(name: string | undefined): void {
    this.searchingValue = name;
    this.searchingEmitter.fire(name);
  }

  /** Reads textcat.json again (after a save, or when the watcher saw a change); settles once the newest read has. */
  reload(): Promise<ModelSummary | undefined> {
    this.latest = this.read(++this.reads);
    return this.latest;
  }

  private async read(read: number): Promise<ModelSummary | undefined> {
    this.reading?.abort(); // an overtaken read stops parsing: only one reader thread at a time
    const reading = (this.reading = new AbortController());
    let next: ModelSummary | undefined;
    let dir: string | undefined;
    let problem: string | undefined;
    try {
      dir = this.checkedModelDir();
      next = dir === undefined ? undefined : await this.readSummary(dir, reading.signal);
    } catch (error) {
      problem = errorMessage(error);
    }
    if (read !== this.reads) return this.latest; // a newer read is under way, and decides
    this.readDir = next ? dir : undefined;
    this.setProblem(problem);
    const changed = next?.runId !== this.manifestValue?.runId;
    this.manifestValue = next;
    if (changed) {
      this.modelEmitter.fire(next);
      // Figures measured on another model would be misread as this one's.
      if (this.evaluationValue) this.setEvaluation(undefined);
    }
    return next;
  }

  /** Logs a model that cannot be used, and says so once per reason (not on every change event). */
  private setProblem(problem: string | undefined): void {
    if (problem !== this.problemValue) {
      this.problemValue = problem;
      this.problemEmitter.fire(problem);
    }
    if (problem === undefined || this.told.has(problem)) return;
    this.told.add(problem);
    this.log.warn(`the model cannot be used: ${problem}`);
    void showWarning(vscode.l10n.t('Textcat cannot use the model in this workspace: {0}', problem));
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
    this.searchingEmitter.dispose();
    this.problemEmitter.dispose();
  }
}
