// `textcat check-labels`: the rows of a labeled dataset whose label is likely wrong (core/analysis/labelErrors.ts), with the
// label a model that never saw them would give. Reads the dataset, never writes it.
import { checkLabels, DEFAULT_FOLDS, MAX_FOLDS, type LabelIssue } from '../core/analysis/labelErrors';
import type { Example } from '../core/types';
import { HELPER_SCRIPT } from './helperScript';
import { exitStatusHelp, type Command } from './command';
import { DATASET_FLAGS, DATASETS_HELP } from './datasetFlags';
import { readTrainingInput, theDataset } from './datasetInput';
import { escapeControls, forStdout, writeErr, writeOut } from './output';
import { OPTION_FLAGS } from './trainCommand';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'check-labels';
const USAGE = 'check-labels <dataset> [--folds 5] [--json] [options]';

const RUN_FLAGS: readonly Flag[] = [
  { name: 'folds', value: 'n', description: `Folds of out-of-fold prediction, from 2 to ${MAX_FOLDS} [${DEFAULT_FOLDS}]` },
  { name: 'limit', value: 'n', description: 'Print at most this many rows, most certain first [all]' },
  ...DATASET_FLAGS,
  { name: 'json', description: 'One JSON object per row: line, file, text, given, suggested, probabilities, margin' },
  { name: 'quiet', description: 'No progress on stderr' },
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  'Finds rows whose label is likely wrong. The dataset is cut into folds; a model trained on the other folds (with the training options given here, as train takes them) scores each row it never saw. Each class gets a threshold, the mean probability of that class on the rows labeled with it, and a row is listed when its label scores under its class threshold while another class reaches its own (confident learning, as cleanlab does it). The most certain findings come first. The dataset is only read.',
  'Output: one line per row, <line> TAB <given> TAB <suggested> TAB <probability of suggested> TAB <text>; with a folder dataset, <file> instead of <line>. The summary goes to stderr.',
)}

${DATASETS_HELP}

Options:
${flagLines(RUN_FLAGS)}

${prose("Training options: those of 'textcat train' (see textcat train --help), e.g. --epochs, --wide-ngrams, --seed.")}

Example:
  textcat check-labels tickets.csv --folds 5 --limit 50

${exitStatusHelp()}`;

export const checkLabelsCommand: Command = {
  name: NAME,
  summary: 'List rows of a dataset whose label is likely wrong, with a suggested one',
  usage: USAGE,
  help: () => HELP,
  run: checkLabelsRun,
};

function integerFlag(values: Record<string, unknown>, flag: string, min: number, max: number): number | undefined {
  const raw = values[flag] as string | undefined;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${raw}"`, NAME);
  return n;
}

async function checkLabelsRun(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, [...RUN_FLAGS, ...OPTION_FLAGS]);
  const given = theDataset(NAME, positionals);
  const folds = integerFlag(values, 'folds', 2, MAX_FOLDS) ?? DEFAULT_FOLDS;
  const limit = integerFlag(values, 'limit', 1, Number.MAX_SAFE_INTEGER);
  const quiet = Boolean(values.quiet || values.json);
  const { path, dataset, options } = await readTrainingInput(NAME, given, values, quiet);
  const { issues } = await checkLabels({
    examples: dataset.examples,
    options,
    folds,
    helperScript: HELPER_SCRIPT,
    onFold: quiet ? undefined : (fold, total) => writeErr(`fold ${fold}/${total}: training on the other ${total - 1} folds…\n`),
  });
  const shown = limit === undefined ? issues : issues.slice(0, limit);
  const rows = shown.map((issue) => row(issue, dataset.examples[issue.index]));
  await writeOut(rows.map((r) => (values.json ? `${JSON.stringify(r)}\n` : textLine(r))).join(''));
  if (!quiet) {
    const share = ((100 * issues.length) / dataset.examples.length).toFixed(1);
    writeErr(
      `${forStdout(path)}: ${issues.length} of ${dataset.examples.length} rows (${share} %) have a label that ${folds}-fold out-of-fold predictions doubt${shown.length < issues.length ? `; the ${shown.length} most certain shown` : ''}\n`,
    );
  }
  return 0;
}

interface IssueRow {
  line: number;
  file?: string;
  text: string;
  given: string;
  suggested: string;
  givenProbability: number;
  suggestedProbability: number;
  margin: number;
}

function row(issue: LabelIssue, example: Example): IssueRow {
  return {
    line: example.line,
    ...(example.file === undefined ? {} : { file: example.file }),
    text: example.text,
    given: issue.given,
    suggested: issue.suggested,
    givenProbability: round(issue.givenProbability),
    suggestedProbability: round(issue.suggestedProbability),
    margin: round(issue.margin),
  };
}

const round = (p: number) => Math.round(p * 1e4) / 1e4;

function textLine(r: IssueRow): string {
  const where = r.file ?? String(r.line);
  return `${[where, r.given, r.suggested, r.suggestedProbability.toFixed(3), r.text].map((field) => escapeControls(field).replace(/\t/g, '\\t').replace(/\n/g, '\\n')).join('\t')}\n`;
}
