// `textcat train`: a labeled dataset to a model folder, with progress on stderr and metrics on stdout.
import { DEFAULT_MODEL_DIR } from '../core/defaults';
import { trainJob } from '../core/jobs';
import { checkModelDestination, type DatasetInfo, type ModelManifest, type WarmStartLineage } from '../core/store/modelStore';
import { FULL_RETRAIN_OPTIONS, WARM_START_DEFAULTS, WarmStartRefused } from '../core/training/warmStart';
import { DEFAULT_OPTIONS, OPTION_SPECS, resolveOptions, type TrainOptions } from '../core/options';
import { baselineVerdict, lstmNote, type SplitScores } from '../core/baseline/verdict';
import type { TrainProgress } from '../core/training/train';
import { TextcatError } from '../core/types';
import { AUTOTUNE_FLAG, autotuneLines, autotuneTrain, budgetFrom } from './autotuneTrain';
import { HELPER_SCRIPT } from './helperScript';
import { exitStatusHelp, type Command } from './command';
import { columnSourceWords, DATASET_FLAGS, DATASETS_HELP, datasetSpec } from './datasetFlags';
import { formatMetrics, pct } from './metricsText';
import { forStdout, writeErr, writeOut } from './output';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'train';
const USAGE = 'train <dataset> [--out <dir>] [--test <file>] [options]';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const RUN_FLAGS: readonly Flag[] = [
  {
    name: 'out',
    short: 'o',
    value: 'dir',
    description: `The model folder: new, empty, or an earlier Textcat model [${DEFAULT_MODEL_DIR}]`,
  },
  { name: 'test', value: 'file', description: 'A held-out dataset (same columns) scored after training' },
  {
    name: 'warm-start',
    description: `Continue from the model in --out (new words and classes get rows of their own) for ${WARM_START_DEFAULTS.epochs} epochs with patience ${WARM_START_DEFAULTS.patience} unless --epochs/--patience say otherwise; refused when there is no model, or when one of ${FULL_RETRAIN_OPTIONS.map((o) => `--${kebab(o)}`).join(', ')} differs from the model's`,
  },
  AUTOTUNE_FLAG,
  ...DATASET_FLAGS,
  { name: 'json', description: 'One JSON object on stdout (labels, options, metrics, history); no progress' },
  { name: 'quiet', description: 'No progress on stderr' },
  HELP_FLAG,
];

/** One flag per training option, from the table the extension's settings also come from (check-labels takes them too). */
export const OPTION_FLAGS: readonly Flag[] = Object.entries(OPTION_SPECS).map(([name, spec]) => {
  const fallback = DEFAULT_OPTIONS[name as keyof TrainOptions];
  return {
    name: kebab(name),
    value: spec.kind === 'boolean' ? undefined : spec.kind === 'enum' ? spec.values.join('|') : spec.kind === 'string' ? 'file' : 'n',
    negatable: spec.kind === 'boolean',
    description: `${spec.description.replace(/\.$/, '')} [${fallback === '' ? 'none' : String(fallback)}]`,
  };
});

const HELP = `Usage: textcat ${USAGE}

${prose(
  'Trains an LSTM classifier on a labeled dataset and saves it to a model folder. Progress goes to stderr, validation (and --test) metrics to stdout. A failed or interrupted run leaves an earlier model as it was.',
)}

${DATASETS_HELP}

Options:
${flagLines(RUN_FLAGS)}

Training options (defaults in brackets):
${flagLines(OPTION_FLAGS)}

Examples:
  textcat train data.csv --test test.csv --out .textcat/model
  textcat train tickets.jsonl --text-column body --label-column queue --epochs 30
  textcat train data.csv --autotune 5m
  textcat train emotions.csv --label-separator ';'
  textcat train data.csv --out .textcat/model --warm-start   # after a few corrections

${exitStatusHelp('A refused --out (a folder of other files) is bad usage.')}`;

export const trainCommand: Command = {
  name: NAME,
  summary: 'Train a model on a labeled dataset and save it to a folder',
  usage: USAGE,
  help: () => HELP,
  run: train,
};

