// textcat: the command-line front end over src/core (train, eval, predict) for scripts, CI and benchmarks.
// Exit status: 0 success (or standard output closed by its reader), 1 a data, model or file-system problem,
// 2 bad usage (including a refused --out), 130/143 interrupted, 70 a bug.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { inputLines, type InputLine } from './cli/inputLines';
import { escapeControls, forStdout, guardStandardStreams, OutputClosed, writeErr, writeOut } from './cli/output';
import { DEFAULT_MODEL_DIR } from './core/defaults';
import { percentOr } from './core/format/percent';
import { fileSystemError } from './core/fsErrors';
import { evaluateJob, ModelCache, predictLines, trainJob, type DatasetSpec } from './core/jobs';
import { checkModelDestination, type ModelManifest } from './core/modelStore';
import { DEFAULT_OPTIONS, OPTION_SPECS, resolveOptions, type TrainOptions } from './core/options';
import type { TrainProgress } from './core/train';
import { DATASET_FORMATS, DestinationError, TextcatError, type Metrics } from './core/types';
import { TEXTCAT_VERSION } from './core/version';
import { EXPORT_USAGE, exportCommand } from './cli/exportCommand';

class UsageError extends Error {}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const USAGE = `Usage:
  textcat train <dataset> [--test <file>] [--out <dir>] [--text-column C] [--label-column C] [options]
  textcat eval <model-dir> <dataset> [--text-column C] [--label-column C] [--json]
  textcat predict <model-dir> [file ... | -] [--json]
  ${EXPORT_USAGE}

Datasets: .csv, .tsv, .jsonl, .json (array of objects), fastText .txt (__label__x text), or a folder
with one subfolder per class. Columns are guessed from the header or the data unless given.

Training options (defaults in brackets):
${Object.entries(OPTION_SPECS)
  .map(([name, spec]) => {
    const flag =
      spec.kind === 'boolean' ? `--[no-]${kebab(name)}` : `--${kebab(name)} ${spec.kind === 'enum' ? spec.values.join('|') : 'N'}`;
    return `  ${flag.padEnd(30)} ${spec.description} [${DEFAULT_OPTIONS[name as keyof TrainOptions]}]`;
  })
  .join('\n')}

  --out <dir>                    Model folder [${DEFAULT_MODEL_DIR}]
  --json                         Machine-readable output
  --quiet                        No progress output

Exit status: 0 success, 1 data, model or file error, 2 bad usage, 130/143 interrupted.`;

function commonFlags(): ParseArgsConfig['options'] {
  return {
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    'text-column': { type: 'string' },
    'label-column': { type: 'string' },
    format: { type: 'string' },
  };
}

function trainFlags(): ParseArgsConfig['options'] {
  const flags: NonNullable<ParseArgsConfig['options']> = {
    ...commonFlags(),
    test: { type: 'string' },
    out: { type: 'string', short: 'o' },
  };
  for (const [name, spec] of Object.entries(OPTION_SPECS)) {
    flags[kebab(name)] = { type: spec.kind === 'boolean' ? 'boolean' : 'string' };
    if (spec.kind === 'boolean') flags[`no-${kebab(name)}`] = { type: 'boolean' };
  }
  return flags;
}

function parse(args: string[], options: ParseArgsConfig['options']) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Every value is checked against OPTION_SPECS here, so a bad one is bad usage (exit 2) named by its flag. */
function trainOptionsFrom(values: Record<string, unknown>): Partial<TrainOptions> {
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
    if (spec.kind === 'enum') {
      if (!spec.values.includes(raw)) throw new UsageError(`--${flag} must be one of ${spec.values.join(', ')}, got "${raw}"`);
      out[name] = raw;
      continue;
    }
    const n = Number(raw);
    const what = spec.kind === 'int' ? 'an integer' : 'a number';
    const ok = raw.trim() !== '' && Number.isFinite(n) && (spec.kind === 'number' || Number.isInteger(n));
    if (!ok || n < spec.min || n > spec.max)
      throw new UsageError(`--${flag} must be ${what} from ${spec.min} to ${spec.max}, got "${raw}"`);
    out[name] = n;
  }
  try {
    return resolveOptions(out);
  } catch (error) {
    throw error instanceof TextcatError ? new UsageError(error.message) : error;
  }
}

