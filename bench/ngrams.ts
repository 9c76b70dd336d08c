// Lines per second of the n-gram path alone (hashing a line's n-grams and looking them up in the model's n-gram
// vocabulary), on the tokens of bench:e2e's log: a vocabulary fitted on its 12,000 training rows, then the ids of
// 200,000 distinct log lines. Tokenizing is left out (bench:tokenizer times it). `npm run bench:ngrams [-- lines]`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_OPTIONS } from '../src/core/options';
import { NgramIds, NgramVocabulary } from '../src/core/text/ngrams';
import { DEFAULT_TOKENIZER, Tokenizer } from '../src/core/text/tokenizer';
import { writeLog, writeTrainingCsv } from './e2eData';

const lineCount = Number(process.argv[2] ?? 200_000);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-ngrams-'));
const tokenizer = new Tokenizer(DEFAULT_TOKENIZER, ['<pad>', '<oov>']);
const tokensOf = (file: string, skip: number) =>
  fs
    .readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(skip)
    .map((line) => tokenizer.modelTokens(line));

/** Best of three passes, in seconds. */
function best(run: () => void): number {
  let fastest = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const started = process.hrtime.bigint();
    run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return fastest;
}

try {
  writeTrainingCsv(path.join(work, 'train.csv'), 12_000, 1);
  writeLog(path.join(work, 'log.txt'), lineCount, 2);
  const train = tokensOf(path.join(work, 'train.csv'), 1).map((t) => t.slice(0, -1)); // without the label column
  const log = tokensOf(path.join(work, 'log.txt'), 0);
  let vocabulary = NgramVocabulary.fit(train, DEFAULT_OPTIONS.wideNgrams);
  const fit = best(() => (vocabulary = NgramVocabulary.fit(train, DEFAULT_OPTIONS.wideNgrams)));
  let found = 0;
  const asArrays = best(() => {
    found = 0;
    for (const tokens of log) found += vocabulary.encode(tokens).length;
  });
  const ids = new NgramIds();
  const intoTypedArray = best(() => {
    ids.clear();
    for (const tokens of log) vocabulary.encodeInto(tokens, ids);
  });
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`fit on ${train.length} rows: ${fit.toFixed(3)} s (${vocabulary.hashes.length} n-grams kept)`);
  console.log(`encode ${log.length} log lines (${found} known n-grams): ${Math.round(log.length / asArrays)} lines/s as arrays`);
  console.log(`encodeInto one typed array: ${Math.round(log.length / intoTypedArray)} lines/s`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