async function train(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, [...RUN_FLAGS, ...OPTION_FLAGS]);
  if (positionals.length === 0) throw new UsageError('train needs a dataset', NAME);
  if (positionals.length > 1) throw new UsageError(`train takes one dataset, got ${positionals.length}: ${positionals.join(' ')}`, NAME);
  const quiet = Boolean(values.quiet || values.json);
  const out = (values.out as string | undefined) ?? DEFAULT_MODEL_DIR;
  const spec = datasetSpec(positionals[0], values, NAME);
  const options = trainOptionsFrom(values);
  const budgetSeconds = values.autotune === undefined ? undefined : budgetFrom(values.autotune as string, NAME);
  if (budgetSeconds !== undefined && values['warm-start']) {
    throw new UsageError('--autotune trains from scratch and --warm-start continues a model: choose one', NAME);
  }
  checkModelDestination(out); // before the dataset is read: a refused --out costs nothing
  if (budgetSeconds !== undefined) {
    const test = values.test ? { ...spec, path: values.test as string } : undefined;
    const tuned = await autotuneTrain({ budgetSeconds, dataset: spec, test, options, fixed: givenOptions(values), modelDir: out, quiet });
    await writeOut(values.json ? `${JSON.stringify(summary(out, tuned))}\n` : `${describe(out, tuned)}\n`);
    return 0;
  }
  const manifest: ModelManifest = await trainJob({
    dataset: spec,
    test: values.test ? { ...spec, path: values.test as string } : undefined,
    options,
    modelDir: out,
    helperScript: HELPER_SCRIPT,
    warmStart: values['warm-start'] ? { mode: 'require', options: warmStartOptions(values) } : undefined,
    onDatasetLoaded: (info, warnings) => {
      if (quiet) return;
      const c = info.columns;
      const how = columnSourceWords(c.source, info.format);
      writeErr(
        `${info.path}: ${info.rows} rows, ${Object.keys(info.classCounts).length} classes${labellingWords(info)}; text column "${c.text}", label column "${c.label}" (${how}${c.confident ? '' : ', unsure: use --text-column/--label-column'})\n`,
      );
      for (const w of warnings) writeErr(`warning: ${w}\n`);
    },
    onProgress: progressReporter(quiet),
  }).catch((error: unknown) => {
    throw error instanceof WarmStartRefused ? new TextcatError(`${error.message} (run without --warm-start)`) : error;
  });
  if (!quiet) for (const w of manifest.warnings ?? []) writeErr(`warning: ${forStdout(w)}\n`);
  await writeOut(values.json ? `${JSON.stringify(summary(out, manifest))}\n` : `${describe(out, manifest)}\n`);
  return 0;
}

/** The warm start's shorter schedule, where the command line does not set its own. */
function warmStartOptions(values: Record<string, unknown>): Partial<TrainOptions> {
  return {
    ...(values.epochs === undefined ? { epochs: WARM_START_DEFAULTS.epochs } : {}),
    ...(values.patience === undefined ? { patience: WARM_START_DEFAULTS.patience } : {}),
  };
}

/** The training options set on the command line (by name), which autotune leaves as they are. */
function givenOptions(values: Record<string, unknown>): string[] {
  return Object.keys(OPTION_SPECS).filter((name) => values[kebab(name)] !== undefined || values[`no-${kebab(name)}`] !== undefined);
}

/** ", multi-label (labels split on "|")" for a multi-label dataset, '' for a single-label one. */
function labellingWords(info: DatasetInfo): string {
  if (!info.multiLabel) return '';
  return info.labelSeparator === undefined ? ', multi-label' : `, multi-label (labels split on ${JSON.stringify(info.labelSeparator)})`;
}

/** Every value is checked against OPTION_SPECS here, so a bad one is bad usage (exit 2) named by its flag. */
export function trainOptionsFrom(values: Record<string, unknown>, command = NAME): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(OPTION_SPECS)) {
    const flag = kebab(name);
    if (spec.kind === 'boolean') {
      if (values[flag]) out[name] = true;
      if (values[`no-${flag}`]) out[name] = false;
      continue;
    }
    const raw = values[flag] as string | undefined;
    if (raw === undefined) continue;
    if (spec.kind === 'string') {
      out[name] = raw;
      continue;
    }
    if (spec.kind === 'enum') {
      if (!spec.values.includes(raw)) throw new UsageError(`--${flag} must be one of ${spec.values.join(', ')}, got "${raw}"`, command);
      out[name] = raw;
      continue;
    }
    const n = Number(raw);
    const what = spec.kind === 'int' ? 'an integer' : 'a number';
    const ok = raw.trim() !== '' && Number.isFinite(n) && (spec.kind === 'number' || Number.isInteger(n));
    if (!ok || n < spec.min || n > spec.max)
      throw new UsageError(`--${flag} must be ${what} from ${spec.min} to ${spec.max}, got "${raw}"`, command);
    out[name] = n;
  }
  try {
    return resolveOptions(out);
  } catch (error) {
    throw error instanceof TextcatError ? new UsageError(error.message, command) : error;
  }
}

function summary(modelDir: string, m: ModelManifest) {
  return {
    modelDir,
    labels: m.labels,
    ...(m.multiLabel ? { multiLabel: true, thresholds: m.thresholds, ...(m.atLeastOneLabel ? { atLeastOneLabel: true } : {}) } : {}),
    ...(m.warnings ? { warnings: m.warnings } : {}),
    options: m.options,
    validation: m.metrics.validation,
    test: m.metrics.test,
    baseline: m.baseline,
    combination: m.combination,
    lstm: m.lstm,
    history: m.history,
    bestEpoch: m.bestEpoch,
    trainSeconds: m.trainSeconds,
    samplesPerSecond: m.samplesPerSecond,
    ...(m.parentRunId ? { parentRunId: m.parentRunId, warmStart: m.warmStart } : {}),
    autotune: m.autotune,
  };
}

