// `textcat predict`: a saved model labels each line of plain text, or each row of a table's text column.
import { ModelCache } from '../core/jobs';
import { predictionRows, type Prediction, type PredictionRows } from '../core/predict';
import { isTableFormat } from '../core/datasetFormats/tableRows';
import { TEXT_FORMATS, type TextFormat, type TextsLayout } from '../core/datasetFormats/textsToLabel';
import { HELPER_SCRIPT } from './helperScript';
import { exitStatusHelp, type Command } from './command';
import { columnSourceWords } from './datasetFlags';
import { inputFormat, inputTexts, shownName, STDIN, type InputText } from './predictInput';
import { forStdout, writeErr, writeOut } from './output';
import { OutputBytes } from './outputBytes';
import { jsonLines } from './predictJson';
import { THRESHOLD_FLAG, thresholdValue, withThreshold } from './thresholdFlag';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'predict';
const USAGE = 'predict <model-dir> [file ... | -] [--json] [options]';
/**
 * Texts sent to the model at once: enough to share over the threads in chunks of 1,024 (lines that begin alike
 * share their first steps within a chunk), few enough to print as they come.
 */
const BATCH = 2048;
/**
 * Batches in flight at once: while the threads tokenize and predict some, this thread reads the next and prints
 * the finished ones (in input order), so no thread waits for another.
 */
const BATCHES_IN_FLIGHT = 4;

const FLAGS: readonly Flag[] = [
  { name: 'text-column', value: 'column', description: 'The column to label in a table: a name or a 0-based index [guessed]' },
  { name: 'label-column', value: 'column', description: 'The column that holds labels, so it is never taken for the text [guessed]' },
  { name: 'format', value: 'format', description: `${TEXT_FORMATS.join(', ')} [from the extension; else lines]` },
  { name: 'json', description: 'One JSON object per text: line, label, confidence, probabilities (multi-label: labels too)' },
  THRESHOLD_FLAG,
  { name: 'with-filename', short: 'H', description: 'Name the file on every output line, even with one file' },
  { name: 'quiet', description: 'No notes on stderr' },
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  'Labels text with a saved model. With no file, or -, it reads standard input.',
  "Input: a table (.csv, .tsv, .jsonl, .json) is read as training reads it: its text column is chosen as training chooses it (from the header or the JSON keys, or the values) or given with --text-column, and only that column is labeled, never the header or a label column. A labeled dataset gets a note on stderr: 'textcat eval' scores the model on it. Anything else (.log, .txt, standard input) is labeled line by line; fastText lines (__label__x text) lose their labels first. Blank lines and empty texts are skipped but counted.",
  'Output: one line per text, numbered by the line it starts on in its file (the elements of a JSON array written on one line, by their position in the array, from 1, as dataset messages number them); tabs and line breaks in a text are shown as \\t and \\n:',
)}
  <line> TAB <label> TAB <confidence> TAB <text>
${prose(
  'With several files (or -H), every line starts with its file, <file>:<line> (- for standard input). --json prints one object per text, {"line", "label", "confidence", "probabilities"}, with "file" first when there are several files (or -H), and "record" after "line" for an element of a JSON array (its position, from 1). Which column of a table was labeled, and any note, go to stderr after the output.',
  'A multi-label model gives each text every label whose probability is at or over its threshold (tuned per label when it was trained, or --threshold), most probable first, and their probabilities, each list joined by ", " (both empty when no label reaches its threshold); --json adds "labels": [{"label", "probability"}], while "label" and "confidence" stay the most probable label:',
)}
  <line> TAB <label>, <label> TAB <probability>, <probability> TAB <text>

Options:
${flagLines(FLAGS)}

Examples:
  textcat predict .textcat/model app.log
  textcat predict .textcat/model tickets.csv --text-column body --json
  journalctl -n 1000 | textcat predict .textcat/model - | grep -w error

