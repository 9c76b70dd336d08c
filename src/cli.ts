// textcat: the command-line front end over src/core (train, eval, predict) for scripts, CI and benchmarks.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { evaluateJob, ModelCache, predictLines, trainJob, type DatasetSpec } from './core/jobs';
import type { ModelManifest } from './core/modelStore';
import { DEFAULT_OPTIONS, OPTION_SPECS, type TrainOptions } from './core/options';
import type { TrainProgress } from './core/train';
import { TextcatError, type Metrics } from './core/types';
import { TEXTCAT_VERSION } from './core/modelStore';
import { baselineVerdict } from './core/baseline/verdict';

class UsageError extends Error {}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const DEFAULT_MODEL_DIR = '.textcat/model';

const USAGE = `Usage:
  textcat train <dataset> [--test <file>] [--out <dir>] [--text-column C] [--label-column C] [options]
  textcat eval <model-dir> <dataset> [--text-column C] [--label-column C] [--json]
  textcat predict <model-dir> [file ... | -] [--json]

Datasets: .csv, .tsv, .jsonl, .json (array of objects), fastText .txt (__label__x text), or a folder
with one subfolder per class. Columns are guessed from the header or the data unless given.

Training options (defaults in brackets):
${Object.entries(OPTION_SPECS)
  .map(([name, spec]) => {
    const value = spec.kind === 'enum' ? spec.values.join('|') : spec.kind === 'string' ? 'FILE' : 'N';
    const flag = spec.kind === 'boolean' ? `--[no-]${kebab(name)}` : `--${kebab(name)} ${value}`;
    const fallback = DEFAULT_OPTIONS[name as keyof TrainOptions];
    return `  ${flag.padEnd(30)} ${spec.description} [${fallback === '' ? 'none' : fallback}]`;
  })
  .join('\n')}

  --out <dir>                    Model folder [${DEFAULT_MODEL_DIR}]
  --json                         Machine-readable output
  --quiet                        No progress output

Exit status: 0 success, 1 data or model error, 2 bad usage.`;

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
    if (spec.kind === 'enum' || spec.kind === 'string') out[name] = raw;
    else {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${flag} expects a number, got "${raw}"`);
      out[name] = n;
    }
  }
  return out;
}

function datasetSpec(path: string, values: Record<string, unknown>): DatasetSpec {
  return {
    path,
    format: values.format as DatasetSpec['format'],
    textColumn: values['text-column'] as string | undefined,
    labelColumn: values['label-column'] as string | undefined,
  };
}

const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);

function formatMetrics(title: string, m: Metrics): string {
  const width = Math.max(5, ...m.perClass.map((c) => c.label.length));
  const rows = m.perClass.map(
    (c) =>
      `  ${c.label.padEnd(width)}  ${c.precision.toFixed(3)}  ${c.recall.toFixed(3)}  ${c.f1.toFixed(3)}  ${String(c.support).padStart(7)}`,
  );
  return [
    `${title}: accuracy ${pct(m.accuracy)}, macro-F1 ${m.macroF1.toFixed(3)}, weighted-F1 ${m.weightedF1.toFixed(3)}, ECE ${m.ece.toFixed(3)} (${m.count} rows)`,
    `  ${'class'.padEnd(width)}  prec.  recall  F1     support`,
    ...rows,
  ].join('\n');
}

/** The baseline's scores and whether the model beats it, said plainly when it does not. */
function baselineLines(manifest: ModelManifest): string[] {
  const b = manifest.baseline;
  if (!b) return [];
  const scores = [
    b.validation && `validation macro-F1 ${b.validation.macroF1.toFixed(3)}`,
    b.test && `test macro-F1 ${b.test.macroF1.toFixed(3)}`,
  ];
  const verdict = baselineVerdict(manifest.metrics, b);
  const lines = [`Baseline (linear, on word and character n-grams, ${b.trainSeconds.toFixed(1)} s): ${scores.filter(Boolean).join(', ')}`];
  if (verdict) {
    const pair = `${verdict.model.toFixed(3)} vs ${verdict.baseline.toFixed(3)} on the ${verdict.set} set`;
    lines.push(
      verdict.beats
        ? `The model beats the baseline (macro-F1 ${pair}).`
        : `The model does not beat the linear baseline (macro-F1 ${pair}).`,
    );
  }
  return lines;
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
  const manifest: ModelManifest = await trainJob({
    dataset: spec,
    test: values.test ? { ...spec, path: values.test as string } : undefined,
    options: trainOptionsFrom(values),
    modelDir: out,
    onDatasetLoaded: (info, warnings) => {
      if (quiet) return;
      const c = info.columns;
      const how = { option: 'given', header: 'from the header', data: 'guessed from the data', format: 'from the format' }[c.source];
      process.stderr.write(
        `${info.path}: ${info.rows} rows, ${Object.keys(info.classCounts).length} classes; text column "${c.text}", label column "${c.label}" (${how}${c.confident ? '' : ', unsure: use --text-column/--label-column'})\n`,
      );
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    },
    onProgress: progressReporter(quiet),
  });
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ modelDir: out, labels: manifest.labels, options: manifest.options, validation: manifest.metrics.validation, test: manifest.metrics.test, baseline: manifest.baseline, combination: manifest.combination, history: manifest.history, bestEpoch: manifest.bestEpoch, trainSeconds: manifest.trainSeconds, samplesPerSecond: manifest.samplesPerSecond })}\n`,
    );
    return;
  }
  const lines = [
    `Model saved to ${out} (best epoch ${manifest.bestEpoch}${manifest.stoppedEarly ? ', stopped early' : ''}; ${manifest.trainSeconds.toFixed(1)} s, ${Math.round(manifest.samplesPerSecond)} samples/s)`,
  ];
  if (manifest.metrics.validation) lines.push(formatMetrics('Validation', manifest.metrics.validation));
  if (manifest.metrics.test) lines.push(formatMetrics('Test', manifest.metrics.test));
  lines.push(...baselineLines(manifest));
  process.stdout.write(`${lines.join('\n')}\n`);
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
    process.stdout.write(`${JSON.stringify({ accuracy, macroF1, weightedF1, ece, labels, perClass, confusion, unknownLabels })}\n`);
    return;
  }
  for (const label of unknownLabels)
    process.stderr.write(`warning: label "${label}" is not one the model knows; its rows count as errors\n`);
  process.stdout.write(`${formatMetrics(`Evaluation on ${positionals[1]}`, metrics)}\n`);
}

