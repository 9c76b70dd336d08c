// Multi-label accuracy (issue 19) on GoEmotions (28 labels, 1.18 per row): test micro-, macro- and samples-F1 and
// subset accuracy for each seed and their mean, beside the one-vs-rest baseline trained in the same run, the peers
// measured on the same split (REFERENCE), and the training time of a single-label run of the same size (each row's
// first label), so the cost of the sigmoid outputs and threshold tuning shows.
// Usage: node --import tsx bench/multilabel.ts [datasets-folder] [--seeds 1,2,3] [--no-single] [--json] [--set key=value ...]
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/core/backend';
import { readDataset } from '../src/core/data/dataset';
import { resolveOptions, type TrainOptions } from '../src/core/options';
import { train, type TrainProgress } from '../src/core/training/train';
import type { Example } from '../src/core/types';
import { mean, runBenchmark, SEEDED_FLAGS, seededSetup, table } from './seededRuns';

export const MULTI_LABEL_DATASET = 'goemotions_multilabel';
const DATASET = MULTI_LABEL_DATASET;
/** The pool's helper thread, as the CLI and the extension train (`npm run bench:multilabel` builds it first). */
export const HELPER_SCRIPT = path.resolve(__dirname, '../dist/gradient-worker.js');

/**
 * Test scores of the peers on the same split: fastText one-vs-all (-loss ova -epoch 25 -wordNgrams 2, threshold
 * 0.5) and TF-IDF + one-vs-rest logistic regression (scikit-learn: word 1–2-grams, sublinear_tf, threshold 0.5).
 */
export const MULTI_LABEL_REFERENCE = {
  'fastText ova': { micro: 0.532, macro: 0.413, samples: 0.509, subset: 0.351 },
  'TF-IDF+OvR LR': { micro: 0.542, macro: 0.36, samples: 0.543, subset: 0.353 },
};

