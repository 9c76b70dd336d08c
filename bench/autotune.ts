// Autotune within a time budget against the defaults and fastText's own autotune, on each shared dataset (issue 20).
// Per dataset, three whole processes in turn: `textcat train` with default options, `textcat train --autotune`,
// and Debian's `fasttext supervised -autotune-validation -autotune-duration`; each scored by test macro-F1.
// fastText gets the same rows: Textcat's own validation split (stratifiedSplit with the default fraction and
// seed) is its -autotune-validation file, the rest its training file, and every text is given to it as Textcat's
// tokens joined by spaces, so both read the same words (fastText alone cannot split Chinese). Both run on the
// same number of threads (Textcat's main thread and its helper: -thread 2).
// Usage: npm run bench:autotune -- [datasets-folder] [--only a,b] [--budget 120] [--json]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../src/core/data/dataset';
import { stratifiedSplit } from '../src/core/data/split';
import { computeMetrics } from '../src/core/evaluation/metrics';
import { DEFAULT_OPTIONS } from '../src/core/options';
import { labelSet } from '../src/core/training/train';
import { Tokenizer } from '../src/core/text/tokenizer';
import type { AutotuneRecord } from '../src/core/autotune/autotuneRecord';
import type { Example } from '../src/core/types';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const FASTTEXT = ['fasttext', '/usr/bin/fasttext'].find((f) => spawnSync(f, [], { stdio: 'ignore' }).error === undefined);

interface Row {
  name: string;
  defaults: { macroF1: number; seconds: number };
  autotune: { macroF1: number; seconds: number; trials: number; chosen: string; why: string };
  fastText?: { macroF1: number; seconds: number };
}

/** The part of `textcat train --json` read here. */
interface TrainJson {
  test: { macroF1: number };
  autotune?: AutotuneRecord;
}

const f3 = (x: number) => x.toFixed(3).replace(/^0\./, '.');

function textcat(args: string[]): { json: TrainJson; seconds: number } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, 'train', ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`textcat train ${args.join(' ')} failed:\n${run.stderr}`);
  return { json: JSON.parse(run.stdout) as TrainJson, seconds: (performance.now() - started) / 1000 };
}

/** One line per example in fastText's format, the text as Textcat's tokens (no label may hold whitespace). */
function fastTextLines(examples: readonly Example[], tokenizer: Tokenizer): string {
  return examples
    .map((e) => `__label__${e.label.replace(/\s/g, '_')} ${tokenizer.tokenize(e.text.replace(/\s+/g, ' ')).join(' ')}\n`)
    .join('');
}

function runFastText(trainSet: Example[], testSet: Example[], budget: number, dir: string): { macroF1: number; seconds: number } {
  const tokenizer = Tokenizer.fit([]);
  const labels = labelSet(trainSet);
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const split = stratifiedSplit(
    trainSet.map((e) => classOf.get(e.label)!),
    DEFAULT_OPTIONS.validationSplit,
    DEFAULT_OPTIONS.seed,
  );
  fs.writeFileSync(
    path.join(dir, 'ft-train.txt'),
    fastTextLines(
      split.train.map((i) => trainSet[i]),
      tokenizer,
    ),
  );
  fs.writeFileSync(
    path.join(dir, 'ft-valid.txt'),
    fastTextLines(
      split.validation.map((i) => trainSet[i]),
      tokenizer,
    ),
  );
  fs.writeFileSync(path.join(dir, 'ft-test.txt'), fastTextLines(testSet, tokenizer));
  const started = performance.now();
  const model = path.join(dir, 'ft');
  const trained = spawnSync(
    FASTTEXT!,
    [
      'supervised',
      '-input',
      path.join(dir, 'ft-train.txt'),
      '-output',
      model,
      '-autotune-validation',
      path.join(dir, 'ft-valid.txt'),
      '-autotune-duration',
      String(budget),
      '-thread',
      '2',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (trained.status !== 0) throw new Error(`fasttext supervised failed:\n${trained.stderr.slice(-2000)}`);
  const predicted = spawnSync(FASTTEXT!, ['predict', `${model}.bin`, path.join(dir, 'ft-test.txt')], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = (performance.now() - started) / 1000;
  if (predicted.status !== 0) throw new Error(`fasttext predict failed:\n${predicted.stderr}`);
  const guesses = predicted.stdout.trim().split('\n');
  const byToken = new Map(labels.map((l, i) => [l.replace(/\s/g, '_'), i]));
  const probabilities = new Float32Array(testSet.length * labels.length);
  guesses.forEach((g, row) => {
    const index = byToken.get(g.replace(/^__label__/, ''));
    if (index !== undefined) probabilities[row * labels.length + index] = 1;
  });
  const truth = testSet.map((e) => classOf.get(e.label) ?? -1);
  return { macroF1: computeMetrics(labels, truth, probabilities).macroF1, seconds };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' }, budget: { type: 'string', default: '120' }, json: { type: 'boolean', default: false } },
  });
  const root = datasetsRoot(positionals[0]);
  if (!root) {
    console.log(missingDatasetsMessage());
    return;
  }
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: npm run build first');
  const budget = Number(values.budget);
  const names = fs
    .readdirSync(root)
    .filter((n) => fs.existsSync(path.join(root, n, 'train.csv')) && !n.includes('multilabel'))
    .filter((n) => !values.only || values.only.split(',').includes(n))
    .sort();
  if (!FASTTEXT) console.log('fastText column skipped: no fasttext binary (Debian: apt-get install fasttext)');
  console.log(
    `autotune budget ${budget} s; ${os.cpus().length} cores; load average at start ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const rows: Row[] = [];
  for (const name of names) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `textcat-autotune-${name}-`));
    try {
      const trainFile = path.join(root, name, 'train.csv');
      const testFile = path.join(root, name, 'test.csv');
      const defaults = textcat([trainFile, '--test', testFile, '--out', path.join(dir, 'defaults')]);
      const tuned = textcat([trainFile, '--test', testFile, '--out', path.join(dir, 'tuned'), '--autotune', `${budget}s`]);
      const record = tuned.json.autotune!;
      const chosen = record.trials.find((t) => t.index === record.chosen);
      const fastText = FASTTEXT
        ? runFastText((await readDataset(trainFile)).examples, (await readDataset(testFile)).examples, budget, dir)
        : undefined;
      const row: Row = {
        name,
        defaults: { macroF1: defaults.json.test.macroF1, seconds: defaults.seconds },
        autotune: {
          macroF1: tuned.json.test.macroF1,
          seconds: tuned.seconds,
          trials: record.trials.length,
          chosen: chosen ? JSON.stringify(chosen.changes) : String(record.chosen),
          why: record.why,
        },
        fastText,
      };
      rows.push(row);
      console.log(
        `${name}: defaults ${f3(row.defaults.macroF1)} (${row.defaults.seconds.toFixed(0)} s) · autotune ${f3(row.autotune.macroF1)} (${row.autotune.seconds.toFixed(0)} s, ${row.autotune.trials} trials) · fastText autotune ${fastText ? `${f3(fastText.macroF1)} (${fastText.seconds.toFixed(0)} s)` : '-'} · load ${os.loadavg()[0].toFixed(1)}\n  chose ${row.autotune.chosen}: ${row.autotune.why}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  console.log('\n| dataset | defaults | autotune | trials | fastText autotune |\n|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${f3(r.defaults.macroF1)} | ${f3(r.autotune.macroF1)} | ${r.autotune.trials} | ${r.fastText ? f3(r.fastText.macroF1) : '-'} |`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
