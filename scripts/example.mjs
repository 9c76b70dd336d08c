// `npm start` (after the build): trains the two example datasets with the CLI, then labels their sample
// lines, so a first run shows the whole loop: progress, metrics, predictions. Exits non-zero if a step fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const rel = (p) => relative(process.cwd(), p) || '.';

const examples = [
  {
    title: 'English support tickets (4 classes)',
    train: 'examples/tickets/train.csv',
    test: 'examples/tickets/test.csv',
    sample: 'examples/tickets/sample.txt',
    out: '.textcat/example-model',
    flags: [],
    show: 10,
  },
  {
    title: 'Chinese sentiment (positive / negative)',
    train: 'examples/zh-sentiment/train.csv',
    test: 'examples/zh-sentiment/test.csv',
    sample: 'examples/zh-sentiment/sample.txt',
    out: '.textcat/example-zh-model',
    flags: ['--epochs', '10'],
    show: 12,
  },
];

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

function fail(message) {
  process.stderr.write(`example: ${message}\n`);
  process.exit(1);
}

/** Runs the CLI; with capture, returns its stdout, otherwise lets it print straight to the terminal. */
function textcat(args, { capture = false } = {}) {
  process.stdout.write(dim(`$ textcat ${args.join(' ')}\n`));
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) fail(`could not run the CLI: ${result.error.message}`);
  if (result.status !== 0) fail(`textcat ${args[0]} exited with ${result.status ?? result.signal}`);
  return result.stdout;
}

if (!existsSync(cli)) fail(`${rel(cli)} is missing: run \`npm run build\` first`);
const started = Date.now();

for (const ex of examples) {
  process.stdout.write(`\n${bold(`== ${ex.title} ==`)}\n`);
  textcat(['train', ex.train, '--test', ex.test, '--out', ex.out, ...ex.flags]);

  const stdout = textcat(['predict', ex.out, ex.sample, '--json'], { capture: true });
  const predictions = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  if (predictions.length === 0) fail(`predict gave no output for ${ex.sample}`);
  const lines = readFileSync(join(root, ex.sample), 'utf8').split(/\r?\n/);
  const width = Math.max(...predictions.map((p) => p.label.length));
  process.stdout.write(`\nPredictions for ${ex.sample} (first ${Math.min(ex.show, predictions.length)} of ${predictions.length}):\n`);
  for (const p of predictions.slice(0, ex.show)) {
    const text = lines[p.line - 1] ?? '';
    const shown = text.length > 90 ? `${text.slice(0, 87)}...` : text;
    process.stdout.write(
      `  ${String(p.line).padStart(3)}  ${p.label.padEnd(width)}  ${(100 * p.confidence).toFixed(0).padStart(3)}%  ${shown}\n`,
    );
  }
}

process.stdout.write(
  `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Models are in ${examples.map((e) => e.out).join(' and ')};\n`,
);
process.stdout.write(`try: node dist/cli.js predict ${examples[0].out} -   (type a line, then Ctrl-D)\n`);