${exitStatusHelp()}`;

export const predictCommand: Command = {
  name: NAME,
  summary: 'Label each line of text files, or each row of a table, with a model',
  usage: USAGE,
  help: () => HELP,
  run: predict,
};

interface SourceReport {
  layout?: TextsLayout;
  texts: number;
  /** A JSON array whose elements share lines: the output numbers them by position. */
  byElement?: boolean;
}

async function predict(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, FLAGS);
  if (positionals.length === 0) throw new UsageError('predict needs a model folder, then files (or - for standard input)', NAME);
  const [modelDir, ...given] = positionals;
  const sources = given.length ? given : [STDIN];
  const format = textFormat(values.format as string | undefined);
  const textColumn = values['text-column'] as string | undefined;
  const labelColumn = values['label-column'] as string | undefined;
  checkColumnsApply(sources, format, textColumn ?? labelColumn);
  const named = sources.length > 1 || Boolean(values['with-filename']);
  const threshold = thresholdValue(values, NAME);
  const models = new ModelCache(HELPER_SCRIPT);
  const loaded = await models.get(modelDir);
  const model = withThreshold(loaded, threshold, modelDir, NAME);
  const reports = new Map<string, SourceReport>(sources.map((source) => [source, { texts: 0 }]));
  const jsonLine = values.json ? jsonLines(model.labels, named) : undefined;
  const show = (out: OutputBytes, item: InputText, rows: PredictionRows, i: number) =>
    jsonLine ? jsonLine(out, item, rows, i) : out.text(`${textLine(item, rows.prediction(i), named, model.labels)}\n`);
  const predict = models.textPredictor(loaded, { streaming: true });
  const pending: InputText[] = [];
  // Each batch's output is written once its predictions and every earlier batch's output are: input order.
  const inFlight: Promise<void>[] = [];
  const flush = async () => {
    const items = pending.splice(0);
    if (items.length === 0) return;
    const predictions = predictionRows(
      model,
      items.map((p) => p.text),
      predict,
    );
    const written = Promise.all([inFlight.at(-1), predictions]).then(([, rows]) => {
      const out = new OutputBytes(items.length * 160);
      items.forEach((item, i) => show(out, item, rows, i));
      return writeOut(out.view());
    });
    written.catch(() => undefined); // awaited below; a failure is not "unhandled" while later batches are read
    inFlight.push(written);
    if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
  };
  try {
    const texts = inputTexts(sources, {
      format,
      textColumn,
      labelColumn,
      knownLabels: new Set(model.labels),
      onLayout: (source, layout) => (reports.get(source)!.layout = layout),
    });
    for await (const batch of texts) {
      for (const item of batch) {
        if (item.text.trim() === '') continue; // skipped, but the line numbers still count it
        const report = reports.get(item.source)!;
        report.texts++;
        report.byElement ||= item.element?.sharedLines;
        pending.push(item);
      }
      if (pending.length >= BATCH) await flush();
    }
    await flush();
    for (const batch of inFlight) await batch;
  } finally {
    await models.dispose();
  }
  if (!values.quiet) for (const [source, report] of reports) writeErr(notes(modelDir, source, report));
  return 0;
}

function textFormat(given: string | undefined): TextFormat | undefined {
  if (given === undefined) return undefined;
  if (given === 'folder') throw new UsageError('--format folder is for training; predict reads files (give the files in the folder)', NAME);
  const known = TEXT_FORMATS.find((f) => f === given);
  if (!known) throw new UsageError(`--format must be one of ${TEXT_FORMATS.join(', ')}, got "${given}"`, NAME);
  return known;
}

/** A column flag with no table to apply it to is a mistake worth saying, not a flag to ignore. */
function checkColumnsApply(sources: readonly string[], format: TextFormat | undefined, column: string | undefined): void {
  if (column === undefined || sources.some((source) => isTableFormat(inputFormat(source, format)))) return;
  const which = sources.length === 1 ? shownName(sources[0]) : 'none of the inputs';
  throw new UsageError(
    `--text-column and --label-column apply to tables (.csv, .tsv, .jsonl, .json, or --format), and ${which} is read line by line`,
    NAME,
  );
}

/** The line a text starts on; in a JSON array whose elements share lines (one line for all), the element's position. */
function textNumber(item: InputText): number {
  return item.element?.sharedLines ? item.element.index : item.line;
}

function textLine(item: InputText, p: Prediction, named: boolean, modelLabels: readonly string[]): string {
  const where = named ? `${oneLine(forStdout(item.source))}:${textNumber(item)}` : String(textNumber(item));
  if (p.labels) {
    const given = p.labels.map((l) => oneLine(forStdout(l))).join(', ');
    const probabilities = p.labels.map((l) => p.probabilities[modelLabels.indexOf(l)].toFixed(3)).join(', ');
    return `${where}\t${given}\t${probabilities}\t${oneLine(forStdout(item.text))}`;
  }
  return `${where}\t${forStdout(p.label)}\t${p.confidence.toFixed(3)}\t${oneLine(forStdout(item.text))}`;
}

/** A table's text may hold tabs and line breaks; shown escaped, each prediction stays one tab-separated line. */
function oneLine(text: string): string {
  return text.replace(/[\t\n\r]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c);
}

/** Which column a table was labeled by, and whether the input is a labeled dataset that `eval` would score. */
function notes(modelDir: string, source: string, { layout, texts, byElement }: SourceReport): string {
  if (!layout) return '';
  const file = shownName(source);
  const lines: string[] = [];
  const columns = layout.columns;
  if (columns) {
    const how = columnSourceWords(columns.source, layout.format);
    const unsure = columns.confident ? '' : ', unsure: use --text-column';
    const numbered = byElement ? ', numbered by their position in the array, whose elements share lines' : '';
    lines.push(`${file}: labeled ${texts} ${texts === 1 ? 'text' : 'texts'} from column "${columns.text}" (${how}${unsure})${numbered}`);
  }
  if (layout.labelColumn !== undefined) {
    const where = columns ? `column "${layout.labelColumn}"` : 'fastText __label__ prefixes';
    const run =
      source === STDIN ? 'save it to a file and run textcat eval' : `run: textcat eval ${shellWord(modelDir)} ${shellWord(source)}`;
    lines.push(`note: ${file} is a labeled dataset (labels in ${where}); to score the model on it, ${run}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** A path as it would be typed in a shell: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
