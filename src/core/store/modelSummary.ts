// What a user interface reads of a model folder: textcat.json checked as the loader checks it (labels, shape,
// options, tokenizer — the same code and limits as the CLI and the worker), then every field a UI shows checked
// for its type, so that a cloned repository's manifest cannot hand the extension host or the sidebar a string
// where a number goes, a confusion matrix of the wrong size, or a million validation examples. What is only
// informative and malformed is dropped; what the UI cannot do without (the run id, the dataset) is refused.
// The tokenizer (vocabulary and n-gram hashes, most of the file) stays here: only the worker needs it.
import type { AutotuneRecord, AutotuneTrial } from '../autotune/autotuneRecord';
import { MAX_CLASSES } from '../defaults';
import { OPTION_SPECS } from '../options';
import type { EpochRecord } from '../training/train';
import { FORMAT_VERSION, MAX_RUNS_KEPT, MAX_VALIDATION_EXAMPLES_KEPT } from './modelFolder';
import { checkManifest, isRecord, parseManifestFile } from './modelLoader';
import type { DatasetInfo, ModelManifest, RunSummary, WarmStartLineage } from './modelStore';
import { TEXTCAT_VERSION } from '../version';
import { DATASET_FORMATS, TextcatError, type ClassMetrics, type Metrics, type MultiLabelScores, type ReliabilityBin } from '../types';

/** A model's manifest as a UI sees it: everything but the tokenizer and the split record (both large, for the worker only). */
export type ModelSummary = Omit<ModelManifest, 'tokenizer' | 'split'>;

const MAX_HISTORY = 10_000;
/** Any one string a UI shows (a path, an example's text, a label: training reads labels of any length). */
const MAX_STRING = 65_536;
/** A label separator is a character or a few; a longer one is not one a reader used. */
const MAX_SEPARATOR = 16;

/** Reads and checks `dir`/textcat.json; throws a TextcatError naming the file for what cannot be shown. */
export function readModelSummary(dir: string): ModelSummary {
  const { manifest: raw, file } = parseManifestFile(dir);
  const checked = checkManifest(raw, file, { current: FORMAT_VERSION, textcatVersion: TEXTCAT_VERSION });
  const m = checked.manifest;
  const refuse = (why: string): never => {
    throw new TextcatError(`${why}; the model is damaged, train it again`, file);
  };
  const runId = string(m.runId) ?? refuse('"runId" must be a string');
  const dataset = datasetInfo(m.dataset) ?? refuse('"dataset" must say which file the model was trained on (path, format, columns)');
  const labels = checked.labels;
  const labelSet = new Set(labels);
  const metricsField = isRecord(m.metrics) ? m.metrics : {};
  return {
    formatVersion: checked.formatVersion,
    textcatVersion: string(m.textcatVersion) ?? '',
    tfjsVersion: string(m.tfjsVersion) ?? '',
    createdAt: string(m.createdAt) ?? '',
    runId,
    labels,
    // Checked by checkManifest: present together, one threshold per label, each in (0, 1).
    ...(checked.thresholds ? { multiLabel: true, thresholds: checked.thresholds } : {}),
    ...(checked.atLeastOneLabel ? { atLeastOneLabel: true } : {}),
    ...(m.warnings === undefined ? {} : { warnings: listOf(m.warnings, string, 100) }),
    shape: checked.shape,
    options: checked.options,
    dataset,
    metrics: { validation: metrics(metricsField.validation, labels), test: metrics(metricsField.test, labels) },
    ...optional('baseline', m.baseline),
    ...optional('combination', m.combination),
    ...optional('lstm', m.lstm),
    ...optional('pretrained', m.pretrained),
    ...autotuneField(m.autotune),
    history: listOf(m.history, epochRecord, MAX_HISTORY),
    bestEpoch: count(m.bestEpoch) ?? 0,
    stoppedEarly: m.stoppedEarly === true,
    trainSeconds: finite(m.trainSeconds) ?? 0,
    samplesPerSecond: finite(m.samplesPerSecond) ?? 0,
    validationExamples: listOf(
      m.validationExamples,
      (e) => (checked.thresholds ? multiLabelExample(e, labelSet) : validationExample(e, labelSet)),
      MAX_VALIDATION_EXAMPLES_KEPT,
    ),
    runs: listOf(m.runs, runSummary, MAX_RUNS_KEPT),
    ...lineage(m),
  };
}

