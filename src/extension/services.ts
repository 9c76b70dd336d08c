// The long-lived parts of the extension: created once in activate(), handed to every feature, and returned as the
// extension's API (the e2e suite reads it through `extension.exports`). A feature takes the narrow slice it
// uses, `Pick<Services, 'log' | 'predictor'>`. Features appear here as the interfaces they offer the others, so
// this file imports nothing from a feature folder and no feature import comes back to it in a cycle.
import type * as vscode from 'vscode';
import type { AutotuneView, ConfusionCellExamples, MetricsViewState } from '../protocol/webview';
import type { ModelSummary } from '../protocol/types';
import type { WorkerClient } from '../worker/client';
import type { Chip } from './labels/labelLayout';
import type { LineClasses } from './model/lineClasses';
import type { ModelState } from './model/modelState';
import type { Predictor } from './model/predictor';
import type { SettingsStore } from './model/settings';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** The one reader of the configuration. */
  readonly settings: SettingsStore;
  /** The current model (its folder is the truth) and the training in progress. */
  readonly model: ModelState;
  readonly worker: WorkerClient;
  /** Every question to the model about texts: predictions, explanations, their caches. */
  readonly predictor: Predictor;
  /** The class of each line of the labeled documents, as far as it is known (overview ruler, class navigation). */
  readonly lineClasses: LineClasses;
  readonly training: TrainingService;
  readonly lineLabels: LineLabelsService;
  readonly lineFilter: LineFilterService;
  readonly metricsView: MetricsViewService;
  readonly statusBar: StatusBarService;
}

/** The status bar item (metrics/statusBar.ts). */
export interface StatusBarService {
  readonly item: vscode.StatusBarItem;
  /** A Textcat command ran: the workspace uses Textcat, so the item shows even with no model. */
  noteUse(): void;
}

/** Training from the editor, one run at a time (training/trainingRunner.ts). */
export interface TrainingService {
  readonly isTraining: boolean;
  /** textcat.train: the new model's manifest, or undefined when nothing was trained. */
  train(arg?: unknown): Promise<ModelSummary | undefined>;
  /** textcat.cancelTraining: true when a run or a search was told to stop. */
  cancel(): boolean;
  /**
   * Runs a search (Train with Autotune…) as the one job that writes the model folder: undefined, with a word to the
   * user, while a training or another search runs. The job sets `cancel` once it can be stopped.
   */
  runSearch<T>(name: string, job: (search: { cancel?: () => void }) => Promise<T>): Promise<T | undefined>;
}

/** One label as drawn on a line. */
export interface LineLabel {
  /** 0-based line number. */
  readonly line: number;
  readonly label: string;
  readonly confidence: number;
  /** The text drawn before or after the line ("spam 97%"; at the start, a long class name is cut to fit). */
  readonly text: string;
  /** Under textcat.labels.minConfidence, drawn in the dim style (hidden ones are not listed). */
  readonly dimmed: boolean;
  /** Multi-label models only: every class over its threshold, most probable first (empty: none applies). */
  readonly labels?: readonly string[];
  /** Multi-label models only: what is drawn, one chip per class that fits, then "+N" or "—" (labelLayout's fitChips). */
  readonly chips?: readonly Chip[];
}

/** A line whose label a retrain changed. */
export interface ChangedLine {
  readonly uri: string;
  /** 0-based line number. */
  readonly line: number;
  readonly before: string;
  readonly after: string;
}

/** The inline labels of the visible editors (labels/lineLabels.ts). */
export interface LineLabelsService {
  /** The labels the editor shows now; the hover and the quick fixes correct these. */
  shownLabels(editor: vscode.TextEditor): readonly LineLabel[];
  /** Turns labels on or off for the active editor's document; whether they are now on. */
  toggle(): boolean;
  /** Turns labels on for a document (whatever textcat.labels.include says). */
  show(document: vscode.TextDocument): void;
  /** Fires when the new model has drawn the editors that were visible before a retrain: the lines it relabeled. */
  readonly onDidChangeAfterRetrain: vscode.Event<readonly ChangedLine[]>;
}

/** The Metrics view (metrics/metricsView.ts): what it shows, and what its page may ask for. */
export interface MetricsViewService extends vscode.WebviewViewProvider {
  /** Everything the page shows, as it would be posted now. */
  state(): MetricsViewState;
  /** The current model's validation examples of one confusion cell; undefined for a cell it does not have. */
  confusionExamples(truth: unknown, predicted: unknown): ConfusionCellExamples | undefined;
  /** Opens the dataset at a validation example of the current model; undefined (nothing opened) for anything else. */
  openExample(line: unknown, file: unknown): Promise<vscode.TextEditor | undefined>;
  /** Shows a "Would More Labels Help?" result (it stays until the next one or a reload of the window). */
  showLearningCurve(curve: MetricsViewState['learningCurve']): void;
  /** Shows a Train with Autotune run (live while it runs; once over, while the model it left is the current one). */
  showAutotune(view: AutotuneView): void;
}

/** A document's filter: which classes it shows ("only") or hides, and what folding it did (labels/lineFilter.ts). */
export interface LineFilterState {
  readonly mode: 'only' | 'hide';
  readonly labels: readonly string[];
  /** Lines the folds hide. */
  readonly hiddenLines: number;
  /** The filter would hide the first line, which a fold cannot: it stays in view. */
  readonly firstLineKept: boolean;
  /** Lines not classified yet (cancelled, or edited meanwhile): they stay in view. */
  readonly unknownLines: number;
  /** Set when the folds would be more than VS Code keeps: the 0-based line from which nothing is filtered. */
  readonly filteredTo?: number;
  /**
   * While the folds out of view are made in the background (the part in view is folded first): the runs of lines
   * folded so far and in all. Absent once every fold is made (or the folding stopped: the filter is folded again
   * when its editor is active next).
   */
  readonly folding?: { readonly done: number; readonly total: number };
}

/** "Show Only / Hide Lines of Class…" and "Show All Lines" (labels/lineFilter.ts). */
export interface LineFilterService {
  /** The classes (a string or a list), else a quick pick asks; resolves with the filter now on. */
  filter(mode: 'only' | 'hide', arg?: unknown): Promise<LineFilterState | undefined>;
  /** Ends the active document's filter; whether one was on. */
  showAll(): Promise<boolean>;
  stateOf(document: vscode.TextDocument): LineFilterState | undefined;
}
