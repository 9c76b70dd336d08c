// What a user waits for: whole `textcat train` and `textcat predict` processes (reading, tokenizing, training,
// saving, writing labels), timed with /usr/bin/time beside whole processes of the references doing the same work
// in the same run — PyTorch (bench/reference/e2e_torch.py, like for like) and Debian's fastText. Each pair runs
// in turn, in alternating order, `--repeats` times; the table gives medians, ranges and peak RSS.
// Usage: node --import tsx bench/e2e.ts [--train-rows 12000] [--lines 1000000] [--repeats 3] [--epochs 2] [--quick]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { csvToFastText, writeLog, writeTrainingCsv } from './e2eData';

const { values } = parseArgs({
  options: {
    'train-rows': { type: 'string', default: '12000' },
    lines: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const quick = values.quick === true;
const trainRows = quick ? 3000 : Number(values['train-rows']);
const logLines = quick ? 20000 : Number(values.lines);
const repeats = quick ? 1 : Number(values.repeats);
const epochs = Number(values.epochs);

const CLI = path.resolve(__dirname, '../dist/cli.js');
const TORCH_SCRIPT = path.resolve(__dirname, 'reference/e2e_torch.py');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-bench-e2e-'));

interface Run {
  seconds: number;
  peakRssMB: number;
}

/** One whole process under /usr/bin/time: wall seconds and peak RSS; stdout goes to a file (or /dev/null). */
function timed(command: string, args: string[], stdout = '/dev/null'): Run {
  const timeFile = path.join(work, 'time.txt');
  const out = fs.openSync(stdout, 'w');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, command, ...args], {
    stdio: ['ignore', out, 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: undefined, OPENBLAS_NUM_THREADS: undefined },
  });
  fs.closeSync(out);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const [seconds, kilobytes] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds, peakRssMB: kilobytes / 1024 };
}