async function* inputLines(sources: string[]): AsyncGenerator<{ source: string; line: number; text: string }> {
  for (const source of sources.length ? sources : ['-']) {
    if (source !== '-' && !fs.existsSync(source)) throw new TextcatError('no such file', source);
    const stream = source === '-' ? process.stdin : fs.createReadStream(source, 'utf8');
    let line = 0;
    for await (const text of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      line++;
      yield { source, line, text };
    }
  }
}

async function commandPredict(args: string[]): Promise<void> {
  const { values: parsed, positionals } = parse(args, commonFlags());
  const values = parsed as Record<string, unknown>;
  if (positionals.length < 1) throw new UsageError('predict takes a model folder, then files (or - for standard input)');
  const [modelDir, ...sources] = positionals;
  const models = new ModelCache();
  const model = await models.get(modelDir);
  const pending: { source: string; line: number; text: string }[] = [];
  const flush = async () => {
    const predictions = await predictLines(
      model,
      pending.map((p) => p.text),
      models.predictor(model),
    );
    const out = pending.map((p, i) => {
      const { label, confidence, probabilities } = predictions[i];
      if (!values.json) return `${p.line}\t${label}\t${confidence.toFixed(3)}\t${p.text}`;
      const probs = Object.fromEntries(model.labels.map((l, k) => [l, Number(probabilities[k].toFixed(6))]));
      return JSON.stringify({
        ...(sources.length > 1 ? { file: p.source } : {}),
        line: p.line,
        label,
        confidence: Number(confidence.toFixed(6)),
        probabilities: probs,
      });
    });
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
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
      case '--version':
      case '-v':
        process.stdout.write(`${TEXTCAT_VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`textcat: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof TextcatError) {
      process.stderr.write(`textcat: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`textcat: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(70);
    },
  );
}
