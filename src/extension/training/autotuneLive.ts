// What a Train with Autotune run has told so far, as the sidebar draws it (AutotuneView): each worker event folded
// into the view, and the figures the progress notification shows. Plain data, no vscode: unit-tested as it is.
import { MAX_BUDGET_SECONDS, parseDuration } from '../../core/autotune/autotuneSpace';
import type { AutotuneRecord, TrainOptions } from '../../protocol/types';
import type { AutotuneView } from '../../protocol/webview';
import type { AutotuneEvent } from '../../protocol/worker';

export function startView(dataset: string, budgetSeconds: number, start: Partial<TrainOptions>): AutotuneView {
  return { dataset, budgetSeconds, phase: 'running', start, trials: [], secondsLeft: budgetSeconds };
}

/** The view after `event`, `elapsedSeconds` into the run (a new object: the old one may still be on its way to the page). */
export function applyEvent(view: AutotuneView, event: AutotuneEvent, elapsedSeconds: number): AutotuneView {
  const next: AutotuneView = { ...view, secondsLeft: Math.max(0, view.budgetSeconds - elapsedSeconds) };
  switch (event.kind) {
    case 'started':
      return { ...next, rows: event.rows, folds: event.folds, start: event.start };
    case 'trialStarted':
      return { ...next, running: { index: event.index, changes: event.changes } };
    case 'progress':
      // Trial 0 is the final training on every row: the running trial stays as the finalStep says.
      if (event.trial === 0 || !next.running || next.running.index !== event.trial) return next;
      return next.running.fold === event.fold ? next : { ...next, running: { ...next.running, fold: event.fold } };
    case 'trialEnded':
      return {
        ...next,
        trials: [...view.trials.filter((t) => t.index !== event.trial.index), event.trial],
        best: event.best,
        running: undefined,
      };
    case 'stopped':
      return { ...next, running: undefined, stopped: { why: event.why, ...(event.skipped ? { skipped: event.skipped } : {}) } };
    case 'finalStep':
      return { ...next, finalStep: event.step };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** The run's end: the model saved with `record` (the trials as the model keeps them). */
export function finishView(view: AutotuneView, record: AutotuneRecord, runId: string): AutotuneView {
  return { ...view, phase: 'done', trials: record.trials, best: record.chosen, record, runId, running: undefined, secondsLeft: undefined };
}

/** Cancelled or failed: the trials that ran stay listed, and so does the one that was running (it shows as cancelled). */
export function endView(view: AutotuneView, phase: 'cancelled' | 'failed'): AutotuneView {
  return { ...view, phase, secondsLeft: undefined };
}

/** The best trial's validation macro-F1 so far, if any trial has ended. */
export function bestScore(view: AutotuneView): number | undefined {
  return view.trials.find((t) => t.index === view.best)?.validationMacroF1;
}

/** Minutes and seconds as a clock shows them: 70 → "1:10", 5 → "0:05", 3725 → "62:05". */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** A score in [0, 1] as ".842" (three places, no leading zero: short enough for a progress line); 1 → "1.000". */
export function bareScore(value: number): string {
  const text = value.toFixed(3);
  return text.startsWith('0.') ? text.slice(1) : text;
}

/** A budget in words for a title: 60 → "1 min", 90 → "90 s", 3600 → "60 min". */
export function budgetText(seconds: number): { value: number; unit: 'min' | 's' } {
  return seconds % 60 === 0 ? { value: seconds / 60, unit: 'min' } : { value: seconds, unit: 's' };
}

/** A typed or passed budget in seconds: a duration ("90s", "5m") or a number of seconds; undefined when it is neither. */
export function budgetSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 1 && value <= MAX_BUDGET_SECONDS ? value : undefined;
  if (typeof value !== 'string') return undefined;
  try {
    return parseDuration(value);
  } catch {
    return undefined;
  }
}