interface Run {
  seed: number;
  micro: number;
  macro: number;
  samples: number;
  subset: number;
  hamming: number;
  baselineMacro: number;
  baselineSubset: number;
  bestEpoch: number;
  epochs: number;
  trainSeconds: number;
  /** Of trainSeconds, the one-vs-rest baseline's. */
  baselineSeconds: number;
  warnings: number;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const f3 = (x: number) => (x < 1 ? x.toFixed(3).replace(/^0\./, '.') : x.toFixed(1));

/**
 * The rows with their label lists: a reader that knows multi-label CSVs gives `labels`; otherwise the label column
 * ("joy|love") is split on '|' here.
 */
async function readRows(file: string): Promise<Example[]> {
  const { examples } = await readDataset(file);
  return examples.map((e) => {
    const labels = e.labels ?? e.label.split('|').filter((l) => l !== '');
    return { ...e, labels, label: labels.join(', ') };
  });
}

async function runOne(trainRows: Example[], testRows: Example[], options: TrainOptions): Promise<Run> {
  const started = performance.now();
  // One line per epoch on stderr: a run takes many minutes, and its progress shows whether it is worth the wait.
  const onProgress = (p: TrainProgress) =>
    p.epochDone &&
    console.error(
      `seed ${options.seed} epoch ${p.epoch}: loss ${p.loss.toFixed(4)}, val_loss ${p.validationLoss?.toFixed(4) ?? '-'}, val subset acc. ${p.validationAccuracy?.toFixed(3) ?? '-'} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  const result = await train({ train: trainRows, test: testRows, options, onProgress, helperScript: HELPER_SCRIPT });
  const test = result.test!;
  const scores = test.multiLabel!;
  return {
    seed: options.seed,
    micro: scores.microF1,
    macro: test.macroF1,
    samples: scores.samplesF1,
    subset: scores.subsetAccuracy,
    hamming: scores.hammingLoss,
    baselineMacro: result.baseline.test!.macroF1,
    baselineSubset: result.baseline.test!.accuracy,
    bestEpoch: result.bestEpoch,
    epochs: result.history.length,
    trainSeconds: result.trainSeconds,
    baselineSeconds: result.baseline.trainSeconds,
    warnings: result.warnings?.length ?? 0,
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { 'no-single': { type: 'boolean' }, ...SEEDED_FLAGS },
    allowPositionals: true,
  });
  const { root, seeds, overrides } = seededSetup(positionals[0], values);
  await initBackend();
  const trainRows = await readRows(path.join(root, DATASET, 'train.csv'));
  const testRows = await readRows(path.join(root, DATASET, 'test.csv'));
  console.log(`${DATASET}: ${trainRows.length} training rows, ${testRows.length} test rows`);
  console.log(`options (seed varies): ${JSON.stringify(resolveOptions({ ...overrides, seed: seeds[0] }))}`);
  console.log(`load average at start: ${loadAverage()} (${os.cpus().length} cores)`);
  const header = [
    'seed',
    'micro-F1',
    'macro-F1',
    'samples-F1',
    'subset acc.',
    'Hamming',
    'baseline macro',
    'baseline subset',
    'epochs',
    'train s',
    'baseline s',
    'warnings',
  ];
  console.log(header.join('\t'));
  const runs: Run[] = [];
  for (const seed of seeds) {
    const run = await runOne(trainRows, testRows, resolveOptions({ ...overrides, seed }));
    runs.push(run);
    console.log(
      [
        seed,
        f3(run.micro),
        f3(run.macro),
        f3(run.samples),
        f3(run.subset),
        run.hamming.toFixed(4),
        f3(run.baselineMacro),
        f3(run.baselineSubset),
        `${run.bestEpoch}/${run.epochs}`,
        run.trainSeconds.toFixed(1),
        run.baselineSeconds.toFixed(1),
        run.warnings,
      ].join('\t'),
    );
  }
  const m = (key: keyof Run) => f3(mean(runs.map((r) => r[key])));
  console.log(`\nTest scores, mean over seeds ${seeds.join(', ')}:`);
  console.log(
    table(
      ['model', 'micro-F1', 'macro-F1', 'samples-F1', 'subset acc.'],
      [
        ['Textcat', m('micro'), m('macro'), m('samples'), m('subset')],
        ["Textcat's baseline (OvR on n-grams)", '-', m('baselineMacro'), '-', m('baselineSubset')],
        ...Object.entries(MULTI_LABEL_REFERENCE).map(([name, p]) => [name, f3(p.micro), f3(p.macro), f3(p.samples), f3(p.subset)]),
      ],
    ),
  );
  // Four places too: the targets are met or missed in the third.
  const f4 = (key: keyof Run) => mean(runs.map((r) => r[key])).toFixed(4);
  console.log(
    `Means to four places: micro-F1 ${f4('micro')}, macro-F1 ${f4('macro')}, samples-F1 ${f4('samples')}, subset accuracy ${f4('subset')}.`,
  );
  const perEpoch = mean(runs.map((r) => r.trainSeconds / r.epochs));
  console.log(`Multi-label training: ${m('trainSeconds')} s per run, ${perEpoch.toFixed(1)} s per epoch (means).`);
  if (!values['no-single']) {
    // The same rows and options, each row's first label as its one class (rows without a label left out).
    const firstLabel = (rows: Example[]) =>
      rows.filter((e) => e.labels!.length > 0).map(({ labels, ...e }) => ({ ...e, label: labels![0] }));
    const single = firstLabel(trainRows);
    // With the test set's rows too (first labels), as the multi-label runs have theirs: trainSeconds spans the final
    // evaluations on both sides, so the ratio is like for like.
    const result = await train({
      train: single,
      test: firstLabel(testRows),
      options: resolveOptions({ ...overrides, seed: seeds[0] }),
      helperScript: HELPER_SCRIPT,
    });
    const seconds = result.trainSeconds;
    console.log(
      `Single-label run of the same size (first label, seed ${seeds[0]}): ${seconds.toFixed(1)} s, ${(seconds / result.history.length).toFixed(1)} s per epoch, ${result.history.length} epochs (validation macro-F1 ${f3(result.validation!.macroF1)}).`,
    );
    console.log(
      `Multi-label / single-label training time: ${(mean(runs.map((r) => r.trainSeconds)) / seconds).toFixed(2)}× (load average ${loadAverage()}).`,
    );
  }
  if (values.json) console.log(JSON.stringify(runs));
}

if (require.main === module) runBenchmark(main);