/** A fine-tune's parent and what it added; dropped (the run shows as trained from scratch) when malformed. */
function lineage(value: Record<string, unknown>): Pick<RunSummary, 'parentRunId' | 'warmStart'> {
  const parentRunId = string(value.parentRunId);
  const warm = warmStartLineage(value.warmStart);
  return parentRunId && warm ? { parentRunId, warmStart: warm } : {};
}

function warmStartLineage(value: unknown): WarmStartLineage | undefined {
  if (!isRecord(value)) return undefined;
  const [epochs, newRows, newWords] = [value.epochs, value.newRows, value.newWords].map(count);
  if (epochs === undefined || newRows === undefined || newWords === undefined) return undefined;
  const newLabels =
    Array.isArray(value.newLabels) && value.newLabels.length <= MAX_CLASSES ? listOf(value.newLabels, string, MAX_CLASSES) : [];
  return { epochs, newRows, newWords, newLabels, ...(value.keptParent === true ? { keptParent: true } : {}) };
}

/** What the trainer writes in these is a few hundred bytes; more is not a Textcat model's. */
const MAX_OPTIONAL_FIELD_CHARS = 64 * 1024;

/**
 * The sidebar reads these through its own validators (baseline/verdict.ts); here they must be objects of the
 * size the trainer writes, so that nothing large travels to the page on every state change.
 */
function optional<K extends 'baseline' | 'combination' | 'lstm' | 'pretrained'>(key: K, value: unknown): Partial<ModelSummary> {
  return isRecord(value) && JSON.stringify(value).length <= MAX_OPTIONAL_FIELD_CHARS ? { [key]: value } : {};
}

/** More trials than one search runs (core/autotune/autotune.ts MAX_TRIALS) are not a Textcat search's. */
const MAX_AUTOTUNE_TRIALS = 100;

/** The autotune record when every part of it is what the search writes; informative only, so otherwise dropped. */
function autotuneField(value: unknown): Pick<ModelSummary, 'autotune'> {
  if (!isRecord(value) || !Array.isArray(value.trials) || value.trials.length > MAX_AUTOTUNE_TRIALS) return {};
  const trials = value.trials.map(autotuneTrial);
  const start = optionChanges(value.start);
  const [budgetSeconds, seconds] = [value.budgetSeconds, value.seconds].map(finite);
  const [seed, folds, chosen] = [value.seed, value.folds, value.chosen].map(count);
  const [stopped, why] = [value.stopped, value.why].map(string);
  const final = value.final === 'trial' || value.final === 'retrained' ? value.final : undefined;
  const ok = (trial: AutotuneTrial | undefined, i: number) => trial?.index === i + 1;
  if (!trials.every(ok) || budgetSeconds === undefined || seconds === undefined || seed === undefined || folds === undefined) return {};
  if (chosen === undefined || chosen < 1 || chosen > trials.length || stopped === undefined || why === undefined || !final || !start)
    return {};
  const record: AutotuneRecord = {
    budgetSeconds,
    seconds,
    start,
    seed,
    folds,
    trials: trials as AutotuneTrial[],
    chosen,
    final,
    stopped,
    why,
  };
  return { autotune: value.ngramOnly === true ? { ...record, ngramOnly: true } : record };
}

function autotuneTrial(value: unknown): AutotuneTrial | undefined {
  if (!isRecord(value)) return undefined;
  const index = count(value.index);
  const [validationMacroF1, validationAccuracy, seconds] = [value.validationMacroF1, value.validationAccuracy, value.seconds].map(finite);
  const changes = optionChanges(value.changes);
  if (index === undefined || validationMacroF1 === undefined || validationAccuracy === undefined || seconds === undefined || !changes)
    return undefined;
  return { index, changes, validationMacroF1, validationAccuracy, seconds };
}

/** Training options by name, each with a value of its kind (a number, a boolean, a short string). */
function optionChanges(value: unknown): AutotuneTrial['changes'] | undefined {
  if (!isRecord(value)) return undefined;
  const changes: Record<string, unknown> = {};
  for (const [name, change] of Object.entries(value)) {
    const spec = Object.hasOwn(OPTION_SPECS, name) ? OPTION_SPECS[name as keyof typeof OPTION_SPECS] : undefined;
    const fits =
      spec?.kind === 'boolean'
        ? typeof change === 'boolean'
        : spec?.kind === 'int' || spec?.kind === 'number'
          ? finite(change) !== undefined
          : spec !== undefined && typeof change === 'string' && change.length <= 1000;
    if (!fits) return undefined;
    changes[name] = change;
  }
  return changes;
}

