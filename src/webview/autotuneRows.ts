// The Autotune section's data, before any DOM: which run to show (this window's live one, else the current model's
// saved search), and each trial's row with its status and the reason for it. No DOM, no l10n: unit-tested as it is.
import type { AutotuneRecord, TrainOptions } from '../protocol/types';
import type { AutotuneView, MetricsViewState } from '../protocol/webview';

export type TrialStatus =
  /** The best trial (so far while the search runs; the chosen one once done). */
  | { kind: 'best' }
  /** It scored above every trial before it, and a later one scored above it. */
  | { kind: 'kept'; beatenBy: number }
  /** It scored no higher than `against`, the best trial before it. */
  | { kind: 'discarded'; against: { index: number; macroF1: number } }
  | { kind: 'running'; fold?: number; folds?: number }
  /** It was training when the run was cancelled or failed. */
  | { kind: 'cancelled' }
  /** The budget left no time for it (`why` is the search's own words). */
  | { kind: 'skipped'; why: string };

export interface TrialRow {
  /** Absent for a configuration that was never run (skipped). */
  index?: number;
  /** What it changed from the starting options ({} for the starting options themselves). */
  changes: Partial<TrainOptions>;
  macroF1?: number;
  seconds?: number;
  status: TrialStatus;
}

/** The run the section shows: this window's (live, or over while its model is current), else the model's saved search. */
export function autotuneShown(state: MetricsViewState): AutotuneView | undefined {
  if (state.autotune) return state.autotune;
  const record = state.model?.autotune;
  return record && state.model ? recordView(record, state.model.dataset.path, state.model.runId) : undefined;
}

/** A saved search as a finished run. */
export function recordView(record: AutotuneRecord, dataset: string, runId: string): AutotuneView {
  return {
    dataset,
    budgetSeconds: record.budgetSeconds,
    phase: 'done',
    folds: record.folds,
    start: record.start,
    trials: record.trials,
    best: record.chosen,
    stopped: { why: record.stopped },
    record,
    runId,
  };
}

export function trialRows(view: AutotuneView): TrialRow[] {
  const trials = [...view.trials].sort((a, b) => a.index - b.index);
  // The best trial before each one, and which later trial first scored above each best so far.
  const rows: TrialRow[] = [];
  let leader: { index: number; macroF1: number } | undefined;
  const beatenBy = new Map<number, number>();
  const leaderBefore = new Map<number, { index: number; macroF1: number }>();
  for (const t of trials) {
    // Strictly above, as the search keeps a trial: a tie keeps the earlier one.
    if (!leader || t.validationMacroF1 > leader.macroF1) {
      if (leader) beatenBy.set(leader.index, t.index);
      leader = { index: t.index, macroF1: t.validationMacroF1 };
    } else {
      leaderBefore.set(t.index, leader);
    }
  }
  const best = view.best ?? leader?.index;
  for (const t of trials) {
    const against = leaderBefore.get(t.index);
    const status: TrialStatus =
      t.index === best
        ? { kind: 'best' }
        : against
          ? { kind: 'discarded', against }
          : { kind: 'kept', beatenBy: beatenBy.get(t.index) ?? best ?? t.index };
    rows.push({ index: t.index, changes: t.changes, macroF1: t.validationMacroF1, seconds: t.seconds, status });
  }
  if (view.running) {
    const status: TrialStatus =
      view.phase === 'running'
        ? { kind: 'running', ...(view.folds && view.folds > 1 ? { fold: view.running.fold ?? 1, folds: view.folds } : {}) }
        : { kind: 'cancelled' };
    rows.push({ index: view.running.index, changes: view.running.changes, status });
  }
  if (view.stopped?.skipped) rows.push({ changes: view.stopped.skipped, status: { kind: 'skipped', why: view.stopped.why } });
  return rows;
}
