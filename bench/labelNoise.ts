// How well check-labels finds wrong labels: 5 % of a shared dataset's training rows get another class (seeded), then
// confident learning over k-fold out-of-fold probabilities (core/analysis/labelErrors.ts) and the simple rule "a model
// trained on all rows disagrees with the label" each list rows; precision and recall are against the rows changed.
// Usage: node --import tsx bench/labelNoise.ts [datasets-folder] [--only a,b] [--noise 0.05] [--folds 5] [--set key=value ...]
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { readDataset } from '../src/core/data/dataset';
import { checkLabels } from '../src/core/analysis/labelErrors';
import { resolveOptions, type TrainOptions } from '../src/core/options';
import { predictTexts } from '../src/core/predict';
import { createRng } from '../src/core/random';
import { labelSet, train } from '../src/core/training/train';
import type { Example } from '../src/core/types';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

const DEFAULT_SETS = ['sms_spam', 'uci_sentiment_sentences', 'loghub_levels'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string' },
    noise: { type: 'string', default: '0.05' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    set: { type: 'string', multiple: true },
  },
});

/** `share` of the rows moved to another class chosen uniformly (seeded): the changed rows' indices. */
function injectNoise(examples: Example[], share: number, seed: number): Set<number> {
  const rng = createRng(seed);
  const labels = labelSet(examples);
  const changed = new Set<number>();
  const target = Math.round(examples.length * share);
  while (changed.size < target) {
    const i = Math.floor(rng() * examples.length);
    if (changed.has(i)) continue;
    const others = labels.filter((l) => l !== examples[i].label);
    examples[i] = { ...examples[i], label: others[Math.floor(rng() * others.length)] };
    changed.add(i);
  }
  return changed;
}

function score(found: ReadonlySet<number>, changed: ReadonlySet<number>) {
  const hits = [...found].filter((i) => changed.has(i)).length;
  return { found: found.size, precision: found.size ? hits / found.size : 0, recall: hits / changed.size };
}

function overrides(): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  for (const pair of values.set ?? []) {
    const [key, value] = pair.split('=');
    out[key] = value === 'true' ? true : value === 'false' ? false : Number.isNaN(Number(value)) ? value : Number(value);
  }
  return out;
}

async function main(): Promise<void> {
  const root = datasetsRoot(positionals[0]);
  if (!root) {
    console.log(missingDatasetsMessage());
    return;
  }
  const sets = values.only ? values.only.split(',') : DEFAULT_SETS;
  const noise = Number(values.noise);
  const folds = Number(values.folds);
  const options = resolveOptions({ seed: Number(values.seed), ...overrides() });
  console.log(
    `bench:label-noise — ${noise * 100} % of training rows relabeled (seed ${options.seed}), ${folds}-fold confident learning vs "a model trained on all rows disagrees"; data from ${root}`,
  );
  console.log(
    '| dataset | rows | changed | confident learning: found / precision / recall / s | disagreement: found / precision / recall / s |',
  );
  console.log('|---|---|---|---|---|');
  for (const name of sets) {
    const { examples } = await readDataset(path.join(root, name, 'train.csv'));
    const noisy = [...examples];
    const changed = injectNoise(noisy, noise, options.seed);
    let started = performance.now();
    const { issues } = await checkLabels({
      examples: noisy,
      options,
      folds,
      helperScript: path.resolve(__dirname, '../dist/gradient-worker.js'),
    });
    const confident = score(new Set(issues.map((i) => i.index)), changed);
    const confidentSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const model = await train({ train: noisy, options, helperScript: path.resolve(__dirname, '../dist/gradient-worker.js') });
    const probabilities = predictTexts(
      model,
      noisy.map((e) => e.text),
    );
    const K = model.labels.length;
    const disagree = new Set<number>();
    noisy.forEach((e, i) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (probabilities[i * K + k] > probabilities[i * K + best]) best = k;
      if (model.labels[best] !== e.label) disagree.add(i);
    });
    const simple = score(disagree, changed);
    const simpleSeconds = (performance.now() - started) / 1000;
    const cells = (s: ReturnType<typeof score>, seconds: number) =>
      `${s.found} / ${s.precision.toFixed(3)} / ${s.recall.toFixed(3)} / ${seconds.toFixed(0)}`;
    console.log(
      `| ${name} | ${noisy.length} | ${changed.size} | ${cells(confident, confidentSeconds)} | ${cells(simple, simpleSeconds)} |`,
    );
  }
}

void main();