function datasetInfo(value: unknown): DatasetInfo | undefined {
  if (!isRecord(value) || !isRecord(value.columns)) return undefined;
  const path = string(value.path);
  const format = (DATASET_FORMATS as readonly unknown[]).includes(value.format) ? (value.format as DatasetInfo['format']) : undefined;
  const text = string(value.columns.text);
  const label = string(value.columns.label);
  if (!path || !format || text === undefined || label === undefined) return undefined;
  const classCounts: Record<string, number> = {};
  const counts = isRecord(value.classCounts) ? Object.entries(value.classCounts).slice(0, MAX_CLASSES) : [];
  for (const [name, n] of counts) if (count(n) !== undefined) Object.defineProperty(classCounts, name, { value: n, enumerable: true });
  const histogram = isRecord(value.lengthHistogram) ? value.lengthHistogram : {};
  const source = value.columns.source;
  // Only `true` counts, and a separator only beside it: a single-label summary has neither key.
  const separator = string(value.labelSeparator);
  const labelling =
    value.multiLabel === true
      ? { multiLabel: true, ...(separator && separator.length <= MAX_SEPARATOR ? { labelSeparator: separator } : {}) }
      : {};
  return {
    path,
    format,
    columns: {
      text,
      label,
      source: source === 'option' || source === 'header' || source === 'data' || source === 'format' ? source : 'data',
      confident: value.columns.confident === true,
      available: listOf(value.columns.available, string, 1000),
    },
    rows: count(value.rows) ?? 0,
    classCounts,
    ...labelling,
    sha256: string(value.sha256) ?? '',
    lengthHistogram: { binWidth: count(histogram.binWidth) ?? 5, counts: listOf(histogram.counts, count, 1000) },
    warnings: listOf(value.warnings, string, 100),
  };
}

/**
 * Metrics over the model's labels, in order, then the labels a test file had that training never saw (as
 * core/training/train.ts evaluates), each once, with a square confusion matrix of their size; anything else is dropped.
 */
function metrics(value: unknown, modelLabels: readonly string[]): Metrics | undefined {
  if (!isRecord(value)) return undefined;
  const labels = listOf(value.labels, string, 2 * MAX_CLASSES + 1);
  if (labels.length < modelLabels.length || labels.length > 2 * MAX_CLASSES) return undefined;
  if (modelLabels.some((l, i) => labels[i] !== l) || new Set(labels).size !== labels.length) return undefined;
  const n = labels.length;
  const confusion = Array.isArray(value.confusion) ? value.confusion : [];
  const rowsOk =
    confusion.length === n && confusion.every((row) => Array.isArray(row) && row.length === n && row.every((c) => count(c) !== undefined));
  const perClass = listOf(value.perClass, classMetrics, n);
  const numbers = [value.accuracy, value.macroF1, value.weightedF1, value.ece].map(finite);
  if (!rowsOk || numbers.some((x) => x === undefined) || count(value.count) === undefined) return undefined;
  const [accuracy, macroF1, weightedF1, ece] = numbers as number[];
  const multiLabel = multiLabelScores(value.multiLabel, n);
  return {
    accuracy,
    macroF1,
    weightedF1,
    perClass,
    confusion: confusion as number[][],
    labels,
    ece,
    reliability: listOf(value.reliability, reliabilityBin, 100),
    count: value.count as number,
    ...(multiLabel ? { multiLabel } : {}),
  };
}

/** A multi-label model's extra scores over `n` labels: every figure a number, every list `n` long; else dropped. */
function multiLabelScores(value: unknown, n: number): MultiLabelScores | undefined {
  if (!isRecord(value)) return undefined;
  const figures = [value.microF1, value.samplesF1, value.subsetAccuracy, value.hammingLoss].map(finite);
  const thresholds = Array.isArray(value.thresholds) && value.thresholds.length === n ? listOf(value.thresholds, finite, n) : [];
  const missed = Array.isArray(value.missed) && value.missed.length === n ? listOf(value.missed, count, n) : [];
  const falseAlarms = Array.isArray(value.falseAlarms) && value.falseAlarms.length === n ? listOf(value.falseAlarms, count, n) : [];
  if (figures.some((x) => x === undefined) || [thresholds, missed, falseAlarms].some((list) => list.length !== n)) return undefined;
  const [microF1, samplesF1, subsetAccuracy, hammingLoss] = figures as number[];
  return { microF1, samplesF1, subsetAccuracy, hammingLoss, thresholds, missed, falseAlarms };
}

