// `textcat train --autotune <duration>`: the options searched within the budget (core/autotune/autotune.ts), each trial on
// stderr as it ends, the chosen model saved as `textcat train` saves one, and the trials beside its metrics.
import { SMALL_SET_ROWS } from '../core/autotune/autotune';
import { autotuneJob } from '../core/autotune/autotuneJob';
import type { AutotuneRecord } from '../core/autotune/autotuneRecord';
import { describeChanges, parseDuration } from '../core/autotune/autotuneSpace';
import type { DatasetSpec } from '../core/jobs';
import type { TrainOptions } from '../core/options';
import type { ModelManifest } from '../core/store/modelStore';
import { TextcatError } from '../core/types';
import { columnSourceWords } from './datasetFlags';
import { HELPER_SCRIPT } from './helperScript';
import { writeErr } from './output';
import { UsageError, type Flag } from './usage';

export const AUTOTUNE_FLAG: Flag = {
  name: 'autotune',
  value: 'duration',
  description:
    'Search embedding size, hidden units, dropout, learning rate, max length, bidirectional and the n-gram path for this long (90s, 5m, 1h), by validation macro-F1, and save the best model; training options given are held fixed',
};

/** The budget in seconds; a duration that is not one is bad usage. */
export function budgetFrom(raw: string, command: string): number {
  try {
    return parseDuration(raw);
  } catch (error) {
    throw error instanceof TextcatError ? new UsageError(`--autotune: ${error.message}`, command) : error;
  }
}

export interface AutotuneRun {
  budgetSeconds: number;
  dataset: DatasetSpec;
  test?: DatasetSpec;
  options: Partial<TrainOptions>;
  /** Options given on the command line: the search leaves them alone. */
  fixed: string[];
  modelDir: string;
  quiet: boolean;
}

export async function autotuneTrain(run: AutotuneRun): Promise<ModelManifest> {
  const say = (text: string) => {
    if (!run.quiet) writeErr(`${clearLine()}${text}\n`);
  };
  const tty = process.stderr.isTTY && !run.quiet;
  let best = 0;
  const { manifest } = await autotuneJob({
    dataset: run.dataset,
    test: run.test,
    options: run.options,
    budgetSeconds: run.budgetSeconds,
    fixed: run.fixed,
    modelDir: run.modelDir,
    helperScript: HELPER_SCRIPT,
    onDatasetLoaded: (loaded, folds) => {
      const classes = new Set(loaded.examples.map((e) => e.label)).size;
      const c = loaded.columns;
      say(
        `${loaded.path}: ${loaded.examples.length} rows, ${classes} classes; text column "${c.text}", label column "${c.label}" (${columnSourceWords(c.source, loaded.format)})`,
      );
      for (const warning of loaded.warnings) say(`warning: ${warning}`);
      say(
        folds > 1
          ? `autotune: ${budgetWords(run.budgetSeconds)}; each trial scored by ${folds}-fold cross-validation (under ${SMALL_SET_ROWS} rows one validation split is too few rows to trust; a trial trains ${folds} times)`
          : `autotune: ${budgetWords(run.budgetSeconds)}; each trial scored on the validation split`,
      );
    },
    onProgress: tty
      ? (trial, fold, p) => {
          const what = trial === 0 ? 'final training' : `trial ${trial}, fold ${fold}`;
          process.stderr.write(`\r\x1b[K${what}  epoch ${p.epoch}/${p.epochs}  batch ${p.batch}/${p.batches}`);
        }
      : undefined,
    onTrial: (trial, _trials, bestIndex) => {
      const improved = bestIndex === trial.index && bestIndex !== best;
      best = bestIndex;
      say(
        `trial ${trial.index}  macro-F1 ${trial.validationMacroF1.toFixed(3)}  ${trial.seconds.toFixed(1)} s  ${describeChanges(trial.changes)}${improved ? '  (best so far)' : ''}`,
      );
    },
    onPassedOver: (changes, seconds) =>
      say(`passed over  ${describeChanges(changes)}: it would likely take ${Math.round(seconds)} s, more than the budget left`),
    onStopped: (why) => say(`stopped: ${why}`),
    onFinalStep: (step) =>
      say(
        step === 'retrain'
          ? 'training the chosen options on every row…'
          : "the model's linear baseline scored higher on validation: scoring the n-gram path alone…",
      ),
  });
  return manifest;
}

const clearLine = () => (process.stderr.isTTY ? '\r\x1b[K' : '');

const budgetWords = (seconds: number) => `budget ${seconds} s`;

/** The trials as a table under the model's metrics, the chosen one starred, and why it was chosen. */
export function autotuneLines(record: AutotuneRecord): string[] {
  const how = record.folds > 1 ? `${record.folds}-fold cross-validation` : 'validation split';
  return [
    `Autotune: ${record.trials.length} trial${record.trials.length === 1 ? '' : 's'} in ${record.seconds.toFixed(0)} s (budget ${record.budgetSeconds} s; macro-F1 by ${how})`,
    '  trial  macro-F1  seconds  changes',
    ...record.trials.map(
      (t) =>
        `${t.index === record.chosen ? '*' : ' '}${String(t.index).padStart(6)}  ${t.validationMacroF1.toFixed(3).padStart(8)}  ${t.seconds.toFixed(1).padStart(7)}  ${describeChanges(t.changes, startWords(record))}`,
    ),
    record.why,
  ];
}

/** The first trial in a word: the defaults, or the options given on the command line. */
function startWords(record: Pick<AutotuneRecord, 'start'>): string {
  return Object.keys(record.start).length ? 'given options' : 'defaults';
}