function describe(modelDir: string, m: ModelManifest): string {
  const lines = [
    `Model saved to ${forStdout(modelDir)} (best epoch ${m.bestEpoch}${m.stoppedEarly ? ', stopped early' : ''}; ${m.trainSeconds.toFixed(1)} s, ${Math.round(m.samplesPerSecond)} samples/s)`,
  ];
  if (m.parentRunId && m.warmStart) lines.push(lineageLine(m.parentRunId, m.warmStart));
  if (m.metrics.validation) lines.push(formatMetrics('Validation', m.metrics.validation));
  if (m.metrics.test) lines.push(formatMetrics('Test', m.metrics.test));
  lines.push(...baselineLines(m));
  if (m.autotune) lines.push(...autotuneLines(m.autotune));
  return lines.join('\n');
}

function lineageLine(parent: string, w: WarmStartLineage): string {
  const classes = w.newLabels.length ? `, new classes: ${w.newLabels.map((l) => forStdout(l)).join(', ')}` : '';
  const kept = w.keptParent ? '; the fine-tune did not beat the current model on validation, so its weights were kept' : '';
  return `Warm start from run ${forStdout(parent)}: ${w.epochs} epoch(s), ${w.newRows} new row(s), ${w.newWords} new word(s)${classes}${kept}`;
}

/**
 * The baseline's scores and whether the model beats it, said plainly when it does not. With a wide path the model
 * is the LSTM plus the n-grams: the LSTM alone's scores come too, and a sentence when the model relies on the n-grams.
 */
function baselineLines(manifest: ModelManifest): string[] {
  const b = manifest.baseline;
  if (!b) return [];
  const lines = [`Baseline (linear, on word and character n-grams, ${b.trainSeconds.toFixed(1)} s): ${scoreList(b)}`];
  const wide = manifest.combination !== undefined;
  if (wide && manifest.lstm) lines.push(`LSTM alone (weight ${manifest.combination!.lstm} in the model): ${scoreList(manifest.lstm)}`);
  const verdict = baselineVerdict(manifest.metrics, b, manifest.lstm);
  if (!verdict) return lines;
  const model = wide ? 'The model (LSTM + n-grams)' : 'The model';
  const pair = `${verdict.model.toFixed(3)} vs ${verdict.baseline.toFixed(3)} on the ${verdict.set} set`;
  lines.push(
    verdict.beats
      ? `${model} beats the baseline (macro-F1 ${pair}).`
      : verdict.ties
        ? `${model} ties with the linear baseline (macro-F1 ${pair}).`
        : `${model} does not beat the linear baseline (macro-F1 ${pair}).`,
  );
  const note = lstmNote(verdict, manifest.combination);
  if (note?.reason === 'unused') {
    lines.push(`The LSTM alone scores ${note.lstm.toFixed(3)}; on this data the model relies on the n-gram path (LSTM weight 0).`);
  } else if (note) {
    lines.push(`On its own the LSTM scores ${note.lstm.toFixed(3)}, below the baseline (LSTM weight ${note.weight} in the model).`);
  }
  return lines;
}

function scoreList(scores: SplitScores): string {
  const parts = [
    scores.validation && `validation macro-F1 ${scores.validation.macroF1.toFixed(3)}`,
    scores.test && `test macro-F1 ${scores.test.macroF1.toFixed(3)}`,
  ];
  return parts.filter(Boolean).join(', ');
}

function progressReporter(quiet: boolean) {
  const tty = process.stderr.isTTY;
  return (p: TrainProgress) => {
    if (quiet) return;
    const head = `epoch ${p.epoch}/${p.epochs}`;
    const stats = `loss ${p.loss.toFixed(4)} acc ${pct(p.accuracy)}`;
    if (p.epochDone) {
      const validation =
        p.validationLoss === undefined ? '' : `  val_loss ${p.validationLoss.toFixed(4)} val_acc ${pct(p.validationAccuracy)}`;
      const line = `${head}  ${stats}${validation}  ${Math.round(p.samplesPerSecond)} samples/s`;
      process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
    } else if (tty) {
      const width = 24;
      const filled = Math.round((width * p.batch) / p.batches);
      const bar = `[${'='.repeat(filled)}${' '.repeat(width - filled)}]`;
      process.stderr.write(
        `\r\x1b[K${head} ${bar} ${p.batch}/${p.batches}  ${stats}  ${Math.round(p.samplesPerSecond)}/s  ETA ${Math.round(p.etaSeconds)}s`,
      );
    }
  };
}