function classMetrics(value: unknown): ClassMetrics | undefined {
  if (!isRecord(value)) return undefined;
  const label = string(value.label);
  const [precision, recall, f1] = [value.precision, value.recall, value.f1].map(finite);
  const support = count(value.support);
  if (label === undefined || precision === undefined || recall === undefined || f1 === undefined || support === undefined) return undefined;
  return { label, precision, recall, f1, support };
}

function reliabilityBin(value: unknown): ReliabilityBin | undefined {
  if (!isRecord(value)) return undefined;
  const [upper, meanConfidence, accuracy] = [value.upper, value.meanConfidence, value.accuracy].map(finite);
  const n = count(value.count);
  if (upper === undefined || meanConfidence === undefined || accuracy === undefined || n === undefined) return undefined;
  return { upper, count: n, meanConfidence, accuracy };
}

function epochRecord(value: unknown): EpochRecord | undefined {
  if (!isRecord(value)) return undefined;
  const [epoch, loss, accuracy, seconds] = [value.epoch, value.loss, value.accuracy, value.seconds].map(finite);
  if (epoch === undefined || loss === undefined || accuracy === undefined || seconds === undefined) return undefined;
  const record: EpochRecord = { epoch, loss, accuracy, seconds };
  for (const key of ['validationLoss', 'validationAccuracy', 'validationMacroF1'] as const) {
    const x = finite(value[key]);
    if (x !== undefined) record[key] = x;
  }
  return record;
}

function validationExample(value: unknown, labels: ReadonlySet<string>): ModelManifest['validationExamples'][number] | undefined {
  if (!isRecord(value)) return undefined;
  const [text, label, predicted] = [value.text, value.label, value.predicted].map(string);
  if (text === undefined || label === undefined || predicted === undefined) return undefined;
  const line = count(value.line);
  if (line === undefined || !labels.has(label) || !labels.has(predicted)) return undefined;
  const file = string(value.file);
  return file === undefined ? { text, label, predicted, line } : { text, label, predicted, line, file };
}

/**
 * A multi-label validation example: `labels` and `predictedLabels` lists of the model's labels (`label` and
 * `predicted` are their display joins, any string).
 */
function multiLabelExample(value: unknown, labels: ReadonlySet<string>): ModelManifest['validationExamples'][number] | undefined {
  if (!isRecord(value)) return undefined;
  const [text, label, predicted] = [value.text, value.label, value.predicted].map(string);
  const line = count(value.line);
  const known = (list: unknown) =>
    Array.isArray(list) && list.length <= labels.size && list.every((l) => typeof l === 'string' && labels.has(l))
      ? (list as string[])
      : undefined;
  const [trueLabels, predictedLabels] = [known(value.labels), known(value.predictedLabels)];
  if (text === undefined || label === undefined || predicted === undefined || line === undefined || !trueLabels || !predictedLabels) {
    return undefined;
  }
  const file = string(value.file);
  return { text, label, labels: trueLabels, predicted, predictedLabels, line, ...(file === undefined ? {} : { file }) };
}

function runSummary(value: unknown): RunSummary | undefined {
  if (!isRecord(value) || !isRecord(value.options)) return undefined;
  const id = string(value.id);
  if (id === undefined) return undefined;
  const run: RunSummary = {
    id,
    createdAt: string(value.createdAt) ?? '',
    dataset: string(value.dataset) ?? '',
    options: value.options as unknown as RunSummary['options'],
    epochs: count(value.epochs) ?? 0,
    trainSeconds: finite(value.trainSeconds) ?? 0,
    history: listOf(value.history, epochRecord, MAX_HISTORY),
    ...(value.multiLabel === true ? { multiLabel: true as const } : {}),
  };
  for (const key of ['accuracy', 'macroF1', 'testAccuracy', 'testMacroF1'] as const) {
    const x = finite(value[key]);
    if (x !== undefined) run[key] = x;
  }
  return { ...run, ...lineage(value) };
}

function listOf<T>(value: unknown, item: (v: unknown) => T | undefined, max: number): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  for (const v of value.slice(0, max)) {
    const checked = item(v);
    if (checked !== undefined) out.push(checked);
  }
  return out;
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_STRING ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
