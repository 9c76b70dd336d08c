// `textcat eval`: a saved model scored on a labeled dataset.
import { evaluateJob, ModelCache } from '../core/jobs';
import { HELPER_SCRIPT } from './helperScript';
import { exitStatusHelp, type Command } from './command';
import { DATASET_FLAGS, DATASETS_HELP, datasetSpec } from './datasetFlags';
import { formatMetrics } from './metricsText';
import { THRESHOLD_FLAG, thresholdValue, withThreshold } from './thresholdFlag';
import { forStdout, writeErr, writeOut } from './output';
import { flagLines, HELP_FLAG, parseFlags, prose, UsageError, type Flag } from './usage';

const NAME = 'eval';
const USAGE = 'eval <model-dir> <dataset> [--json] [options]';

const FLAGS: readonly Flag[] = [
  ...DATASET_FLAGS,
  {
    name: 'json',
    description: 'One JSON object on stdout: accuracy, macroF1, weightedF1, ece, labels, perClass, confusion (multi-label: multiLabel too)',
  },
  THRESHOLD_FLAG,
  { name: 'quiet', description: 'No warnings on stderr' },
  HELP_FLAG,
];

const HELP = `Usage: textcat ${USAGE}

${prose(
  "Scores a saved model on a labeled dataset: accuracy, macro- and weighted-F1, calibration (ECE), and each class's precision, recall, F1 and support. A label the model does not know counts as an error (a warning names it).",
  "A multi-label model is scored at each label's threshold (tuned when it was trained, or --threshold), a row with no label over its threshold getting its most probable one when the model learned that every row has a label: micro-, macro- and samples-F1, subset accuracy (rows whose label set is exactly right), Hamming loss (share of wrong row-label decisions), and each label's precision, recall and F1 at its threshold. In --json, accuracy is the subset accuracy, confusion[i][j] counts rows with label i that were given label j, and multiLabel holds microF1, samplesF1, subsetAccuracy, hammingLoss, thresholds, missed and falseAlarms.",
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
  const threshold = thresholdValue(values, NAME);
  const models = new ModelCache(HELPER_SCRIPT);
  const { metrics, unknownLabels } = await models
    .get(modelDir)
    .then((loaded) => evaluateJob(withThreshold(loaded, threshold, modelDir, NAME), spec, models.textPredictor(loaded)))
    .finally(() => models.dispose());
  if (values.json) {
    const { accuracy, macroF1, weightedF1, perClass, confusion, labels, ece, multiLabel } = metrics;
    const scores = {
      accuracy,
      macroF1,
      weightedF1,
      ece,
      labels,
      perClass,
      confusion,
      unknownLabels,
      ...(multiLabel ? { multiLabel } : {}),
    };
    await writeOut(`${JSON.stringify(scores)}\n`);
    return 0;
  }
  if (!values.quiet) {
    for (const label of unknownLabels) writeErr(`warning: label "${label}" is not one the model knows; its rows count as errors\n`);
  }
  await writeOut(`${formatMetrics(`Evaluation on ${forStdout(dataset)}`, metrics)}\n`);
  return 0;
}