function datasetSpec(path: string, values: Record<string, unknown>): DatasetSpec {
  const format = values.format as string | undefined;
  if (format !== undefined && !DATASET_FORMATS.some((f) => f === format)) {
    throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')}, got "${format}"`);
  }
  return {
    path,
    format: format as DatasetSpec['format'],
    textColumn: values['text-column'] as string | undefined,
    labelColumn: values['label-column'] as string | undefined,
  };
}

const pct = (x: number | undefined) => percentOr(x, 1, '-');

function formatMetrics(title: string, m: Metrics): string {
  const labels = m.perClass.map((c) => forStdout(c.label));
  const width = Math.max(5, ...labels.map((l) => l.length));
  const rows = m.perClass.map(
    (c, i) =>
      `  ${labels[i].padEnd(width)}  ${c.precision.toFixed(3)}  ${c.recall.toFixed(3)}  ${c.f1.toFixed(3)}  ${String(c.support).padStart(7)}`,
  );
  return [
    `${title}: accuracy ${pct(m.accuracy)}, macro-F1 ${m.macroF1.toFixed(3)}, weighted-F1 ${m.weightedF1.toFixed(3)}, ECE ${m.ece.toFixed(3)} (${m.count} rows)`,
    `  ${'class'.padEnd(width)}  prec.  recall  F1     support`,
    ...rows,
  ].join('\n');
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

async function commandTrain(args: string[]): Promise<void> {
  const { values: parsed, positionals } = parse(args, trainFlags());
  const values = parsed as Record<string, unknown>;
  if (positionals.length !== 1) throw new UsageError('train takes exactly one dataset');
  const quiet = Boolean(values.quiet || values.json);
  const out = (values.out as string | undefined) ?? DEFAULT_MODEL_DIR;
  const spec = datasetSpec(positionals[0], values);
  const options = trainOptionsFrom(values);
  checkModelDestination(out); // before the dataset is read: a refused --out costs nothing
  const manifest: ModelManifest = await trainJob({
    dataset: spec,
    test: values.test ? { ...spec, path: values.test as string } : undefined,
    options,
    modelDir: out,
    onDatasetLoaded: (info, warnings) => {
      if (quiet) return;
      const c = info.columns;
      const how = { option: 'given', header: 'from the header', data: 'guessed from the data', format: 'from the format' }[c.source];
      writeErr(
        `${info.path}: ${info.rows} rows, ${Object.keys(info.classCounts).length} classes; text column "${c.text}", label column "${c.label}" (${how}${c.confident ? '' : ', unsure: use --text-column/--label-column'})\n`,
      );
      for (const w of warnings) writeErr(`warning: ${w}\n`);
    },
    onProgress: progressReporter(quiet),
  });
  if (values.json) {
    await writeOut(
      `${JSON.stringify({ modelDir: out, labels: manifest.labels, options: manifest.options, validation: manifest.metrics.validation, test: manifest.metrics.test, history: manifest.history, bestEpoch: manifest.bestEpoch, trainSeconds: manifest.trainSeconds, samplesPerSecond: manifest.samplesPerSecond })}\n`,
    );
    return;
  }
  const lines = [
    `Model saved to ${forStdout(out)} (best epoch ${manifest.bestEpoch}${manifest.stoppedEarly ? ', stopped early' : ''}; ${manifest.trainSeconds.toFixed(1)} s, ${Math.round(manifest.samplesPerSecond)} samples/s)`,
  ];
  if (manifest.metrics.validation) lines.push(formatMetrics('Validation', manifest.metrics.validation));
  if (manifest.metrics.test) lines.push(formatMetrics('Test', manifest.metrics.test));
  await writeOut(`${lines.join('\n')}\n`);
}

async function commandEval(args: string[]): Promise<void> {
  const { values: parsed, positionals } = parse(args, commonFlags());
  const values = parsed as Record<string, unknown>;
  if (positionals.length !== 2) throw new UsageError('eval takes a model folder and a dataset');
  const models = new ModelCache();
  const model = await models.get(positionals[0]);
  const { metrics, unknownLabels } = await evaluateJob(model, datasetSpec(positionals[1], values), models.predictor(model)).finally(() =>
    models.dispose(),
  );
  if (values.json) {
    const { accuracy, macroF1, weightedF1, perClass, confusion, labels, ece } = metrics;
    await writeOut(`${JSON.stringify({ accuracy, macroF1, weightedF1, ece, labels, perClass, confusion, unknownLabels })}\n`);
    return;
  }
  for (const label of unknownLabels) writeErr(`warning: label "${label}" is not one the model knows; its rows count as errors\n`);
  await writeOut(`${formatMetrics(`Evaluation on ${forStdout(positionals[1])}`, metrics)}\n`);
}

async function commandPredict(args: string[]): Promise<void> {
  const { values: parsed, positionals } = parse(args, commonFlags());
  const values = parsed as Record<string, unknown>;
  if (positionals.length < 1) throw new UsageError('predict takes a model folder, then files (or - for standard input)');
  const [modelDir, ...sources] = positionals;
  const models = new ModelCache();
  const model = await models.get(modelDir);
  const pending: InputLine[] = [];
  const flush = async () => {
    const predictions = await predictLines(
      model,
      pending.map((p) => p.text),
      models.predictor(model),
    );
    const out = pending.map((p, i) => {
      const { label, confidence, probabilities } = predictions[i];
      if (!values.json) return `${p.line}\t${forStdout(label)}\t${confidence.toFixed(3)}\t${forStdout(p.text)}`;
      const probs = Object.fromEntries(model.labels.map((l, k) => [l, Number(probabilities[k].toFixed(6))]));
      return JSON.stringify({
        ...(sources.length > 1 ? { file: p.source } : {}),
        line: p.line,
        label,
        confidence: Number(confidence.toFixed(6)),
        probabilities: probs,
      });
    });
    if (out.length) await writeOut(`${out.join('\n')}\n`);
    pending.length = 0;
  };
  try {
    for await (const item of inputLines(sources)) {
      if (item.text.trim() === '') continue; // skipped, but the line numbers still count it
      pending.push(item);
      if (pending.length >= 1024) await flush();
    }
    await flush();
  } finally {
    await models.dispose();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        await commandTrain(rest);
        return 0;
      case 'eval':
        await commandEval(rest);
        return 0;
      case 'predict':
        await commandPredict(rest);
        return 0;
      case 'export':
        return await exportCommand(rest);
      case '--version':
      case '-v':
        await writeOut(`${TEXTCAT_VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        await writeOut(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return report(error);
  }
}

/** The exit status for an error a user can cause, after saying what it was; anything else is a bug. */
function report(error: unknown): number {
  if (error instanceof OutputClosed) return 0;
  if (error instanceof UsageError) {
    writeErr(`textcat: ${error.message}\n\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  // A file-system error no layer below converted still names its path.
  const problem = fileSystemError(error, (error as NodeJS.ErrnoException).path ?? 'a file');
  if (problem instanceof TextcatError) {
    writeErr(`textcat: ${problem.message}\n`);
    return problem instanceof DestinationError ? 2 : 1;
  }
  throw error;
}

/** SIGINT/SIGTERM end the run with the shell's codes. A model save is synchronous (modelFolder.ts), so this runs before or after it, never in the middle. */
function exitOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.exit(code);
    });
  }
}

if (require.main === module) {
  guardStandardStreams();
  exitOnSignals();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `textcat: internal error (please report it): ${escapeControls(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
      );
      process.exit(70);
    },
  );
}
