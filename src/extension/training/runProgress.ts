// What one training attempt has reported so far: the dataset read, each epoch, how far the progress bar has
// moved, and how long each part took; and the TrainingState that ModelState (the status bar, the sidebar) shows.
import type * as vscode from 'vscode';
import type { DatasetInfo, TrainProgress } from '../../protocol/types';
import type { TrainingState } from '../model/modelState';

export class RunProgress {
  private readonly history: TrainProgress[] = [];
  private dataset: DatasetInfo | undefined;
  private last: TrainProgress | undefined;
  private readonly started = performance.now();
  private loadedAt: number | undefined;
  /** Percent of the bar already shown. */
  private shown = 0;

  constructor(private readonly file: vscode.Uri) {}

  datasetLoaded(dataset: DatasetInfo): void {
    this.dataset = dataset;
    this.loadedAt = performance.now();
  }

  /** Records a report; returns how far it moves the bar (by the share of all batches done). */
  advance(p: TrainProgress): number {
    this.last = p;
    if (p.epochDone) this.history.push(p);
    const done = (100 * (p.epoch - 1 + p.batch / Math.max(1, p.batches))) / Math.max(1, p.epochs);
    const increment = Math.max(0, done - this.shown);
    this.shown = Math.max(this.shown, done);
    return increment;
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  get loadSeconds(): number {
    return ((this.loadedAt ?? this.started) - this.started) / 1000;
  }

  state(): TrainingState {
    return { kind: 'training', dataset: this.file, datasetInfo: this.dataset, progress: this.last, history: this.history };
  }
}
