// `textcat learning-curve`: would more labels help? The model trained on growing shares of a dataset's rows, each
// scored on the same held-out rows (core/analysis/learningCurve.ts).
import { DEFAULT_SHARES, learningCurve } from '../core/analysis/learningCurve';
import { HELPER_SCRIPT } from './helperScript';
import { exitStatusHelp, type Command } from './command';
import { DATASET_FLAGS, DATASETS_HELP } from './datasetFlags';
import { readTrainingInput, theDataset } from './datasetInput';
import { forStdout, writeErr, writeOut } from './output';
import { OPTION_FLAGS } from './trainCommand';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'learning-curve';
const USAGE = 'learning-curve <dataset> [--shares 25,50,75,100] [--json] [options]';

const RUN_FLAGS: readonly Flag[] = [
  {
    name: 'shares',
    value: 'list',
    description: `Percentages of the training rows, rising, comma-separated [${DEFAULT_SHARES.map((s) => s * 100).join(',')}]`,
  },
  ...DATASET_FLAGS,
  { name: 'json', description: 'One JSON object on stdout: points (share, rows, macroF1, accuracy, seconds), heldOut, verdict' },
  { name: 'quiet', description: 'No progress on stderr' },
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  'Would more labels help? Holds out a share of each class (the validation split, at least 10 %), then trains on 25, 50, 75 and 100 % of the other rows (each share holds the rows of the one before it, chosen with --seed) and scores every model on the same held-out rows. Prints macro-F1 against rows and says whether the curve still rises at the end. The dataset is only read; no model is saved.',
)}

${DATASETS_HELP}

Options:
${flagLines(RUN_FLAGS)}

${prose("Training options: those of 'textcat train' (see textcat train --help), e.g. --epochs, --seed.")}

Example:
  textcat learning-curve tickets.csv

${exitStatusHelp()}`;

export const learningCurveCommand: Command = {
  name: NAME,
  summary: 'Train on 25/50/75/100 % of a dataset: would more labels help?',
  usage: USAGE,
  help: () => HELP,
  run: learningCurveRun,
};

function sharesFrom(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const shares = raw.split(',').map((part) => Number(part.trim()) / 100);
  const ok = shares.length >= 2 && shares.every((s, i) => s > 0 && s <= 1 && (i === 0 || s > shares[i - 1]));
  if (!ok) throw new UsageError(`--shares must be at least two rising percentages from above 0 to 100, got "${raw}"`, NAME);
  return shares;
}

async function learningCurveRun(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, [...RUN_FLAGS, ...OPTION_FLAGS]);
  const given = theDataset(NAME, positionals);
  const shares = sharesFrom(values.shares as string | undefined);
  const quiet = Boolean(values.quiet || values.json);
  const { path, dataset, options } = await readTrainingInput(NAME, given, values, quiet);
  const curve = await learningCurve({
    examples: dataset.examples,
    options,
    shares,
    helperScript: HELPER_SCRIPT,
    onPoint: quiet
      ? undefined
      : (index, count, share) => writeErr(`${index + 1}/${count}: training on ${Math.round(share * 100)} % of the rows…\n`),
  });
  if (values.json) {
    await writeOut(`${JSON.stringify(curve)}\n`);
    return 0;
  }
  const lines = [
    `Learning curve of ${forStdout(path)} (macro-F1 on the same ${curve.heldOut} held-out rows)`,
    '  share    rows  macro-F1  accuracy',
    ...curve.points.map(
      (p) =>
        `  ${`${Math.round(p.share * 100)} %`.padStart(5)}  ${String(p.rows).padStart(6)}  ${p.macroF1.toFixed(3).padStart(8)}  ${p.accuracy.toFixed(3).padStart(8)}  ${bar(p.macroF1)}`,
    ),
    curve.verdict,
  ];
  await writeOut(`${lines.join('\n')}\n`);
  return 0;
}

/** A text bar of macro-F1, so the shape of the curve reads at a glance in a terminal. */
function bar(value: number): string {
  return '█'.repeat(Math.round(value * 30));
}