function python(): string | undefined {
  const candidates = [process.env.TEXTCAT_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

function fastTextBinary(): string | undefined {
  return ['fasttext', '/usr/bin/fasttext'].find((f) => spawnSync(f, [], { stdio: 'ignore' }).error === undefined);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const span = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

interface Row {
  work: string;
  ours: Run[];
  reference: Run[];
  referenceName: string;
  /** Lines per run, for a lines/s column (prediction rows). */
  lines?: number;
}

/** `repeats` pairs, ours first on even repeats and the reference first on odd ones, so drift hits both. */
function paired(work: string, referenceName: string, ours: () => Run, reference: () => Run, lines?: number): Row {
  const row: Row = { work, ours: [], reference: [], referenceName, lines };
  for (let i = 0; i < repeats; i++) {
    if (i % 2 === 0) {
      row.ours.push(ours());
      row.reference.push(reference());
    } else {
      row.reference.push(reference());
      row.ours.push(ours());
    }
    console.error(`  ${work}: Textcat ${row.ours.at(-1)!.seconds}s, ${referenceName} ${row.reference.at(-1)!.seconds}s`);
  }
  return row;
}

/** PyTorch's fastest thread count on this machine for this work: one probe of 1 and 2 threads. */
function fastestThreads(probe: (threads: number) => Run): number {
  const one = probe(1).seconds;
  const two = probe(2).seconds;
  console.error(`  PyTorch probe: 1 thread ${one}s, 2 threads ${two}s`);
  return two < one ? 2 : 1;
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm run bench:e2e does)`);
  const py = python();
  const fastText = fastTextBinary();
  const csv = path.join(work, 'train.csv');
  const log = path.join(work, 'service.log');
  writeTrainingCsv(csv, trainRows, 7);
  writeLog(log, logLines, 11);
  console.log(
    `bench:e2e — ${trainRows} training rows (5 classes), ${logLines} distinct log lines (${(fs.statSync(log).size / 1e6).toFixed(0)} MB), ${epochs} epochs, ${repeats} repeats, ${os.cpus().length} cores, node ${process.version}`,
  );
  console.log(`data written by bench/e2eData.ts into ${work}`);
  const rows: Row[] = [];
  const textcat = (...args: string[]) => timed(process.execPath, [CLI, ...args]);
  const shapes = [
    '--epochs',
    String(epochs),
    '--vocab-size',
    '5000',
    '--max-length',
    '64',
    '--batch-size',
    '32',
    '--patience',
    '0',
    '--quiet',
  ];
  const torchTrain =
    (threads: number, bidirectional = false) =>
    () =>
      timed(py!, [
        TORCH_SCRIPT,
        'train',
        csv,
        path.join(work, bidirectional ? 'torch-bi.pt' : 'torch.pt'),
        '--epochs',
        String(epochs),
        '--threads',
        String(threads),
        ...(bidirectional ? ['--bidirectional'] : []),
      ]);

  if (!py)
    console.log(
      'PyTorch rows skipped: no python3 with torch (Debian: apt-get install python3-torch libopenblas0-pthread, or set TEXTCAT_PYTHON)',
    );
  else {
    const threads = fastestThreads((t) => torchTrain(t)());
    console.log(
      `PyTorch ${spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()}, ${threads} thread(s) (its faster of 1 and 2 here)`,
    );
    const likeForLike = ['train', csv, '--out', path.join(work, 'uni'), ...shapes, '--no-bidirectional', '--wide-ngrams', '0'];
    rows.push(paired('train, like for like (uni LSTM, --wide-ngrams 0)', 'PyTorch', () => textcat(...likeForLike), torchTrain(threads)));
    rows.push(
      paired(
        'train, default options (bi LSTM + n-grams)',
        'PyTorch',
        () => textcat('train', csv, '--out', path.join(work, 'default'), '--epochs', String(epochs), '--patience', '0', '--quiet'),
        torchTrain(threads),
      ),
    );
    // Prediction like for like: a bi LSTM without the n-gram path on both sides, JSON out.
    textcat('train', csv, '--out', path.join(work, 'bi'), ...shapes, '--bidirectional', '--wide-ngrams', '0');
    torchTrain(threads, true)();
    const torchPredict = (t: number) => () =>
      timed(py, [TORCH_SCRIPT, 'predict', path.join(work, 'torch-bi.pt'), log, '--threads', String(t)]);
    const predictThreads = fastestThreads((t) => torchPredict(t)());
    rows.push(
      paired(
        `predict, like for like (bi LSTM, --json; PyTorch ${predictThreads} thread(s))`,
        'PyTorch',
        () => textcat('predict', path.join(work, 'bi'), log, '--json'),
        torchPredict(predictThreads),
        logLines,
      ),
    );
  }
  if (!fastText) console.log('fastText rows skipped: no fasttext binary (Debian: apt-get install fasttext)');
  else {
    if (!fs.existsSync(path.join(work, 'default')))
      textcat('train', csv, '--out', path.join(work, 'default'), '--epochs', String(epochs), '--patience', '0', '--quiet');
    const ftTrain = path.join(work, 'train.ft.txt');
    csvToFastText(csv, ftTrain);
    const ftModel = path.join(work, 'ft');
    timed(fastText, [
      'supervised',
      '-input',
      ftTrain,
      '-output',
      ftModel,
      '-wordNgrams',
      '2',
      '-minn',
      '3',
      '-maxn',
      '5',
      '-thread',
      '1',
      '-epoch',
      '25',
      '-verbose',
      '0',
    ]);
    rows.push(
      paired(
        'predict, the default model (bi LSTM + n-grams) vs fastText predict-prob (bigrams, subwords 3–5, 1 thread)',
        'fastText',
        () => textcat('predict', path.join(work, 'default'), log),
        () => timed(fastText, ['predict-prob', `${ftModel}.bin`, log]),
        logLines,
      ),
    );
  }
  console.log(
    '\n| work | Textcat s (median, range) | reference s (median, range) | ratio | lines/s: Textcat / reference | peak RSS MB: Textcat / reference |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    const ours = median(row.ours.map((r) => r.seconds));
    const reference = median(row.reference.map((r) => r.seconds));
    const rate = row.lines
      ? `${Math.round(row.lines / ours).toLocaleString('en')} / ${Math.round(row.lines / reference).toLocaleString('en')}`
      : '';
    console.log(
      `| ${row.work} | ${ours.toFixed(1)} (${span(row.ours.map((r) => r.seconds))}) | ${row.referenceName} ${reference.toFixed(1)} (${span(row.reference.map((r) => r.seconds))}) | ${(reference / ours).toFixed(2)}× | ${rate} | ${median(row.ours.map((r) => r.peakRssMB)).toFixed(0)} / ${median(row.reference.map((r) => r.peakRssMB)).toFixed(0)} |`,
    );
  }
  console.log('\nratio = reference time / Textcat time (above 1: Textcat is faster).');
}

try {
  main();
} finally {
  if (!values.keep) fs.rmSync(work, { recursive: true, force: true });
}
