// `textcat eval`: a saved model scored on a labeled dataset.
import { evaluateJob, ModelCache } from '../core/jobs';
import { HELPER_SCRIPT } from './helperScript';
import { exitStatusHelp, type Command } from './command';
import { DATASET_FLAGS, DATASETS_HELP, datasetSpec } from './datasetFlags';
import { formatMetrics } from './metricsText';
import { forStdout, writeErr, writeOut } from './output';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'eval';
const USAGE = 'eval <model-dir> <dataset> [--json] [options]';

const FLAGS: readonly Flag[] = [
  ...DATASET_FLAGS,
  { name: 'json', description: 'One JSON object on stdout: accuracy, macroF1, weightedF1, ece, labels, perClass, confusion' },
  { name: 'quiet', description: 'No warnings on stderr' },
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  "Scores a saved model on a labeled dataset: accuracy, macro- and weighted-F1, calibration (ECE), and each class's precision, recall, F1 and support. A label the model does not know counts as an error (a warning names it).",
)}

${DATASETS_HELP}

Options:
${flagLines(FLAGS)}

Example:
  textcat eval .textcat/model test.csv

${exitStatusHelp()}`;

export const evalCommand: Command = {
  name: NAME,
  summary: 'Score a model on a labeled dataset (accuracy, F1 per class, calibration)',
  usage: USAGE,
  help: () => HELP,
  run: evaluate,
};

async function evaluate(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(NAME, args, FLAGS);
  if (positionals.length < 2) throw new UsageError('eval needs a model folder and a dataset', NAME);
  if (positionals.length > 2) throw new UsageError(`eval takes a model folder and one dataset, got ${positionals.length} arguments`, NAME);
  const [modelDir, dataset] = positionals;
  const spec = datasetSpec(dataset, values, NAME);
  const models = new ModelCache(HELPER_SCRIPT);
  const model = await models.get(modelDir);
  const { metrics, unknownLabels } = await evaluateJob(model, spec, models.predictor(model)).finally(() => models.dispose());
  if (values.json) {
    const { accuracy, macroF1, weightedF1, perClass, confusion, labels, ece } = metrics;
    await writeOut(`${JSON.stringify({ accuracy, macroF1, weightedF1, ece, labels, perClass, confusion, unknownLabels })}\n`);
    return 0;
  }
  if (!values.quiet) {
    for (const label of unknownLabels) writeErr(`warning: label "${label}" is not one the model knows; its rows count as errors\n`);
  }
  await writeOut(`${formatMetrics(`Evaluation on ${forStdout(dataset)}`, metrics)}\n`);
  return 0;
}
