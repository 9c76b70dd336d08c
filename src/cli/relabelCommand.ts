// `textcat relabel`: one row of a dataset given another label in place (core/data/relabel.ts), e.g. a finding of
// check-labels. The rest of the file stays byte for byte; the file is replaced atomically.
import * as fs from 'node:fs';
import { readDataset } from '../core/data/dataset';
import { applyRelabelToFile, relabelEdit } from '../core/data/relabel';
import { TextcatError } from '../core/types';
import { exitStatusHelp, type Command } from './command';
import { DATASET_FLAGS, DATASETS_HELP, datasetSpec } from './datasetFlags';
import { theDataset } from './datasetInput';
import { forStdout, writeOut } from './output';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'relabel';
const USAGE = 'relabel <dataset> (--line <n> | --file <path>) --to <label> [--from <label>]';

const FLAGS: readonly Flag[] = [
  { name: 'line', value: 'n', description: 'The line the row starts on (as check-labels and error messages number it)' },
  { name: 'file', value: 'path', description: 'Folder datasets: the example file to move to another class folder' },
  { name: 'to', value: 'label', description: 'The new label' },
  { name: 'from', value: 'label', description: 'The label the row must have now; otherwise nothing is changed' },
  ...DATASET_FLAGS,
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  "Gives one row of a dataset another label, in place: only that row's label field changes (CSV, TSV, JSONL, JSON, fastText), and the rest of the file stays byte for byte as it was; in a folder dataset the example's file moves to the new class folder. The new file is written beside the old one and renamed over it, so an interrupted run leaves one or the other. A row that is no longer what was read (the file changed) is refused, and so is one whose label is not --from.",
)}

${DATASETS_HELP}

Options:
${flagLines(FLAGS)}

Example:
  textcat check-labels tickets.csv --json | head -1   # {"line":42,"given":"billing",…}
  textcat relabel tickets.csv --line 42 --from billing --to bug

${exitStatusHelp()}`;

export const relabelCommand: Command = {
  name: NAME,
  summary: 'Change the label of one row of a dataset in place',
  usage: USAGE,
  help: () => HELP,
  run: relabelRun,
};

async function relabelRun(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, FLAGS);
  const given = theDataset(NAME, positionals);
  const to = values.to as string | undefined;
  if (to === undefined) throw new UsageError('relabel needs --to <label>', NAME);
  const lineFlag = values.line as string | undefined;
  const fileFlag = values.file as string | undefined;
  if ((lineFlag === undefined) === (fileFlag === undefined)) throw new UsageError('relabel needs one of --line <n> or --file <path>', NAME);
  const line = lineFlag === undefined ? undefined : Number(lineFlag);
  if (line !== undefined && !(Number.isInteger(line) && line >= 1))
    throw new UsageError(`--line must be a line number from 1, got "${lineFlag}"`, NAME);
  const { path, ...readOptions } = datasetSpec(given, values, NAME);
  const dataset = await readDataset(path, readOptions);
  const rows = dataset.examples.filter((e) => (line === undefined ? e.file !== undefined && sameFile(e.file, fileFlag!) : e.line === line));
  if (rows.length === 0)
    throw new TextcatError(line === undefined ? `no example file ${fileFlag}` : 'no row starts on this line', path, line);
  if (rows.length > 1)
    throw new TextcatError('several rows start on this line (a one-line JSON array): relabel it in the editor', path, line);
  const [row] = rows;
  const from = values.from as string | undefined;
  if (from !== undefined && row.label !== from)
    throw new TextcatError(`the row's label is "${row.label}", not "${from}"; nothing was changed`, path, row.line);
  if (row.label === to.trim()) {
    await writeOut(`${forStdout(path)}:${row.line}: already "${forStdout(row.label)}"\n`);
    return 0;
  }
  const content = dataset.format === 'folder' ? '' : fs.readFileSync(path, 'utf8');
  applyRelabelToFile(path, relabelEdit(content, dataset, row, to));
  await writeOut(
    `${forStdout(row.file ?? path)}${row.file ? '' : `:${row.line}`}: "${forStdout(row.label)}" → "${forStdout(to.trim())}"\n`,
  );
  return 0;
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
