// The curves of the training run in progress, as the sidebar draws them: every epoch's report and a thinned
// series of batch reports (progress arrives once per batch; the page needs a few hundred points at most).
import * as vscode from 'vscode';
import type { TrainProgress } from '../../protocol/types';
import type { CurvePoint, LiveTraining } from '../../protocol/webview';
import type { TrainingState } from '../model/modelState';

/** Batch points kept; beyond it every other point is dropped and the stride doubles. */
const MAX_BATCH_POINTS = 400;

type Training = Extract<TrainingState, { kind: 'training' }>;

export class LiveCurves {
  private readonly epochs: TrainProgress[] = [];
  private readonly batches: CurvePoint[] = [];
  private stride = 1;
  private seen = 0;

  record(training: Training): void {
    const p = training.progress;
    if (!p) return;
    if (p.epochDone) {
      if (!this.epochs.some((e) => e.epoch === p.epoch)) this.epochs.push(p);
      return;
    }
    if (this.seen++ % this.stride !== 0) return;
    this.batches.push({ x: p.epoch - 1 + p.batch / Math.max(1, p.batches), loss: p.loss, accuracy: p.accuracy });
    if (this.batches.length > MAX_BATCH_POINTS) {
      const kept = this.batches.filter((_, i) => i % 2 === 1);
      this.batches.splice(0, this.batches.length, ...kept);
      this.stride *= 2;
    }
  }

  state(training: Training): LiveTraining {
    // The training command may keep the epoch reports itself (from before this view existed); prefer them.
    const kept = training.history.filter((p) => p.epochDone);
    return {
      dataset: vscode.workspace.asRelativePath(training.dataset),
      datasetInfo: training.datasetInfo,
      progress: training.progress,
      epochs: kept.length >= this.epochs.length ? kept : [...this.epochs],
      batches: [...this.batches],
    };
  }
}
